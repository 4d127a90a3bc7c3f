import type { FastifyInstance } from 'fastify';
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
  close(): Promise<void>;
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
  const app = await buildApp({
    config,
    database,
    authSecret: TEST_SECRET,
    logger: process.env.TEST_LOG ? { level: 'error' } : false,
    model: opts.model ?? { mode: 'offline', name: 'offline', model: new OfflineModel() },
  });
  await app.ready();
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
    auth: (token) => ({ authorization: `Bearer ${token}` }),
    async mcpKey(token, scope = 'write') {
      const res = await app.inject({
        method: 'POST',
        url: '/api/mcp-keys',
        headers: { authorization: `Bearer ${token}` },
        payload: { name: `test ${scope} key`, scope },
      });
      if (res.statusCode !== 201) throw new Error(`mcp key creation failed: ${res.statusCode} ${res.body}`);
      return res.json().key as string;
    },
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
