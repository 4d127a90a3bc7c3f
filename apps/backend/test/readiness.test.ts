// /ready tells a load balancer the truth: 503 problems while the database is not migrated or not
// reachable, 200 once it is.
import { describe, expect, it } from 'vitest';
import { ChatService } from '../src/agent/chat.js';
import { OfflineModel } from '../src/agent/offline/model.js';
import { loadConfig } from '../src/config.js';
import { openDatabase } from '../src/db/client.js';
import { runMigrations } from '../src/db/migrate.js';
import { buildTestApp } from './helpers/app.js';
import { describeEachDb } from './helpers/db.js';

describeEachDb('readiness', (variant) => {
  it('is 503 before migrations, 200 after them, 503 when the database goes away', async () => {
    const db = await variant.create();
    const config = loadConfig({ NODE_ENV: 'test', DATABASE_URL: db.url });
    const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: '/tmp', poolMax: 2 });
    const app = await buildTestApp({ config, database });
    try {
      const before = await app.inject('/ready');
      expect(before.statusCode).toBe(503);
      expect(before.headers['content-type']).toContain('application/problem+json');
      expect(before.json()).toMatchObject({ code: 'not_ready', detail: expect.stringMatching(/migrations/) });

      await runMigrations(database);
      expect((await app.inject('/ready')).json()).toEqual({ status: 'ready' });

      await database.close();
      const gone = await app.inject('/ready');
      expect(gone.statusCode).toBe(503);
      expect(gone.json()).toMatchObject({
        code: 'not_ready',
        detail: expect.stringMatching(/^database is unreachable/),
      });
      // liveness does not depend on the database: restarting the process would not help
      expect((await app.inject('/health')).statusCode).toBe(200);
    } finally {
      await app.close();
      await db.drop();
    }
  });
});

describe('agent tracing', () => {
  it('is off unless configured, and then reaches the runner', () => {
    const deps = {
      tasks: {} as never,
      conversations: {} as never,
      model: { mode: 'offline' as const, name: 'offline', model: new OfflineModel() },
      maxTurns: 1,
    };
    expect(new ChatService(deps).tracingEnabled).toBe(false);
    expect(new ChatService({ ...deps, tracing: true }).tracingEnabled).toBe(true);
  });
});
