import type { ChatRequest } from '@todo/contracts';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import type { SelectedModel } from '../../src/agent/models.js';
import { OfflineModel } from '../../src/agent/offline/model.js';
import { buildApp } from '../../src/app.js';
import { type Config, loadConfig } from '../../src/config.js';
import type { AppContext } from '../../src/container.js';
import { type Database, openDatabase } from '../../src/db/client.js';
import { runMigrations } from '../../src/db/migrate.js';
import type { DbVariant } from './db.js';

export const TEST_SECRET = 'test-secret-test-secret-test-secret-0123456789';

export interface TestApp {
  app: FastifyInstance & { ctx: AppContext };
  database: Database;
  config: Config;
  /** Signs a new user up and returns a bearer token. */
  signUp(email?: string): Promise<{ token: string; userId: string; email: string }>;
  auth(token: string): { authorization: string };
  /** Creates an MCP key for the user of `token` and returns its secret. */
  mcpKey(token: string, scope?: 'read' | 'write'): Promise<string>;
  /** Calls the MCP tool `name` with `args` over /mcp (JSON-RPC tools/call), with the MCP key `key`. */
  callTool(key: string, name: string, args: Record<string, unknown>): Promise<LightMyRequestResponse>;
  /** One chat turn (POST /api/chat) of the user of `token`; the answer is the event stream. */
  chat(token: string, body: ChatRequest): Promise<LightMyRequestResponse>;
  close(): Promise<void>;
}

/**
 * The app as every test builds it: the test auth secret, the offline model unless `model` is
 * given, no log unless TEST_LOG is set. Not migrated and not ready yet: that is the caller's.
 */
export function buildTestApp(opts: {
  config: Config;
  database: Database;
  model?: SelectedModel | undefined;
}): Promise<FastifyInstance & { ctx: AppContext }> {
  return buildApp({
    config: opts.config,
    database: opts.database,
    authSecret: TEST_SECRET,
    logger: process.env.TEST_LOG ? { level: 'error' } : false,
    model: opts.model ?? { mode: 'offline', name: 'offline', model: new OfflineModel() },
  });
}

let counter = 0;

export async function createTestApp(
  variant: DbVariant,
  opts: { env?: Record<string, string>; model?: SelectedModel } = {},
): Promise<TestApp> {
  const db = await variant.create();
  const config = loadConfig({
    NODE_ENV: 'test',
    DATABASE_URL: db.url,
    RATE_LIMIT_AUTH_PER_MINUTE: '10000',
    RATE_LIMIT_CHAT_PER_MINUTE: '10000',
    TRUSTED_ORIGINS: 'http://trusted.example',
    ...opts.env,
  });
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: '/tmp', poolMax: 5 });
  await runMigrations(database);
  const app = await buildTestApp({ config, database, model: opts.model });
  await app.ready();
  const auth = (token: string) => ({ authorization: `Bearer ${token}` });
  return {
    app,
    database,
    config,
    async signUp(email = `user${++counter}-${Date.now()}@example.com`) {
      const res = await app.inject({
        method: 'POST',
        url: '/api/auth/sign-up/email',
        payload: { email, password: 'correct-horse-battery', name: email.split('@')[0] },
      });
      if (res.statusCode !== 200) throw new Error(`sign-up failed: ${res.statusCode} ${res.body}`);
      const token = res.headers['set-auth-token'];
      if (typeof token !== 'string') throw new Error('no set-auth-token header');
      return { token, userId: res.json().user.id as string, email };
    },
    auth,
    async mcpKey(token, scope = 'write') {
      const res = await app.inject({
        method: 'POST',
        url: '/api/mcp-keys',
        headers: auth(token),
        payload: { name: `test ${scope} key`, scope },
      });
      if (res.statusCode !== 201) throw new Error(`mcp key creation failed: ${res.statusCode} ${res.body}`);
      return res.json().key as string;
    },
    callTool: (key, name, args) =>
      app.inject({
        method: 'POST',
        url: '/mcp',
        headers: { ...auth(key), accept: 'application/json, text/event-stream' },
        payload: { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name, arguments: args } },
      }),
    chat: (token, body) =>
      app.inject({ method: 'POST', url: '/api/chat', headers: auth(token), payload: body }),
    async close() {
      await app.close();
      await database.close();
      await db.drop();
    },
  };
}

/** Parses a text/event-stream body into events. */
export function parseSse(body: string): { event: string; data: Record<string, unknown> }[] {
  return body
    .split('\n\n')
    .map((block) => block.trim())
    .filter(Boolean)
    .map((block) => {
      const event = /^event: (.*)$/m.exec(block)?.[1] ?? 'message';
      const data = /^data: (.*)$/m.exec(block)?.[1] ?? '{}';
      return { event, data: JSON.parse(data) as Record<string, unknown> };
    });
}
