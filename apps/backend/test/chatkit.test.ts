import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { selectModel } from '../src/agent/models.js';
import { loadConfig } from '../src/config.js';
import { createTestApp, type TestApp } from './helpers/app.js';
import { describeEachDb } from './helpers/db.js';
import { startFakeOpenAI } from './helpers/fake-openai.js';
import { pgliteVariant } from './helpers/pglite.js';

type Ev = { type: string; [k: string]: unknown };
const events = (body: string): Ev[] =>
  body
    .split('\n\n')
    .map((b) => b.trim())
    .filter(Boolean)
    .map((b) => JSON.parse(b.replace(/^data: /, '')) as Ev);

const input = (text: string) => ({
  content: [{ type: 'input_text', text }],
  attachments: [],
  inference_options: {},
});

describeEachDb('ChatKit protocol', (variant) => {
  let t: TestApp;
  let a: string;
  let b: string;
  let threadId: string;
  let streamedIds: string[] = [];
  beforeAll(async () => {
    t = await createTestApp(variant);
    a = (await t.signUp()).token;
    b = (await t.signUp()).token;
  });
  afterAll(async () => t?.close());

  const ck = (token: string | null, payload: unknown) =>
    t.app.inject({
      method: 'POST',
      url: '/api/chatkit',
      headers: token ? t.auth(token) : {},
      payload: payload as object,
    });

  it('threads.create streams a turn with a tool call as ChatKit thread events', async () => {
    const res = await ck(a, { type: 'threads.create', params: { input: input('add buy milk') } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/event-stream/);
    expect(res.headers['cache-control']).toBe('no-cache, no-transform');
    const evs = events(res.body);
    const kinds = evs.map((e) =>
      e.type === 'thread.item.updated'
        ? `updated:${(e.update as { type: string }).type.split('.').at(-1)}`
        : `${e.type}${e.item ? `:${(e.item as { type: string }).type}` : ''}`,
    );
    // the deltas vary in number; collapse them
    const collapsed = kinds.filter((k, i) => !(k === 'updated:text_delta' && kinds[i - 1] === k));
    expect(collapsed).toEqual([
      'stream_options',
      'thread.created',
      'thread.item.done:user_message',
      'thread.item.added:task',
      'thread.item.done:task',
      'thread.item.added:assistant_message',
      'updated:added',
      'updated:text_delta',
      'updated:done',
      'thread.item.done:assistant_message',
      'client_effect',
    ]);
    const thread = evs[1]?.thread as { id: string; title: string; status: unknown; items: unknown };
    expect(thread).toMatchObject({ title: 'add buy milk', status: { type: 'active' } });
    expect(thread.items).toEqual({ data: [], has_more: false, after: null });
    threadId = thread.id;
    const user = evs[2]?.item as { content: unknown; thread_id: string };
    expect(user.content).toEqual([{ type: 'input_text', text: 'add buy milk' }]);
    expect(user.thread_id).toBe(threadId);
    const taskAdded = evs[3]?.item as { id: string; task: { status_indicator: string } };
    const taskDone = evs[4]?.item as { id: string; task: { title: string; status_indicator: string } };
    expect(taskAdded.task.status_indicator).toBe('loading');
    expect(taskDone.id).toBe(taskAdded.id);
    expect(taskDone.task.status_indicator).toBe('complete');
    expect(taskDone.task.title).toMatch(/buy milk/i);
    const done = evs.findLast((e) => e.type === 'thread.item.done') as unknown as {
      item: { content: { text: string }[] };
    };
    const deltas = evs
      .filter((e) => e.type === 'thread.item.updated')
      .map((e) => (e.update as { delta?: string }).delta ?? '')
      .join('');
    expect(done.item.content[0]?.text).toBe(deltas);
    expect(deltas).toMatch(/buy milk/i);
    expect(evs.at(-1)).toEqual({ type: 'client_effect', name: 'tasks.changed', data: {} });
    streamedIds = evs.filter((e) => e.type === 'thread.item.done').map((e) => (e.item as { id: string }).id);

    // the tool really ran
    const tasks = (await t.app.inject({ url: '/api/tasks', headers: t.auth(a) })).json();
    expect(tasks.items.map((x: { title: string }) => x.title)).toContain('buy milk');
  });

  it('persists the thread: items.list and threads.get_by_id after the turn, then add_user_message', async () => {
    const list = await ck(a, { type: 'items.list', params: { thread_id: threadId, order: 'asc' } });
    expect(list.statusCode).toBe(200);
    expect(list.headers['content-type']).toMatch(/^application\/json/);
    const page = list.json() as { data: { type: string }[]; has_more: boolean; after: string | null };
    expect(page.data.map((i) => i.type)).toEqual(['user_message', 'task', 'assistant_message']);
    // the stored items carry the ids the stream announced
    expect(page.data.map((i) => (i as unknown as { id: string }).id)).toEqual(streamedIds);
    expect(page.has_more).toBe(false);

    const got = (await ck(a, { type: 'threads.get_by_id', params: { thread_id: threadId } })).json();
    expect(got).toMatchObject({
      id: threadId,
      title: 'add buy milk',
      status: { type: 'active' },
      metadata: {},
    });
    expect(got.items.data).toHaveLength(3);

    const more = await ck(a, {
      type: 'threads.add_user_message',
      params: { thread_id: threadId, input: input('list my tasks') },
    });
    expect(more.statusCode).toBe(200);
    const evs = events(more.body);
    expect(evs.map((e) => e.type)).not.toContain('thread.created');
    expect(evs.map((e) => e.type)).not.toContain('error');
    expect(evs[1]).toMatchObject({
      type: 'thread.item.done',
      item: { type: 'user_message', thread_id: threadId },
    });

    const after = (await ck(a, { type: 'items.list', params: { thread_id: threadId, order: 'asc' } })).json();
    expect(after.data.length).toBeGreaterThan(3);
    expect(after.data[3]).toMatchObject({ type: 'user_message', content: [{ text: 'list my tasks' }] });

    // pagination: newest first, one at a time
    const p1 = (
      await ck(a, { type: 'items.list', params: { thread_id: threadId, limit: 1, order: 'desc' } })
    ).json();
    expect(p1.has_more).toBe(true);
    expect(p1.data[0].id).toBe(after.data.at(-1).id);
    const p2 = (
      await ck(a, {
        type: 'items.list',
        params: { thread_id: threadId, limit: 1, order: 'desc', after: p1.after },
      })
    ).json();
    expect(p2.data[0].id).toBe(after.data.at(-2).id);
  });

  it('threads.list, threads.update and threads.delete', async () => {
    const second = await ck(a, { type: 'threads.create', params: { input: input('hello') } });
    const secondId = (events(second.body)[1]?.thread as { id: string } | undefined)?.id;
    const list = (await ck(a, { type: 'threads.list', params: { limit: 10 } })).json();
    expect(list.data.map((x: { id: string }) => x.id)).toEqual([secondId, threadId]);
    expect(list.has_more).toBe(false);
    const asc = (await ck(a, { type: 'threads.list', params: { order: 'asc', limit: 1 } })).json();
    expect(asc).toMatchObject({ data: [{ id: threadId }], has_more: true, after: threadId });

    const upd = await ck(a, { type: 'threads.update', params: { thread_id: threadId, title: 'Groceries' } });
    expect(upd.statusCode).toBe(200);
    expect(upd.json()).toMatchObject({ id: threadId, title: 'Groceries' });
    const conv = (await t.app.inject({ url: '/api/conversations', headers: t.auth(a) })).json();
    expect(conv.items.find((c: { id: string }) => c.id === threadId).title).toBe('Groceries');

    const del = await ck(a, { type: 'threads.delete', params: { thread_id: secondId } });
    expect(del.statusCode).toBe(200);
    expect(del.json()).toEqual({});
    const gone = await ck(a, { type: 'threads.get_by_id', params: { thread_id: secondId } });
    expect(gone.statusCode).toBe(404);
    const fb = await ck(a, {
      type: 'items.feedback',
      params: { thread_id: threadId, item_ids: [], kind: 'positive' },
    });
    expect(fb.json()).toEqual({});
  });

  it("keeps users apart: another user's thread is 404 for every request type", async () => {
    const requests = [
      { type: 'threads.get_by_id', params: { thread_id: threadId } },
      { type: 'items.list', params: { thread_id: threadId } },
      { type: 'threads.update', params: { thread_id: threadId, title: 'mine now' } },
      { type: 'threads.delete', params: { thread_id: threadId } },
      { type: 'threads.add_user_message', params: { thread_id: threadId, input: input('delete all') } },
    ];
    for (const r of requests) {
      const res = await ck(b, r);
      expect(res.statusCode, r.type).toBe(404);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.json().code).toBe('not_found');
    }
    expect((await ck(b, { type: 'threads.list', params: {} })).json().data).toEqual([]);
    const still = (await ck(a, { type: 'items.list', params: { thread_id: threadId, order: 'asc' } })).json();
    expect(
      still.data.some((i: { content?: { text: string }[] }) => i.content?.[0]?.text === 'delete all'),
    ).toBe(false);
    expect((await ck(a, { type: 'threads.get_by_id', params: { thread_id: threadId } })).json().title).toBe(
      'Groceries',
    );
  });

  it('is in the OpenAPI document', async () => {
    const spec = (await t.app.inject('/openapi.json')).json();
    expect(Object.keys(spec.paths)).toContain('/api/chatkit');
  });

  it('rejects bad input with problem+json', async () => {
    const bad: [string | null, unknown, number, string][] = [
      [null, { type: 'threads.list', params: {} }, 401, 'unauthorized'],
      [a, { type: 'threads.nope', params: {} }, 400, 'validation_error'],
      [a, { type: 'threads.create', params: {} }, 400, 'validation_error'],
      [a, { type: 'threads.create', params: { input: input('   ') } }, 400, 'validation_error'],
      [a, { type: 'threads.create', params: { input: input('x'.repeat(100_001)) } }, 400, 'validation_error'],
      [a, { type: 'items.list', params: { thread_id: 'not-a-uuid' } }, 404, 'not_found'],
      [a, { type: 'threads.update', params: { thread_id: threadId, title: '' } }, 400, 'validation_error'],
      [a, { type: 'threads.list', params: { limit: 0 } }, 400, 'validation_error'],
    ];
    for (const [token, payload, status, code] of bad) {
      const res = await ck(token, payload);
      expect(res.statusCode, JSON.stringify(payload).slice(0, 80)).toBe(status);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.json().code).toBe(code);
    }
  });
});

describe('ChatKit: a model failure', () => {
  it('ends the stream with an error event (retry allowed), never a 500', async () => {
    const fake = await startFakeOpenAI(() => ({ status: 500 }));
    const t = await createTestApp(pgliteVariant, {
      model: selectModel(loadConfig({ OPENAI_BASE_URL: fake.baseURL })),
    });
    try {
      const { token } = await t.signUp();
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/chatkit',
        headers: t.auth(token),
        payload: { type: 'threads.create', params: { input: input('hello') } },
      });
      expect(res.statusCode).toBe(200);
      const evs = events(res.body);
      expect(evs.map((e) => e.type).slice(0, 3)).toEqual([
        'stream_options',
        'thread.created',
        'thread.item.done',
      ]);
      expect(evs.at(-1)).toMatchObject({ type: 'error', code: 'custom', allow_retry: true });
      expect(String(evs.at(-1)?.message)).toMatch(/try again/);
    } finally {
      await t.close();
      await fake.close();
    }
  });
});
