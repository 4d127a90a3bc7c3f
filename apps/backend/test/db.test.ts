import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { openDatabase } from '../src/db/client.js';
import { isMigrated, runMigrations } from '../src/db/migrate.js';
import { user } from '../src/db/schema.js';
import { TaskService } from '../src/domain/tasks.js';
import { hasPostgres, postgresVariant } from './helpers/db.js';

describe('database drivers and migrations', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'backend-db-'));
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('PGlite in a folder keeps data across restarts', async () => {
    const url = `pglite:${path.join(tmp, 'pg')}`;
    const first = await openDatabase({ databaseUrl: url, dataDir: tmp });
    await runMigrations(first);
    await first.db.insert(user).values({ id: 'u1', name: 'U', email: 'u@example.com' });
    const created = await new TaskService(first.db).create('u1', { title: 'persist me' });
    await first.close();
    const second = await openDatabase({ databaseUrl: url, dataDir: tmp });
    await runMigrations(second); // idempotent
    expect(await isMigrated(second)).toBe(true);
    expect((await new TaskService(second.db).get('u1', created.id)).title).toBe('persist me');
    await second.close();
  });

  it('unset DATABASE_URL means PGlite under DATA_DIR', async () => {
    const db = await openDatabase({ databaseUrl: undefined, dataDir: tmp });
    expect(db.kind).toBe('pglite');
    expect(db.describe).toContain(path.join(tmp, 'pglite'));
    await db.close();
  });

  it.skipIf(!hasPostgres())('without DATABASE_URL, PGHOST & co. select node-postgres', async () => {
    const u = new URL(process.env.TEST_DATABASE_URL as string);
    const keys = ['PGHOST', 'PGPORT', 'PGUSER', 'PGPASSWORD', 'PGDATABASE'] as const;
    const saved = Object.fromEntries(keys.map((k) => [k, process.env[k]]));
    Object.assign(process.env, {
      PGHOST: u.hostname,
      PGPORT: u.port || '5432',
      PGUSER: decodeURIComponent(u.username),
      PGPASSWORD: decodeURIComponent(u.password),
      PGDATABASE: u.pathname.slice(1),
    });
    try {
      const config = loadConfig({ PGHOST: u.hostname });
      expect(config.usePgEnv).toBe(true);
      const db = await openDatabase({ databaseUrl: undefined, usePgEnv: config.usePgEnv, dataDir: tmp });
      expect(db.kind).toBe('postgres');
      await db.ping();
      await db.close();
    } finally {
      for (const k of keys) {
        if (saved[k] === undefined) delete process.env[k];
        else process.env[k] = saved[k];
      }
    }
  });

  it.skipIf(!hasPostgres())(
    'several replicas migrate one PostgreSQL at once under the advisory lock',
    async () => {
      const variant = postgresVariant();
      if (!variant) return;
      const created = await variant.create();
      const replicas = await Promise.all(
        [1, 2, 3].map(() => openDatabase({ databaseUrl: created.url, dataDir: tmp, poolMax: 2 })),
      );
      try {
        await Promise.all(replicas.map((r) => runMigrations(r)));
        for (const r of replicas) expect(await isMigrated(r)).toBe(true);
      } finally {
        await Promise.all(replicas.map((r) => r.close()));
        await created.drop();
      }
    },
  );
});
