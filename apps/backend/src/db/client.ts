import fs from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { sql } from 'drizzle-orm';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import pg from 'pg';
import type { Config } from '../config.js';
import { type DatabaseProblem, envTarget, explainDatabaseError, urlTarget } from './explain.js';
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
  /** Why an error of this database's means it cannot be used, in plain words (readiness, logs). */
  explain(err: unknown): DatabaseProblem;
  close(): Promise<void>;
}

const CHANNEL = /^[a-z_][a-z0-9_]{0,62}$/;

export interface DatabaseOptions {
  databaseUrl: string | undefined;
  usePgEnv?: boolean;
  /** PGSSLROOTCERT: the CA file the database's TLS certificate is verified against. */
  caFile?: string | undefined;
  dataDir: string;
  poolMax?: number;
}

export function databaseOptions(config: Config): DatabaseOptions {
  return {
    databaseUrl: config.databaseUrl,
    usePgEnv: config.usePgEnv,
    caFile: config.databaseCaFile,
    dataDir: config.dataDir,
  };
}

/**
 * The connection string node-postgres gets for DATABASE_URL. `sslmode` means what it means to
 * libpq and psql (node-postgres 8 treats require and verify-ca as verify-full unless asked for
 * libpq's meaning, and will switch to it in its next major version):
 *   disable: no TLS · require: TLS, the certificate is not checked (with a CA: verify-ca) ·
 *   verify-ca: TLS, the certificate chains to the CA · verify-full: that, and it names the host.
 * `caFile` (PGSSLROOTCERT) becomes `sslrootcert` unless the URL names one; a CA with no sslmode
 * means verify-full, since the only reason to hand over a CA is to check the server with it.
 * Without a CA, verify-* check against Node's bundled public CAs (what Neon's certificates use).
 */
export function postgresConnectionString(url: string, caFile?: string): string {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return url; // node-postgres reports what is wrong with it
  }
  const q = u.searchParams;
  if (caFile && !q.has('sslrootcert')) {
    q.set('sslrootcert', caFile);
    if (!q.has('sslmode')) q.set('sslmode', 'verify-full');
  }
  if (q.has('sslmode') && !q.has('uselibpqcompat')) q.set('uselibpqcompat', 'true');
  return u.toString();
}

export async function openDatabase(opts: DatabaseOptions): Promise<Database> {
  const url = opts.databaseUrl;
  if ((url && /^postgres(ql)?:\/\//.test(url)) || (!url && opts.usePgEnv)) {
    // With no URL, node-postgres reads PGHOST/PGPORT/PGUSER/PGPASSWORD/PGDATABASE itself.
    const clientConfig: pg.ClientConfig = {
      ...(url ? { connectionString: postgresConnectionString(url, opts.caFile) } : {}),
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
    const target = url ? urlTarget(url) : envTarget();
    const tls = url ? new URL(postgresConnectionString(url, opts.caFile)).searchParams.get('sslmode') : null;
    const describe = `postgres ${target.host}:${target.port}/${target.database}${tls ? ` (sslmode=${tls})` : ''}`;
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
      explain: (err) => explainDatabaseError(err, target),
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
    explain: (err) => explainDatabaseError(err, {}),
    async close() {
      await Promise.all([...listeners].map((stop) => stop()));
      await client.close();
    },
  };
}

/**
 * LISTEN on a connection of its own (not the pool's: a pool waits for its clients on close),
 * reconnecting when it dies, or when the database cannot be reached yet at start-up (the
 * replica then starts anyway and reports why in /ready): retries back off from 1 s to 30 s, so a
 * wrong password is not tried every second. `listeners` holds the stop functions, so closing the
 * database ends them.
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
  let delayMs = 1_000;
  const retryLater = (): void => {
    if (stopped) return;
    setTimeout(() => void connect().catch(retryLater), delayMs).unref();
    delayMs = Math.min(delayMs * 2, 30_000);
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
    else {
      current = client;
      delayMs = 1_000;
    }
  };
  await connect().catch(retryLater);
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
