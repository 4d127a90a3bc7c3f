// Bad input through every door of the API: each bad request answers its 4xx problem and writes
// nothing, on PGlite and PostgreSQL (the requests: cases/bad-requests.ts).
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { BAD_REQUESTS } from './cases/bad-requests.js';
import { createTestApp, type TestApp } from './helpers/app.js';
import { describeEachDb } from './helpers/db.js';

describeEachDb('bad input', (variant) => {
  let t: TestApp;
  let token: string;
  let taskId: string;
  const counts = async () => {
    const r = await t.database.db.execute(
      sql`SELECT (SELECT count(*) FROM tasks)::int AS tasks, (SELECT count(*) FROM messages)::int AS messages,
                 (SELECT count(*) FROM conversations)::int AS conversations,
                 (SELECT max(updated_at) FROM tasks)::text AS touched`,
    );
    return (r as unknown as { rows: unknown[] }).rows[0];
  };

  beforeAll(async () => {
    t = await createTestApp(variant);
    token = (await t.signUp()).token;
    taskId = (
      await t.app.inject({
        method: 'POST',
        url: '/api/tasks',
        headers: t.auth(token),
        payload: { title: 'keep me' },
      })
    ).json().id;
  });
  afterAll(async () => t?.close());

  it.each(BAD_REQUESTS)('$name → $status $code', async (c) => {
    const before = await counts();
    const res = await t.app.inject({
      method: c.method,
      url: c.url(taskId),
      headers: {
        ...t.auth(token),
        ...(c.body !== undefined || c.raw !== undefined
          ? { 'content-type': c.contentType ?? 'application/json' }
          : {}),
      },
      ...(c.raw !== undefined
        ? { payload: c.raw }
        : c.body !== undefined
          ? { payload: JSON.stringify(c.body) }
          : {}),
    });
    expect(res.statusCode).toBe(c.status);
    expect(res.headers['content-type']).toContain('application/problem+json');
    const problem = res.json();
    expect(problem).toMatchObject({ status: c.status, code: c.code });
    expect(typeof problem.title).toBe('string');
    expect(typeof problem.detail).toBe('string');
    expect(await counts()).toEqual(before);
  });

  it('MCP tools answer a NUL with a validation error, never SQL or ids', async () => {
    const key = await t.mcpKey(token);
    const { userId } = await t.signUp();
    const before = await counts();
    for (const args of [
      { title: 'a\u0000b' },
      { title: 'a', tags: ['\u0000'] },
      { title: 'a', dueAt: '0000-01-01T00:00:00Z' },
    ]) {
      const res = await t.callTool(key, 'add_task', args);
      expect(res.statusCode).toBe(200);
      expect(res.json().result?.isError ?? Boolean(res.json().error)).toBe(true);
      expect(res.body).not.toMatch(/insert into|"tasks"|syntax|0x00|invalid byte/i);
      expect(res.body).not.toContain(userId);
    }
    expect(await counts()).toEqual(before);
  });

  it('MCP tools reject bad arguments without writing', async () => {
    const key = await t.mcpKey(token);
    const before = await counts();
    for (const [name, args] of [
      ['add_task', { title: '' }],
      ['add_task', { title: 'a', owner: 'x' }],
      ['update_task', { id: 'not-a-uuid', title: 'b' }],
      ['complete_task', {}],
      ['delete_task', { id: 12 }],
    ] as const) {
      const res = await t.callTool(key, name, args);
      expect(res.statusCode).toBe(200);
      expect(res.json().result?.isError ?? Boolean(res.json().error)).toBe(true);
    }
    expect(await counts()).toEqual(before);
  });

  it.each([
    {
      name: 'sign-in with a wrong password',
      url: '/api/auth/sign-in/email',
      payload: { email: 'nobody@example.com', password: 'wrong-password' },
      status: 401,
      code: 'invalid_email_or_password',
    },
    {
      name: 'sign-up with a malformed email',
      url: '/api/auth/sign-up/email',
      payload: { email: 'not-an-email', password: 'correct-horse-battery', name: 'x' },
      status: 400,
      code: 'validation_error',
    },
    {
      name: 'sign-up with a short password',
      url: '/api/auth/sign-up/email',
      payload: { email: 'short@example.com', password: 'short', name: 'x' },
      status: 400,
      code: 'password_too_short',
    },
  ])("auth: $name → $status problem+json $code, keeping Better Auth's message", async (c) => {
    const before = await counts();
    const res = await t.app.inject({ method: 'POST', url: c.url, payload: c.payload });
    expect(res.statusCode).toBe(c.status);
    expect(res.headers['content-type']).toContain('application/problem+json');
    const body = res.json();
    expect(body).toMatchObject({ status: c.status, code: c.code, title: expect.any(String) });
    expect(body.detail).toBeTruthy();
    expect(body.message).toBe(body.detail);
    expect(await counts()).toEqual(before);
  });
});
