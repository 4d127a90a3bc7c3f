// Credentials: which tokens open what, and how fast a revocation takes effect. Sessions (cookie or
// the signed set-auth-token as a bearer) open the REST API; MCP keys open /mcp only; a password
// change or a revoked session ends other sessions at once, on every replica.
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type Database, openDatabase } from '../src/db/client.js';
import { buildTestApp, createTestApp, type TestApp } from './helpers/app.js';
import { describeEachDb } from './helpers/db.js';

const PASSWORD = 'correct-horse-battery';

describeEachDb('credentials', (variant) => {
  let t: TestApp;
  /** A second replica on the same database, with a connection (and session cache) of its own. */
  let replica: FastifyInstance;
  let replicaDb: Database | undefined;

  beforeAll(async () => {
    t = await createTestApp(variant);
    const url = t.config.databaseUrl ?? '';
    replicaDb = url.startsWith('postgres')
      ? await openDatabase({ databaseUrl: url, dataDir: '/tmp', poolMax: 2 })
      : undefined;
    replica = await buildTestApp({ config: t.config, database: replicaDb ?? t.database });
    await replica.ready();
  });
  afterAll(async () => {
    await replica?.close();
    await replicaDb?.close();
    await t?.close();
  });

  const signIn = async (email: string, password = PASSWORD) => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/auth/sign-in/email',
      payload: { email, password },
    });
    expect(res.statusCode, res.body).toBe(200);
    return { signed: String(res.headers['set-auth-token']), raw: String(res.json().token) };
  };
  const tasks = (app: FastifyInstance, token: string) =>
    app.inject({ method: 'GET', url: '/api/tasks', headers: { authorization: `Bearer ${token}` } });
  const mcpList = (key: string, url = '/mcp') =>
    t.app.inject({
      method: 'POST',
      url,
      headers: { authorization: `Bearer ${key}`, accept: 'application/json, text/event-stream' },
      payload: { jsonrpc: '2.0', id: 1, method: 'tools/list' },
    });

  it('accepts only the signed token as a bearer; the raw session token opens nothing', async () => {
    const { email } = await t.signUp();
    const { signed, raw } = await signIn(email);
    expect(signed).toContain('.');
    expect((await tasks(t.app, signed)).statusCode).toBe(200);
    expect((await tasks(t.app, raw)).statusCode).toBe(401);
  });

  it('never hands out raw session tokens (get-session, list-sessions)', async () => {
    const { email } = await t.signUp();
    const { signed, raw } = await signIn(email);
    for (const url of ['/api/auth/get-session', '/api/auth/list-sessions']) {
      const res = await t.app.inject({ url, headers: { authorization: `Bearer ${signed}` } });
      expect(res.statusCode, url).toBe(200);
      expect(res.body, url).not.toContain(raw);
      expect(res.body, url).not.toContain('"token"');
    }
    const sessions = (
      await t.app.inject({ url: '/api/auth/list-sessions', headers: { authorization: `Bearer ${signed}` } })
    ).json();
    expect(sessions.length).toBeGreaterThanOrEqual(2);
  });

  it('a password change ends every other session at once, on this replica and the other', async () => {
    const { email, token: first } = await t.signUp();
    const { signed: second } = await signIn(email);
    // both replicas have the first session cached
    expect((await tasks(t.app, first)).statusCode).toBe(200);
    expect((await tasks(replica, first)).statusCode).toBe(200);
    const changed = await t.app.inject({
      method: 'POST',
      url: '/api/auth/change-password',
      headers: { authorization: `Bearer ${second}` },
      // revokeOtherSessions is forced on: the client cannot opt out
      payload: {
        currentPassword: PASSWORD,
        newPassword: 'a-much-better-passphrase',
        revokeOtherSessions: false,
      },
    });
    expect(changed.statusCode, changed.body).toBe(200);
    expect((await tasks(t.app, first)).statusCode).toBe(401);
    await expect.poll(async () => (await tasks(replica, first)).statusCode, { timeout: 3_000 }).toBe(401);
    // the session that changed the password continues under a fresh token
    const renewed = String(changed.headers['set-auth-token']);
    expect((await tasks(t.app, renewed)).statusCode).toBe(200);
  });

  it('a revoked session stops working at once, also through the other replica', async () => {
    const { email, token: first } = await t.signUp();
    const { signed: second } = await signIn(email);
    expect((await tasks(replica, first)).statusCode).toBe(200);
    const revoked = await t.app.inject({
      method: 'POST',
      url: '/api/auth/revoke-other-sessions',
      headers: { authorization: `Bearer ${second}` },
      payload: {},
    });
    expect(revoked.statusCode, revoked.body).toBe(200);
    expect((await tasks(t.app, first)).statusCode).toBe(401);
    await expect.poll(async () => (await tasks(replica, first)).statusCode, { timeout: 3_000 }).toBe(401);
  });

  it('refuses the most common passwords, at sign-up and on change', async () => {
    const signUp = await t.app.inject({
      method: 'POST',
      url: '/api/auth/sign-up/email',
      payload: { email: `common-${Date.now()}@example.com`, password: 'password1', name: 'x' },
    });
    expect(signUp.statusCode).toBe(400);
    expect(signUp.json()).toMatchObject({ code: 'password_too_common' });
    const { token } = await t.signUp();
    const change = await t.app.inject({
      method: 'POST',
      url: '/api/auth/change-password',
      headers: t.auth(token),
      payload: { currentPassword: PASSWORD, newPassword: 'Iloveyou' },
    });
    expect(change.statusCode).toBe(400);
    expect(change.json()).toMatchObject({ code: 'password_too_common' });
  });

  it('MCP keys: a session token is refused at /mcp, a key opens only the MCP tools', async () => {
    const { token } = await t.signUp();
    expect((await mcpList(token)).statusCode).toBe(401);
    const key = await t.mcpKey(token);
    const listed = await mcpList(key);
    expect(listed.statusCode).toBe(200);
    expect(listed.json().result.tools.map((x: { name: string }) => x.name)).toContain('add_task');
    // the public door through the frontend's proxy is /api/mcp
    expect((await mcpList(key, '/api/mcp')).statusCode).toBe(200);
    // a key is not a session
    expect((await tasks(t.app, key)).statusCode).toBe(401);
    expect((await t.app.inject({ url: '/api/auth/get-session', headers: t.auth(key) })).json()).toBeNull();
  });

  it('MCP keys: a read key offers only list_tasks and cannot write', async () => {
    const { token } = await t.signUp();
    const key = await t.mcpKey(token, 'read');
    const names = (await mcpList(key)).json().result.tools.map((x: { name: string }) => x.name);
    expect(names).toEqual(['list_tasks']);
    const add = await t.callTool(key, 'add_task', { title: 'x' });
    expect(JSON.stringify(add.json())).toMatch(/not found|isError/i);
    expect((await tasks(t.app, token)).json().items).toEqual([]);
  });

  it('MCP keys: listed without secrets, revoked at once, and only by their owner', async () => {
    const a = await t.signUp();
    const b = await t.signUp();
    const key = await t.mcpKey(a.token);
    const list = await t.app.inject({ url: '/api/mcp-keys', headers: t.auth(a.token) });
    expect(list.statusCode).toBe(200);
    const [entry] = list.json().items;
    expect(entry).toMatchObject({ name: 'test write key', scope: 'write', expiresAt: null });
    expect(list.body).not.toContain(key);
    expect(key.startsWith(entry.start)).toBe(true);
    // enough of the key to tell keys apart: the prefix and four more characters
    expect(entry.start).toHaveLength('todo_mcp_'.length + 4);
    expect((await t.app.inject({ url: '/api/mcp-keys', headers: t.auth(b.token) })).json().items).toEqual([]);

    const byOther = await t.app.inject({
      method: 'DELETE',
      url: `/api/mcp-keys/${entry.id}`,
      headers: t.auth(b.token),
    });
    expect(byOther.statusCode).toBe(404);
    expect((await mcpList(key)).statusCode).toBe(200);

    const revoked = await t.app.inject({
      method: 'DELETE',
      url: `/api/mcp-keys/${entry.id}`,
      headers: t.auth(a.token),
    });
    expect(revoked.statusCode).toBe(204);
    expect((await mcpList(key)).statusCode).toBe(401);
  });

  it('MCP keys: bad creation input is a 400 problem, and nothing is created', async () => {
    const { token } = await t.signUp();
    for (const payload of [
      {},
      { name: '' },
      { name: 'x', scope: 'admin' },
      { name: 'a\u0000b' },
      { name: 'x', expiresInDays: 0 },
    ]) {
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/mcp-keys',
        headers: t.auth(token),
        payload,
      });
      expect(res.statusCode, JSON.stringify(payload)).toBe(400);
    }
    expect((await t.app.inject({ url: '/api/mcp-keys', headers: t.auth(token) })).json().items).toEqual([]);
  });
});
