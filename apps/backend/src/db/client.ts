import fs from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { sql } from 'drizzle-orm';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import pg from 'pg';
import type { Config } from '../config.js';
import { schema } from './schema.js';

export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;

export interface Database {
  db: Db;
  kind: 'postgres' | 'pglite';
  /** A short human description without credentials, for logs. */
  describe: string;
  /** Runs `fn` while holding a session-level advisory lock on one connection. */
  withAdvisoryLock<T>(key: number, fn: () => Promise<T>): Promise<T>;
  ping(): Promise<void>;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  databaseUrl: string | undefined;
  usePgEnv?: boolean;
  dataDir: string;
  poolMax?: number;
}

export function databaseOptions(config: Config): DatabaseOptions {
  return { databaseUrl: config.databaseUrl, usePgEnv: config.usePgEnv, dataDir: config.dataDir };
}

export async function openDatabase(opts: DatabaseOptions): Promise<Database> {
  const url = opts.databaseUrl;
  if ((url && /^postgres(ql)?:\/\//.test(url)) || (!url && opts.usePgEnv)) {
    // With no URL, node-postgres reads PGHOST/PGPORT/PGUSER/PGPASSWORD/PGDATABASE itself.
    const pool = new pg.Pool({
      ...(url ? { connectionString: url } : {}),
      max: opts.poolMax ?? 10,
      idleTimeoutMillis: 30_000,
      connectionTimeoutMillis: 10_000,
    });
    pool.on('error', () => {
      // An idle client died (server restart); the pool replaces it. Queries surface real errors.
    });
    const db = drizzlePg(pool, { schema }) as unknown as Db;
    const describe = url
      ? `postgres ${safeUrl(url)}`
      : `postgres ${process.env.PGHOST}:${process.env.PGPORT ?? 5432}/${process.env.PGDATABASE ?? ''}`;
    return {
      db,
      kind: 'postgres',
      describe,
      async withAdvisoryLock(key, fn) {
        const client = await pool.connect();
        try {
          await client.query('SELECT pg_advisory_lock($1)', [key]);
          try {
            return await fn();
          } finally {
            await client.query('SELECT pg_advisory_unlock($1)', [key]);
          }
        } finally {
          client.release();
        }
      },
      async ping() {
        await pool.query('SELECT 1');
      },
      async close() {
        await pool.end();
      },
    };
  }

  let dir: string | undefined;
  if (!url) dir = path.join(opts.dataDir, 'pglite');
  else if (url !== 'pglite:memory') dir = path.resolve(url.slice('pglite:'.length));
  if (dir) fs.mkdirSync(dir, { recursive: true });
  const client = new PGlite(dir);
  await client.waitReady;
  const db = drizzlePglite(client, { schema }) as unknown as Db;
  return {
    db,
    kind: 'pglite',
    describe: dir ? `pglite ${dir}` : 'pglite in memory',
    // PGlite is one connection inside this process: nobody else can migrate concurrently.
    withAdvisoryLock: (_key, fn) => fn(),
    async ping() {
      await db.execute(sql`SELECT 1`);
    },
    async close() {
      await client.close();
    },
  };
}

function safeUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname}:${u.port || 5432}${u.pathname}`;
  } catch {
    return '(unparseable url)';
  }
}
