import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './helpers/app.js';
import { describeEachDb } from './helpers/db.js';

interface BadCase {
  name: string;
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  url: (id: string) => string;
  body?: unknown;
  raw?: string;
  contentType?: string;
  status: number;
  code: string;
}

const long = (n: number) => 'x'.repeat(n);
const ZERO_UUID = '00000000-0000-4000-8000-000000000000';
const encode = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');

const cases: BadCase[] = [
  // wrong types
  {
    name: 'title is a number',
    method: 'POST',
    url: () => '/api/tasks',
    body: { title: 42 },
    status: 400,
    code: 'validation_error',
  },
  {
    name: 'tags is a string',
    method: 'POST',
    url: () => '/api/tasks',
    body: { title: 'a', tags: 'x' },
    status: 400,
    code: 'validation_error',
  },
  {
    name: 'priority unknown',
    method: 'POST',
    url: () => '/api/tasks',
    body: { title: 'a', priority: 'urgent' },
    status: 400,
    code: 'validation_error',
  },
  {
    name: 'dueAt not a date',
    method: 'POST',
    url: () => '/api/tasks',
    body: { title: 'a', dueAt: 'friday' },
    status: 400,
    code: 'validation_error',
  },
  {
    name: 'completed is a string',
    method: 'PATCH',
    url: (id) => `/api/tasks/${id}`,
    body: { completed: 'yes' },
    status: 400,
    code: 'validation_error',
  },
  {
    name: 'complete body wrong type',
    method: 'POST',
    url: (id) => `/api/tasks/${id}/complete`,
    body: { completed: 1 },
    status: 400,
    code: 'validation_error',
  },
  {
    name: 'body is an array',
    method: 'POST',
    url: () => '/api/tasks',
    body: [{ title: 'a' }],
    status: 400,
    code: 'validation_error',
  },
  {
    name: 'chat message is an object',
    method: 'POST',
    url: () => '/api/chat',
    body: { message: { text: 'hi' } },
    status: 400,
    code: 'validation_error',
  },
  // missing and unknown fields
  {
    name: 'missing title',
    method: 'POST',
    url: () => '/api/tasks',
    body: {},
    status: 400,
    code: 'validation_error',
  },
  {
    name: 'blank title',
    method: 'POST',
    url: () => '/api/tasks',
    body: { title: '   ' },
    status: 400,
    code: 'validation_error',
  },
  {
    name: 'unknown field on create',
    method: 'POST',
    url: () => '/api/tasks',
    body: { title: 'a', userId: 'x' },
    status: 400,
    code: 'validation_error',
  },
  {
    name: 'unknown field on patch',
    method: 'PATCH',
    url: (id) => `/api/tasks/${id}`,
    body: { id: ZERO_UUID },
    status: 400,
    code: 'validation_error',
  },
  {
    name: 'missing completed',
    method: 'POST',
    url: (id) => `/api/tasks/${id}/complete`,
    body: {},
    status: 400,
    code: 'validation_error',
  },
  {
    name: 'missing chat message',
    method: 'POST',
    url: () => '/api/chat',
    body: {},
    status: 400,
    code: 'validation_error',
  },
  {
    name: 'unknown chat field',
    method: 'POST',
    url: () => '/api/chat',
    body: { message: 'hi', model: 'gpt-5' },
    status: 400,
    code: 'validation_error',
  },
  {
    name: 'unknown query parameter',
    method: 'GET',
    url: () => '/api/tasks?owner=someone',
    status: 400,
    code: 'validation_error',
  },
  // oversize strings and arrays
  {
    name: 'title 201 chars',
    method: 'POST',
    url: () => '/api/tasks',
    body: { title: long(201) },
    status: 400,
    code: 'validation_error',
  },
  {
    name: 'description 4001 chars',
    method: 'POST',
    url: () => '/api/tasks',
    body: { title: 'a', description: long(4001) },
    status: 400,
    code: 'validation_error',
  },
  {
    name: '11 tags',
    method: 'POST',
    url: () => '/api/tasks',
    body: { title: 'a', tags: Array.from({ length: 11 }, (_, i) => `t${i}`) },
    status: 400,
    code: 'validation_error',
  },
  {
    name: 'tag 33 chars',
    method: 'POST',
    url: () => '/api/tasks',
    body: { title: 'a', tags: [long(33)] },
    status: 400,
    code: 'validation_error',
  },
  {
    name: 'patch title 201 chars',
    method: 'PATCH',
    url: (id) => `/api/tasks/${id}`,
    body: { title: long(201) },
    status: 400,
    code: 'validation_error',
  },
  {
    name: 'chat message too long',
    method: 'POST',
    url: () => '/api/chat',
    body: { message: long(4001) },
    status: 400,
    code: 'validation_error',
  },
  {
    name: 'blank chat message',
    method: 'POST',
    url: () => '/api/chat',
    body: { message: '  ' },
    status: 400,
    code: 'validation_error',
  },
  // invalid JSON and huge bodies
  {
    name: 'invalid JSON',
    method: 'POST',
    url: () => '/api/tasks',
    raw: '{"title": ',
    status: 400,
    code: 'invalid_json',
  },
  {
    name: 'invalid JSON on chat',
    method: 'POST',
    url: () => '/api/chat',
    raw: 'not json',
    status: 400,
    code: 'invalid_json',
  },
  {
    name: 'empty JSON body',
    method: 'POST',
    url: () => '/api/tasks',
    raw: '',
    status: 400,
    code: 'invalid_json',
  },
  {
    name: '5 MB body',
    method: 'POST',
    url: () => '/api/tasks',
    raw: JSON.stringify({ title: long(5 * 1024 * 1024) }),
    status: 413,
    code: 'payload_too_large',
  },
  {
    name: '5 MB chat body',
    method: 'POST',
    url: () => '/api/chat',
    raw: JSON.stringify({ message: long(5 * 1024 * 1024) }),
    status: 413,
    code: 'payload_too_large',
  },
  {
    name: 'text/plain body',
    method: 'POST',
    url: () => '/api/tasks',
    raw: 'title=a',
    contentType: 'text/plain',
    status: 415,
    code: 'unsupported_media_type',
  },
  // bad ids
  {
    name: 'GET non-uuid id',
    method: 'GET',
    url: () => '/api/tasks/123',
    status: 400,
    code: 'validation_error',
  },
  {
    name: 'PATCH non-uuid id',
    method: 'PATCH',
    url: () => '/api/tasks/abc',
    body: { title: 'b' },
    status: 400,
    code: 'validation_error',
  },
  {
    name: 'DELETE sql-ish id',
    method: 'DELETE',
    url: () => "/api/tasks/1'%20OR%20'1'='1",
    status: 400,
    code: 'validation_error',
  },
  {
    name: 'complete non-uuid id',
    method: 'POST',
    url: () => '/api/tasks/zzz/complete',
    body: { completed: true },
    status: 400,
    code: 'validation_error',
  },
  {
    name: 'unknown uuid',
    method: 'DELETE',
    url: () => `/api/tasks/${ZERO_UUID}`,
    status: 404,
    code: 'not_found',
  },
  {
    name: 'messages of non-uuid',
    method: 'GET',
    url: () => '/api/conversations/nope/messages',
    status: 400,
    code: 'validation_error',
  },
  {
    name: 'chat with non-uuid conversation',
    method: 'POST',
    url: () => '/api/chat',
    body: { conversationId: 'x', message: 'hi' },
    status: 400,
    code: 'validation_error',
  },
  {
    name: 'chat with unknown conversation',
    method: 'POST',
    url: () => '/api/chat',
    body: { conversationId: ZERO_UUID, message: 'add x' },
    status: 404,
    code: 'not_found',
  },
  // bad query values and cursors
  { name: 'limit 0', method: 'GET', url: () => '/api/tasks?limit=0', status: 400, code: 'validation_error' },
  {
    name: 'limit 101',
    method: 'GET',
    url: () => '/api/tasks?limit=101',
    status: 400,
    code: 'validation_error',
  },
  {
    name: 'limit text',
    method: 'GET',
    url: () => '/api/tasks?limit=ten',
    status: 400,
    code: 'validation_error',
  },
  {
    name: 'unknown sort',
    method: 'GET',
    url: () => '/api/tasks?sort=owner',
    status: 400,
    code: 'validation_error',
  },
  {
    name: 'unknown status',
    method: 'GET',
    url: () => '/api/tasks?status=deleted',
    status: 400,
    code: 'validation_error',
  },
  {
    name: 'garbage cursor',
    method: 'GET',
    url: () => '/api/tasks?cursor=%%%',
    status: 400,
    code: 'invalid_cursor',
  },
  {
    name: 'base64 non-JSON cursor',
    method: 'GET',
    url: () => `/api/tasks?cursor=${Buffer.from('hello').toString('base64url')}`,
    status: 400,
    code: 'invalid_cursor',
  },
  {
    name: 'cursor of another sort',
    method: 'GET',
    url: () =>
      `/api/tasks?sort=title&cursor=${encode({ s: '-created', v: '2020-01-01T00:00:00.000Z', id: ZERO_UUID })}`,
    status: 400,
    code: 'invalid_cursor',
  },
  {
    name: 'cursor with bad id',
    method: 'GET',
    url: () =>
      `/api/tasks?cursor=${encode({ s: '-created', v: '2020-01-01T00:00:00.000Z', id: "x' OR 1=1" })}`,
    status: 400,
    code: 'invalid_cursor',
  },
  {
    name: 'cursor with bad date',
    method: 'GET',
    url: () => `/api/tasks?cursor=${encode({ s: '-created', v: 'yesterday', id: ZERO_UUID })}`,
    status: 400,
    code: 'invalid_cursor',
  },
  {
    name: 'cursor with bad priority',
    method: 'GET',
    url: () => `/api/tasks?sort=priority&cursor=${encode({ s: 'priority', v: 7, id: ZERO_UUID })}`,
    status: 400,
    code: 'invalid_cursor',
  },
  // control characters (PostgreSQL cannot store NUL: these were 500s) and out-of-range values
  ...(
    [
      ['NUL in a title', 'POST', () => '/api/tasks', { title: 'a\u0000b' }],
      ['NUL in a description', 'POST', () => '/api/tasks', { title: 'a', description: 'x\u0000' }],
      ['NUL in a tag', 'POST', () => '/api/tasks', { title: 'a', tags: ['t\u0000'] }],
      ['NUL in a patched title', 'PATCH', (id: string) => `/api/tasks/${id}`, { title: '\u0000' }],
      ['bell in a title', 'POST', () => '/api/tasks', { title: 'ring\u0007' }],
      ['line break in a title', 'POST', () => '/api/tasks', { title: 'two\nlines' }],
      [
        'NUL in a chat message after character 80',
        'POST',
        () => '/api/chat',
        { message: `${long(90)}\u0000` },
      ],
      ['dueAt in year 0000', 'POST', () => '/api/tasks', { title: 'a', dueAt: '0000-01-01T00:00:00Z' }],
      [
        'dueAt in an extended year',
        'POST',
        () => '/api/tasks',
        { title: 'a', dueAt: '+275760-09-13T00:00:00Z' },
      ],
      ['dueAt before 1900', 'PATCH', (id: string) => `/api/tasks/${id}`, { dueAt: '1899-12-31T23:59:59Z' }],
    ] as const
  ).map(
    ([name, method, url, body]): BadCase => ({
      name,
      method,
      url,
      body,
      status: 400,
      code: 'validation_error',
    }),
  ),
  { name: 'NUL in q', method: 'GET', url: () => '/api/tasks?q=a%00b', status: 400, code: 'validation_error' },
  {
    name: 'NUL in the tag filter',
    method: 'GET',
    url: () => '/api/tasks?tag=%00',
    status: 400,
    code: 'validation_error',
  },
  ...(
    [
      ['forged cursor without a sort', { v: '1' }],
      [
        'forged cursor in an extended year',
        { s: '-created', v: '+275760-09-13T00:00:00.000Z', id: ZERO_UUID },
      ],
      ['forged cursor in year 0000', { s: '-created', v: '0000-01-01T00:00:00.000Z', id: ZERO_UUID }],
      ['forged cursor with a loose date', { s: '-created', v: '2026-01-01', id: ZERO_UUID }],
      ['forged cursor with NUL in a title', { s: 'title', v: 'a\u0000', id: ZERO_UUID }],
      [
        'forged cursor with an extra field',
        { s: '-created', v: '2026-01-01T00:00:00.000Z', id: ZERO_UUID, x: 1 },
      ],
    ] as const
  ).map(
    ([name, cursor]): BadCase => ({
      name,
      method: 'GET',
      url: () => `/api/tasks?sort=${'s' in cursor ? cursor.s : '-created'}&cursor=${encode(cursor)}`,
      status: 400,
      code: 'invalid_cursor',
    }),
  ),
  {
    name: 'ChatKit rename with NUL',
    method: 'POST',
    url: () => '/api/chatkit',
    body: { type: 'threads.update', params: { thread_id: ZERO_UUID, title: 'a\u0000' } },
    status: 400,
    code: 'validation_error',
  },
  {
    name: 'ChatKit message with NUL',
    method: 'POST',
    url: () => '/api/chatkit',
    body: {
      type: 'threads.create',
      params: { input: { content: [{ type: 'input_text', text: `${long(90)}\u0000` }] } },
    },
    status: 400,
    code: 'validation_error',
  },
  {
    name: 'messages page with a foreign cursor',
    method: 'GET',
    url: () => `/api/conversations/${ZERO_UUID}/messages?before=${ZERO_UUID}`,
    status: 404,
    code: 'not_found',
  },
  {
    name: 'messages page of 201',
    method: 'GET',
    url: () => `/api/conversations/${ZERO_UUID}/messages?limit=201`,
    status: 400,
    code: 'validation_error',
  },
];

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

  it.each(cases)('$name → $status $code', async (c) => {
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
      const res = await t.app.inject({
        method: 'POST',
        url: '/mcp',
        headers: { ...t.auth(key), accept: 'application/json, text/event-stream' },
        payload: {
          jsonrpc: '2.0',
          id: 1,
          method: 'tools/call',
          params: { name: 'add_task', arguments: args },
        },
      });
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
      const res = await t.app.inject({
        method: 'POST',
        url: '/mcp',
        headers: { ...t.auth(key), accept: 'application/json, text/event-stream' },
        payload: { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name, arguments: args } },
      });
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
