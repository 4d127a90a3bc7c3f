// The task list's rendered-page cache, its version trigger and conditional GET: a cached page is
// served only while the user's list version is unchanged, whichever replica made the change.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { TaskListCache, type TaskListPage } from '../src/domain/task-list-cache.js';
import { etagOf, ifNoneMatchHits } from '../src/http/etag.js';
import { buildTestApp, createTestApp, type TestApp } from './helpers/app.js';
import { describeEachDb } from './helpers/db.js';

const sqlVersion = (userId: string) => sql`SELECT version FROM task_list_versions WHERE user_id = ${userId}`;
const sqlRename = (userId: string, from: string, to: string) =>
  sql`UPDATE tasks SET title = ${to} WHERE user_id = ${userId} AND title = ${from}`;
const sqlDeleteUser = (userId: string) => sql`DELETE FROM "user" WHERE id = ${userId}`;
const sqlTaskCount = (userId: string) => sql`SELECT count(*)::int AS n FROM tasks WHERE user_id = ${userId}`;

const page = (version: number, json: string): TaskListPage => {
  const body = Buffer.from(json);
  return { version, body, etag: etagOf(body) };
};

describe('TaskListCache', () => {
  it('serves an entry only at the version it was rendered at, and drops a stale one', () => {
    const cache = new TaskListCache(1 << 20);
    cache.set('u\n{}', page(3, '{"items":[]}'));
    expect(cache.get('u\n{}', 3)?.body.toString()).toBe('{"items":[]}');
    expect(cache.get('u\n{}', 4)).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('evicts the least recently used entries beyond its byte budget', () => {
    const body = 'x'.repeat(1000);
    const cache = new TaskListCache(3 * 1200);
    for (const k of ['a', 'b', 'c']) cache.set(k, page(1, body));
    expect(cache.get('a', 1)).toBeDefined(); // a is now the most recent
    cache.set('d', page(1, body));
    expect(cache.get('b', 1)).toBeUndefined();
    expect(['a', 'c', 'd'].every((k) => cache.get(k, 1))).toBe(true);
  });

  it('keeps nothing when off or when one page is larger than the budget', () => {
    const off = new TaskListCache(0);
    off.set('a', page(1, '{}'));
    expect(off.enabled).toBe(false);
    expect(off.size).toBe(0);
    const small = new TaskListCache(100);
    small.set('a', page(1, 'y'.repeat(200)));
    expect(small.size).toBe(0);
  });

  it('keys by user and by the parsed query', () => {
    expect(TaskListCache.key('u1', { status: 'all' })).not.toBe(TaskListCache.key('u2', { status: 'all' }));
    expect(TaskListCache.key('u1', { status: 'all' })).not.toBe(TaskListCache.key('u1', { status: 'open' }));
  });
});

describe('entity tags', () => {
  it('derives a strong tag from the body alone', () => {
    expect(etagOf('a')).toBe(etagOf('a'));
    expect(etagOf('a')).not.toBe(etagOf('b'));
    expect(etagOf('a')).toMatch(/^"[\w-]+"$/);
  });

  it('matches If-None-Match lists, weak tags and *', () => {
    const tag = etagOf('body');
    expect(ifNoneMatchHits(undefined, tag)).toBe(false);
    expect(ifNoneMatchHits(tag, tag)).toBe(true);
    expect(ifNoneMatchHits(`W/${tag}`, tag)).toBe(true);
    expect(ifNoneMatchHits(`"other", ${tag}`, tag)).toBe(true);
    expect(ifNoneMatchHits('*', tag)).toBe(true);
    expect(ifNoneMatchHits('"other"', tag)).toBe(false);
    expect(ifNoneMatchHits(['"other"', tag], tag)).toBe(true);
  });
});

describeEachDb('task list cache and conditional GET', (variant) => {
  let t: TestApp;
  let token: string;
  let userId: string;
  beforeAll(async () => {
    t = await createTestApp(variant);
    ({ token, userId } = await t.signUp());
  });
  afterAll(async () => t?.close());

  const list = (app = t.app, headers: Record<string, string> = {}, url = '/api/tasks') =>
    app.inject({ method: 'GET', url, headers: { ...t.auth(token), ...headers } });
  const titles = (res: { json(): { items: { title: string }[] } }) => res.json().items.map((i) => i.title);
  const version = async () => {
    const r = await t.database.db.execute(sqlVersion(userId));
    return Number((r as unknown as { rows: { version?: number | string }[] }).rows[0]?.version ?? 0);
  };

  it('sends a strong ETag, private/no-cache, and 304 without a body while nothing changed', async () => {
    await t.app.inject({
      method: 'POST',
      url: '/api/tasks',
      headers: t.auth(token),
      payload: { title: 'first' },
    });
    const first = await list();
    expect(first.statusCode).toBe(200);
    const etag = first.headers.etag as string;
    expect(etag).toMatch(/^"[\w-]+"$/);
    expect(first.headers['cache-control']).toBe('private, no-cache');
    const again = await list(t.app, { 'if-none-match': etag });
    expect(again.statusCode).toBe(304);
    expect(again.body).toBe('');
    expect(again.headers.etag).toBe(etag);
    expect((await list(t.app, { 'if-none-match': `"stale", W/${etag}` })).statusCode).toBe(304);
    expect((await list(t.app, { 'if-none-match': '"stale"' })).statusCode).toBe(200);
  });

  it('renders a page once and serves it from the cache until the list changes', async () => {
    const tasks = t.app.ctx.tasks as unknown as { renderPage: (...args: unknown[]) => Promise<unknown> };
    const render = vi.spyOn(tasks, 'renderPage');
    try {
      await list(t.app, {}, '/api/tasks?status=open');
      await list(t.app, {}, '/api/tasks?status=open');
      await list(t.app, {}, '/api/tasks?status=open');
      expect(render).toHaveBeenCalledTimes(1);
      await list(t.app, {}, '/api/tasks?status=done'); // another query: its own page
      expect(render).toHaveBeenCalledTimes(2);
      await t.app.inject({
        method: 'POST',
        url: '/api/tasks',
        headers: t.auth(token),
        payload: { title: 'x' },
      });
      await list(t.app, {}, '/api/tasks?status=open');
      expect(render).toHaveBeenCalledTimes(3);
    } finally {
      render.mockRestore();
    }
  });

  it('shows every kind of change on the next list, with the ETag of the new content', async () => {
    const tagOf = async () => (await list()).headers.etag as string;
    const initial = await tagOf();
    const seen = new Set([initial]);
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/tasks',
      headers: t.auth(token),
      payload: { title: 'change me' },
    });
    const id = created.json().id as string;
    expect(titles(await list())).toContain('change me');
    seen.add(await tagOf());
    await t.app.inject({
      method: 'PATCH',
      url: `/api/tasks/${id}`,
      headers: t.auth(token),
      payload: { title: 'changed' },
    });
    expect(titles(await list())).toContain('changed');
    seen.add(await tagOf());
    await t.app.inject({
      method: 'POST',
      url: `/api/tasks/${id}/complete`,
      headers: t.auth(token),
      payload: { completed: true },
    });
    expect((await list()).json().items.find((i: { id: string }) => i.id === id).completed).toBe(true);
    seen.add(await tagOf());
    await t.app.inject({ method: 'DELETE', url: `/api/tasks/${id}`, headers: t.auth(token) });
    expect(titles(await list())).not.toContain('changed');
    const final = await tagOf();
    expect(seen.size).toBe(4);
    // the tag names the content: back to the first list, back to its tag
    expect(final).toBe(initial);
  });

  it('sees at once a change made through another replica or straight in the database', async () => {
    const other = await buildTestApp({ config: t.config, database: t.database });
    try {
      expect(titles(await list())).not.toContain('via replica b'); // cached on replica a
      const res = await other.inject({
        method: 'POST',
        url: '/api/tasks',
        headers: t.auth(token),
        payload: { title: 'via replica b' },
      });
      expect(res.statusCode).toBe(201);
      expect(titles(await list())).toContain('via replica b');
      await t.database.db.execute(sqlRename(userId, 'via replica b', 'via sql'));
      expect(titles(await list())).toContain('via sql');
      expect(titles(await list(other))).toContain('via sql');
    } finally {
      await other.close();
    }
  });

  it('bumps the version in the same transaction as the change, and not on rollback', async () => {
    const before = await version();
    await t.app.inject({
      method: 'POST',
      url: '/api/tasks',
      headers: t.auth(token),
      payload: { title: 'v' },
    });
    expect(await version()).toBe(before + 1);
    await expect(
      t.database.db.transaction(async (tx) => {
        await tx.execute(sqlRename(userId, 'v', 'rolled back'));
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    expect(await version()).toBe(before + 1);
    expect(titles(await list())).toContain('v');
  });

  it("lets a user's deletion cascade to their tasks through the trigger", async () => {
    const other = await t.signUp();
    await t.app.inject({
      method: 'POST',
      url: '/api/tasks',
      headers: t.auth(other.token),
      payload: { title: 'bye' },
    });
    await t.database.db.execute(sqlDeleteUser(other.userId));
    const left = await t.database.db.execute(sqlTaskCount(other.userId));
    expect(Number((left as unknown as { rows: { n: number }[] }).rows[0]?.n)).toBe(0);
  });

  it('serves the same pages with the cache off (TASK_LIST_CACHE_MB=0)', async () => {
    const off = await createTestApp(variant, { env: { TASK_LIST_CACHE_MB: '0' } });
    try {
      const u = await off.signUp();
      const h = off.auth(u.token);
      await off.app.inject({ method: 'POST', url: '/api/tasks', headers: h, payload: { title: 'uncached' } });
      const first = await off.app.inject({ method: 'GET', url: '/api/tasks', headers: h });
      expect(first.json().items.map((i: { title: string }) => i.title)).toEqual(['uncached']);
      const etag = first.headers.etag as string;
      const again = await off.app.inject({
        method: 'GET',
        url: '/api/tasks',
        headers: { ...h, 'if-none-match': etag },
      });
      expect(again.statusCode).toBe(304);
    } finally {
      await off.close();
    }
  });
});
