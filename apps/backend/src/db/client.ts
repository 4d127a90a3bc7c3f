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
  /**
   * Calls `onPayload` for every NOTIFY on `channel`, from any process on this database, until the
   * returned function is called. A lost connection is re-established (notifications sent
   * meanwhile are missed, so subscribers must tolerate that).
   */
  listen(channel: string, onPayload: (payload: string) => void): Promise<() => Promise<void>>;
  /** NOTIFY `channel` with `payload` (every listener of every replica receives it). */
  notify(channel: string, payload: string): Promise<void>;
  close(): Promise<void>;
}

const CHANNEL = /^[a-z_][a-z0-9_]{0,62}$/;

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
    const clientConfig: pg.ClientConfig = {
      ...(url ? { connectionString: url } : {}),
      connectionTimeoutMillis: 10_000,
    };
    const listeners = new Set<() => Promise<void>>();
    const pool = new pg.Pool({
      ...clientConfig,
      max: opts.poolMax ?? 10,
      idleTimeoutMillis: 30_000,
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
      listen: (channel, onPayload) => listenOnOwnConnection(clientConfig, listeners, channel, onPayload),
      async notify(channel, payload) {
        await pool.query('SELECT pg_notify($1, $2)', [channel, payload]);
      },
      async close() {
        await Promise.all([...listeners].map((stop) => stop()));
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
  const listeners = new Set<() => Promise<void>>();
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
    async listen(channel, onPayload) {
      if (!CHANNEL.test(channel)) throw new Error(`invalid channel name ${channel}`);
      const unlisten = await client.listen(channel, onPayload);
      let stopped = false;
      const stop = async () => {
        if (stopped) return;
        stopped = true;
        listeners.delete(stop);
        await unlisten();
      };
      listeners.add(stop);
      return stop;
    },
    async notify(channel, payload) {
      await client.query('SELECT pg_notify($1, $2)', [channel, payload]);
    },
    async close() {
      await Promise.all([...listeners].map((stop) => stop()));
      await client.close();
    },
  };
}

/**
 * LISTEN on a connection of its own (not the pool's: a pool waits for its clients on close),
 * reconnecting when it dies. `listeners` holds the stop functions, so closing the database ends them.
 */
async function listenOnOwnConnection(
  config: pg.ClientConfig,
  listeners: Set<() => Promise<void>>,
  channel: string,
  onPayload: (payload: string) => void,
): Promise<() => Promise<void>> {
  if (!CHANNEL.test(channel)) throw new Error(`invalid channel name ${channel}`);
  let stopped = false;
  let current: pg.Client | undefined;
  const retryLater = (): void => {
    if (!stopped) setTimeout(() => void connect().catch(retryLater), 1_000).unref();
  };
  const connect = async (): Promise<void> => {
    const client = new pg.Client(config);
    client.on('notification', (msg) => {
      if (msg.channel === channel && msg.payload !== undefined) onPayload(msg.payload);
    });
    client.on('error', () => {
      if (current === client) current = undefined;
      void client.end().catch(() => undefined);
      retryLater();
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${channel}`);
    } catch (err) {
      await client.end().catch(() => undefined);
      throw err;
    }
    if (stopped) await client.end().catch(() => undefined);
    else current = client;
  };
  await connect();
  const stop = async () => {
    stopped = true;
    listeners.delete(stop);
    const client = current;
    current = undefined;
    await client?.end().catch(() => undefined);
  };
  listeners.add(stop);
  return stop;
}

function safeUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname}:${u.port || 5432}${u.pathname}`;
  } catch {
    return '(unparseable url)';
  }
}
