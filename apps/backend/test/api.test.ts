import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './helpers/app.js';
import { describeEachDb } from './helpers/db.js';

describeEachDb('REST API', (variant) => {
  let t: TestApp;
  let token: string;
  beforeAll(async () => {
    t = await createTestApp(variant);
    token = (await t.signUp()).token;
  });
  afterAll(async () => t?.close());

  const call = (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: unknown) =>
    t.app.inject({
      method,
      url,
      headers: t.auth(token),
      ...(payload === undefined ? {} : { payload: payload as object }),
    });

  it('serves health, readiness, OpenAPI, docs and the assistant mode', async () => {
    expect((await t.app.inject('/health')).json()).toEqual({ status: 'ok' });
    expect((await t.app.inject('/ready')).json()).toEqual({ status: 'ready' });
    const spec = (await t.app.inject('/openapi.json')).json();
    expect(spec.openapi).toBe('3.1.0');
    expect(Object.keys(spec.paths)).toEqual(
      expect.arrayContaining([
        '/api/tasks',
        '/api/tasks/{id}',
        '/api/tasks/{id}/complete',
        '/api/chat',
        '/health',
        '/api/mcp-keys',
      ]),
    );
    // every user route documents its credentials and its 401 (one schema helper, one session check)
    for (const [route, ops] of Object.entries(
      spec.paths as Record<string, Record<string, Record<string, unknown>>>,
    )) {
      if (!route.startsWith('/api/') || route === '/api/assistant') continue;
      for (const [method, op] of Object.entries(ops)) {
        expect(op.security, `${method} ${route}`).toEqual([{ bearerAuth: [] }, { cookieAuth: [] }]);
        expect(op.responses, `${method} ${route}`).toHaveProperty('401');
      }
    }
    const docs = await t.app.inject('/docs/');
    expect(docs.statusCode).toBe(200);
    expect(docs.headers['content-type']).toMatch(/text\/html/);
    expect((await t.app.inject('/api/assistant')).json()).toEqual({ mode: 'offline', model: 'offline' });
  });

  it('serves MCP statelessly: GET and DELETE answer 405', async () => {
    for (const method of ['GET', 'DELETE'] as const) {
      const res = await t.app.inject({ method, url: '/mcp', headers: t.auth(token) });
      expect(res.statusCode).toBe(405);
      expect(res.headers.allow).toBe('POST');
    }
  });

  it('sets security headers and keeps CORS closed', async () => {
    const res = await t.app.inject({ url: '/health', headers: { origin: 'http://evil.example' } });
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['content-security-policy']).toContain("default-src 'none'");
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
    expect(res.headers['x-request-id']).toBeTruthy();
  });

  it('requires authentication', async () => {
    const res = await t.app.inject('/api/tasks');
    expect(res.statusCode).toBe(401);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json().code).toBe('unauthorized');
    expect(
      (await t.app.inject({ url: '/api/tasks', headers: { authorization: 'Bearer nope.nope' } })).statusCode,
    ).toBe(401);
  });

  it('creates, reads, updates, completes and deletes a task', async () => {
    const created = await call('POST', '/api/tasks', {
      title: '  Buy milk  ',
      description: '2 litres',
      priority: 'high',
      tags: ['shopping', 'shopping', 'food'],
      dueAt: '2030-01-02T10:00:00Z',
    });
    expect(created.statusCode).toBe(201);
    const task = created.json();
    expect(task).toMatchObject({
      title: 'Buy milk',
      description: '2 litres',
      completed: false,
      priority: 'high',
      tags: ['shopping', 'food'],
      dueAt: '2030-01-02T10:00:00.000Z',
    });
    expect((await call('GET', `/api/tasks/${task.id}`)).json()).toEqual(task);
    const patched = (
      await call('PATCH', `/api/tasks/${task.id}`, { title: 'Buy oat milk', dueAt: null })
    ).json();
    expect(patched).toMatchObject({ title: 'Buy oat milk', dueAt: null, priority: 'high' });
    expect(Date.parse(patched.updatedAt)).toBeGreaterThanOrEqual(Date.parse(task.updatedAt));
    expect((await call('POST', `/api/tasks/${task.id}/complete`, { completed: true })).json().completed).toBe(
      true,
    );
    expect(
      (await call('POST', `/api/tasks/${task.id}/complete`, { completed: false })).json().completed,
    ).toBe(false);
    expect((await call('DELETE', `/api/tasks/${task.id}`)).statusCode).toBe(204);
    expect((await call('GET', `/api/tasks/${task.id}`)).statusCode).toBe(404);
  });

  describe('listing', () => {
    let listToken: string;
    const list = async (qs: string) =>
      (await t.app.inject({ url: `/api/tasks?${qs}`, headers: t.auth(listToken) })).json() as {
        items: { title: string; completed: boolean }[];
        nextCursor: string | null;
      };

    beforeAll(async () => {
      listToken = (await t.signUp()).token;
      const specs = [
        { title: 'alpha report', priority: 'low', tags: ['work'], dueAt: '2030-03-01T00:00:00Z' },
        { title: 'Bravo groceries', priority: 'high', tags: ['home', 'shopping'] },
        {
          title: 'charlie taxes',
          priority: 'medium',
          tags: ['home'],
          dueAt: '2030-01-01T00:00:00Z',
          description: 'form 100%',
        },
        { title: 'delta call', priority: 'high', tags: [] },
      ];
      for (const s of specs) {
        const r = await t.app.inject({
          method: 'POST',
          url: '/api/tasks',
          headers: t.auth(listToken),
          payload: s,
        });
        expect(r.statusCode).toBe(201);
      }
      const all = await list('');
      const delta = (all.items as { id?: string; title: string }[]).find((x) => x.title === 'delta call') as {
        id: string;
      };
      await t.app.inject({
        method: 'POST',
        url: `/api/tasks/${delta.id}/complete`,
        headers: t.auth(listToken),
        payload: { completed: true },
      });
    });

    it('sorts newest first by default', async () => {
      expect((await list('')).items.map((x) => x.title)).toEqual([
        'delta call',
        'charlie taxes',
        'Bravo groceries',
        'alpha report',
      ]);
    });

    it.each([
      ['status=open', ['charlie taxes', 'Bravo groceries', 'alpha report']],
      ['status=done', ['delta call']],
      ['priority=high', ['delta call', 'Bravo groceries']],
      ['tag=home', ['charlie taxes', 'Bravo groceries']],
      ['q=GROC', ['Bravo groceries']],
      ['q=100%25', ['charlie taxes']],
      ['q=_', []],
      ['sort=title', ['alpha report', 'Bravo groceries', 'charlie taxes', 'delta call']],
      ['sort=-title', ['delta call', 'charlie taxes', 'Bravo groceries', 'alpha report']],
      ['sort=due', ['charlie taxes', 'alpha report', 'delta call', 'Bravo groceries']],
      ['sort=-due', ['alpha report', 'charlie taxes', 'delta call', 'Bravo groceries']],
      ['sort=-priority', ['delta call', 'Bravo groceries', 'charlie taxes', 'alpha report']],
      ['sort=created', ['alpha report', 'Bravo groceries', 'charlie taxes', 'delta call']],
    ])('%s', async (qs, expected) => {
      const titles = (await list(qs)).items.map((x) => x.title);
      if (qs.startsWith('sort=due') || qs.startsWith('sort=-due')) {
        // tasks without a due date come last; among them the order is by id
        expect(titles.slice(0, 2)).toEqual(expected.slice(0, 2));
        expect(new Set(titles.slice(2))).toEqual(new Set(expected.slice(2)));
      } else if (qs === 'sort=-priority') {
        expect(new Set(titles.slice(0, 2))).toEqual(new Set(expected.slice(0, 2)));
        expect(titles.slice(2)).toEqual(expected.slice(2));
      } else {
        expect(titles).toEqual(expected);
      }
    });

    it.each(['-created', 'created', 'title', '-title', 'due', '-due', 'priority', '-priority'])(
      'walks every page with sort=%s without gaps or repeats',
      async (sort) => {
        const full = (await list(`sort=${sort}&limit=100`)).items.map((x) => x.title);
        const seen: string[] = [];
        let cursor: string | null = null;
        for (let i = 0; i < 10; i++) {
          const page: Awaited<ReturnType<typeof list>> = await list(
            `sort=${sort}&limit=1${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
          );
          seen.push(...page.items.map((x) => x.title));
          cursor = page.nextCursor;
          if (!cursor) break;
        }
        expect(seen).toEqual(full);
        expect(seen).toHaveLength(4);
      },
    );
  });

  it("reads dates in the user's time zone when the chat request names one", async () => {
    const say = (message: string, timeZone?: string) =>
      t.chat(token, { message, ...(timeZone ? { timeZone } : {}) });
    expect((await say('add call the Tokyo office tomorrow at 9am', 'Asia/Tokyo')).statusCode).toBe(200);
    const items = (await call('GET', '/api/tasks?q=Tokyo')).json().items;
    expect(items).toHaveLength(1);
    // 09:00 in Tokyo (UTC+9, no daylight saving) is 00:00 UTC
    expect(items[0].dueAt).toMatch(/T00:00:00\.000Z$/);
    // an unknown zone is ignored (UTC), a malformed one is a 400
    expect((await say('list my tasks', 'Not/A_Zone')).statusCode).toBe(200);
    const bad = await say('list my tasks', 'Europe/Berlin; rm -rf');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().code).toBe('validation_error');
  });

  it('lists, reads and deletes conversations', async () => {
    const chat = await t.chat(token, { message: 'add water the plants' });
    expect(chat.statusCode).toBe(200);
    const convs = (await call('GET', '/api/conversations')).json().items;
    expect(convs[0]).toMatchObject({ title: 'add water the plants' });
    const msgs = (await call('GET', `/api/conversations/${convs[0].id}/messages`)).json().items;
    expect(msgs.map((m: { role: string }) => m.role)).toEqual(['user', 'assistant']);
    expect(msgs[1].toolCalls).toEqual([
      {
        name: 'add_task',
        arguments: { title: 'water the plants' },
        summary: 'Added task “water the plants”',
        ok: true,
      },
    ]);
    expect((await call('DELETE', `/api/conversations/${convs[0].id}`)).statusCode).toBe(204);
    expect((await call('GET', `/api/conversations/${convs[0].id}/messages`)).statusCode).toBe(404);
  });

  describe('auth origin check', () => {
    const signIn = (headers: Record<string, string>) =>
      t.app.inject({
        method: 'POST',
        url: '/api/auth/sign-up/email',
        headers: { cookie: 'x=1', ...headers },
        payload: { email: `o${Math.random()}@example.com`, password: 'correct-horse-battery', name: 'o' },
      });

    it('rejects an untrusted Origin', async () => {
      expect((await signIn({ origin: 'http://evil.example' })).statusCode).toBe(403);
    });
    it('accepts TRUSTED_ORIGINS', async () => {
      expect((await signIn({ origin: 'http://trusted.example' })).statusCode).toBe(200);
    });
    it('accepts the origin the proxy forwarded (any host name)', async () => {
      const res = await signIn({
        origin: 'http://192.168.49.2:30000',
        'x-forwarded-proto': 'http',
        'x-forwarded-host': '192.168.49.2:30000',
      });
      expect(res.statusCode).toBe(200);
    });
    it('rejects an Origin that differs from the forwarded one', async () => {
      const res = await signIn({
        origin: 'http://evil.example',
        'x-forwarded-proto': 'http',
        'x-forwarded-host': 'todo.local:30000',
      });
      expect(res.statusCode).toBe(403);
    });
  });

  it('signs out: the token stops working', async () => {
    const { token: tk } = await t.signUp();
    expect((await t.app.inject({ url: '/api/tasks', headers: t.auth(tk) })).statusCode).toBe(200);
    const out = await t.app.inject({
      method: 'POST',
      url: '/api/auth/sign-out',
      headers: t.auth(tk),
      payload: {},
    });
    expect(out.statusCode).toBe(200);
    expect((await t.app.inject({ url: '/api/tasks', headers: t.auth(tk) })).statusCode).toBe(401);
  });
});
