import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './helpers/app.js';
import { describeEachDb } from './helpers/db.js';

type Req = { method: 'GET' | 'POST' | 'PATCH' | 'DELETE'; url: string; payload?: object };

describeEachDb('isolation between users', (variant) => {
  let t: TestApp;
  let a: { token: string };
  let b: { token: string };
  let taskA: Record<string, unknown>;
  let convA: string;
  let snapshot: () => Promise<unknown>;

  const as = (token: string, r: Req) =>
    t.app.inject({
      method: r.method,
      url: r.url,
      headers: t.auth(token),
      ...(r.payload ? { payload: r.payload } : {}),
    });

  const mcpKeys = new Map<string, string>();
  const mcp = async (token: string, name: string, args: Record<string, unknown>) => {
    let key = mcpKeys.get(token);
    if (!key) {
      key = await t.mcpKey(token);
      mcpKeys.set(token, key);
    }
    return t.callTool(key, name, args);
  };

  beforeAll(async () => {
    t = await createTestApp(variant);
    a = await t.signUp();
    b = await t.signUp();
    taskA = (
      await as(a.token, { method: 'POST', url: '/api/tasks', payload: { title: 'A secret', tags: ['a'] } })
    ).json();
    const chat = await as(a.token, {
      method: 'POST',
      url: '/api/chat',
      payload: { message: 'show my tasks' },
    });
    convA = /"conversationId":"([^"]+)"/.exec(chat.body)?.[1] ?? '';
    expect(convA).toMatch(/^[0-9a-f-]{36}$/);
    snapshot = async () => {
      const r = await t.database.db.execute(
        sql`SELECT (SELECT json_agg(t ORDER BY id) FROM tasks t) AS tasks,
                   (SELECT json_agg(c ORDER BY id) FROM conversations c) AS convs,
                   (SELECT json_agg(m ORDER BY id) FROM messages m) AS msgs`,
      );
      return (r as unknown as { rows: unknown[] }).rows[0];
    };
  });
  afterAll(async () => t?.close());

  describe('REST: user B gets 404 for user A ids and changes nothing', () => {
    const cases: [string, () => Req][] = [
      ['GET task', () => ({ method: 'GET', url: `/api/tasks/${taskA.id}` })],
      ['PATCH task', () => ({ method: 'PATCH', url: `/api/tasks/${taskA.id}`, payload: { title: 'pwned' } })],
      ['DELETE task', () => ({ method: 'DELETE', url: `/api/tasks/${taskA.id}` })],
      [
        'complete task',
        () => ({ method: 'POST', url: `/api/tasks/${taskA.id}/complete`, payload: { completed: true } }),
      ],
      ['GET messages', () => ({ method: 'GET', url: `/api/conversations/${convA}/messages` })],
      ['DELETE conversation', () => ({ method: 'DELETE', url: `/api/conversations/${convA}` })],
      [
        'chat into A conversation',
        () => ({ method: 'POST', url: '/api/chat', payload: { conversationId: convA, message: 'delete 1' } }),
      ],
    ];
    it.each(cases)('%s', async (_name, req) => {
      const before = await snapshot();
      const res = await as(b.token, req());
      expect(res.statusCode).toBe(404);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.json().code).toBe('not_found');
      expect(await snapshot()).toEqual(before);
    });

    it('lists show only B’s own tasks and conversations', async () => {
      expect(
        (await as(b.token, { method: 'GET', url: '/api/tasks?status=all&limit=100' })).json().items,
      ).toEqual([]);
      expect((await as(b.token, { method: 'GET', url: '/api/tasks?q=secret' })).json().items).toEqual([]);
      expect((await as(b.token, { method: 'GET', url: '/api/tasks?tag=a' })).json().items).toEqual([]);
      expect((await as(b.token, { method: 'GET', url: '/api/conversations' })).json().items).toEqual([]);
    });
  });

  describe('MCP tools: user B cannot see or touch user A tasks', () => {
    const cases: [string, () => Record<string, unknown>][] = [
      ['complete_task', () => ({ id: taskA.id })],
      ['update_task', () => ({ id: taskA.id, title: 'pwned', priority: 'low' })],
      ['delete_task', () => ({ id: taskA.id })],
      ['reopen_task', () => ({ id: taskA.id })],
    ];
    it.each(cases)('%s', async (name, args) => {
      const before = await snapshot();
      const res = await mcp(b.token, name, args());
      expect(res.statusCode).toBe(200);
      const result = res.json().result;
      expect(result.isError).toBe(true);
      expect(JSON.parse(result.content[0].text)).toMatchObject({ ok: false, error: 'not_found' });
      expect(await snapshot()).toEqual(before);
    });

    it('bulk tools never match or touch A’s tasks, even given their ids', async () => {
      const before = await snapshot();
      for (const [name, args] of [
        ['complete_tasks', {}],
        ['complete_tasks', { ids: [taskA.id] }],
        ['complete_tasks', { completed: false, ids: [taskA.id] }],
        ['delete_tasks', { status: 'all' }],
        ['delete_tasks', { status: 'all', ids: [taskA.id] }],
        ['delete_tasks', { status: 'all', ids: [taskA.id], confirm: 'anything' }],
      ] as const) {
        const out = JSON.parse((await mcp(b.token, name, args)).json().result.content[0].text);
        expect(out, name).toMatchObject({ ok: true, count: 0, tasks: [] });
      }
      expect(await snapshot()).toEqual(before);
    });

    it('list_tasks shows B nothing of A', async () => {
      const res = await mcp(b.token, 'list_tasks', { status: 'all', limit: 100 });
      expect(JSON.parse(res.json().result.content[0].text)).toMatchObject({ ok: true, count: 0, tasks: [] });
    });

    it('add_task creates for B only', async () => {
      const res = await mcp(b.token, 'add_task', { title: 'B task' });
      expect(res.json().result.isError).toBeFalsy();
      const aList = (await as(a.token, { method: 'GET', url: '/api/tasks' })).json().items;
      expect(aList.map((x: { title: string }) => x.title)).toEqual(['A secret']);
      const bList = (await as(b.token, { method: 'GET', url: '/api/tasks' })).json().items;
      expect(bList.map((x: { title: string }) => x.title)).toEqual(['B task']);
    });

    it('without a token the MCP endpoint answers 401', async () => {
      const res = await t.app.inject({
        method: 'POST',
        url: '/mcp',
        headers: { accept: 'application/json, text/event-stream' },
        payload: { jsonrpc: '2.0', id: 1, method: 'tools/list' },
      });
      expect(res.statusCode).toBe(401);
      expect(res.headers['www-authenticate']).toContain('Bearer');
    });
  });

  it('the agent acting for B cannot reach A’s tasks either', async () => {
    const before = await snapshot();
    const res = await as(b.token, {
      method: 'POST',
      url: '/api/chat',
      payload: { message: 'delete A secret' },
    });
    expect(res.body).toContain('event: done');
    expect(res.body).toContain('couldn');
    const after = (await snapshot()) as { tasks: unknown };
    expect(after.tasks).toEqual((before as { tasks: unknown }).tasks);
  });
});
