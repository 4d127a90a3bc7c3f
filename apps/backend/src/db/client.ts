// The database: the two drivers (node-postgres, PGlite), LISTEN/NOTIFY and why a database cannot be
// used (explainDatabaseError). About 360 lines: `pnpm diagnose` and its test read the reasons here.
import fs from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { sql } from 'drizzle-orm';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import pg from 'pg';
import { parseIntoClientConfig } from 'pg-connection-string';
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

/**
 * node-postgres's settings for a connection string, its CA file read once, now. Given the string
 * itself, node-postgres reads `sslrootcert` again for every new connection, and the chart's CA is a
 * ConfigMap volume, which Kubernetes rewrites under a running pod when a release changes it: a
 * failed upgrade to another CA would break the pods that keep serving. A CA file that cannot be
 * read (or a setting node-postgres refuses) leaves the string as it is, so every connection
 * reports the problem and readiness explains it (explainDatabaseError).
 */
function clientSettings(connectionString: string): pg.ClientConfig {
  try {
    return parseIntoClientConfig(connectionString) as pg.ClientConfig;
  } catch {
    return { connectionString };
  }
}

export async function openDatabase(opts: DatabaseOptions): Promise<Database> {
  const url = opts.databaseUrl;
  if ((url && /^postgres(ql)?:\/\//.test(url)) || (!url && opts.usePgEnv)) {
    // With no URL, node-postgres reads PGHOST/PGPORT/PGUSER/PGPASSWORD/PGDATABASE itself.
    const clientConfig: pg.ClientConfig = {
      ...(url ? clientSettings(postgresConnectionString(url, opts.caFile)) : {}),
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

interface DatabaseTarget {
  host?: string;
  port?: number;
  user?: string;
  database?: string;
}

/** Where DATABASE_URL points, without its password. */
function urlTarget(url: string): Required<DatabaseTarget> {
  try {
    const u = new URL(url);
    const host = u.searchParams.get('host') ?? decodeURIComponent(u.hostname);
    return {
      host: host || 'localhost',
      port: Number(u.port || u.searchParams.get('port') || 5432),
      user: decodeURIComponent(u.username) || process.env.USER || '',
      database: decodeURIComponent(u.pathname.slice(1)),
    };
  } catch {
    return { host: '(unparseable url)', port: 5432, user: '', database: '' };
  }
}

/** Where the PG* variables point (node-postgres reads them itself). */
function envTarget(): Required<DatabaseTarget> {
  return {
    host: process.env.PGHOST ?? 'localhost',
    port: Number(process.env.PGPORT ?? 5432),
    user: process.env.PGUSER ?? process.env.USER ?? '',
    database: process.env.PGDATABASE ?? '',
  };
}

/**
 * Why the database cannot be used: `reason` is a stable code (`pnpm diagnose` turns it into
 * advice), `detail` a sentence an operator reads without knowing node-postgres.
 */
export interface DatabaseProblem {
  reason:
    | 'db_password'
    | 'db_access'
    | 'db_tls_required'
    | 'db_no_tls'
    | 'db_tls_untrusted'
    | 'db_tls_hostname'
    | 'db_tls_expired'
    | 'db_ca_file'
    | 'db_missing'
    | 'db_refused'
    | 'db_dns'
    | 'db_timeout'
    | 'db_error'
    | 'db_unreachable';
  detail: string;
}

const UNTRUSTED = new Set([
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_UNTRUSTED',
  'CERT_SIGNATURE_FAILURE',
  'CERT_REJECTED',
]);

/** @param target where the connection went (no password), for the sentences */
export function explainDatabaseError(err: unknown, target: DatabaseTarget): DatabaseProblem {
  // a connection attempt to several addresses (IPv4 and IPv6) fails with all of them
  const e = (err instanceof AggregateError && err.errors[0] ? err.errors[0] : err) as {
    code?: unknown;
    message?: unknown;
    path?: unknown;
  };
  const code = typeof e?.code === 'string' ? e.code : '';
  const message = (typeof e?.message === 'string' ? e.message : String(err)).split('\n')[0] ?? '';
  const where = target.host ? `${target.host}:${target.port ?? 5432}` : 'the database server';
  const user = target.user ? ` for user "${target.user}"` : '';
  const problem = (reason: DatabaseProblem['reason'], detail: string): DatabaseProblem => ({
    reason,
    detail,
  });

  if (code === '28P01') return problem('db_password', `the database refused the password${user} (${where})`);
  if (code === '28000') {
    if (/no encryption/i.test(message))
      return problem(
        'db_tls_required',
        `the database at ${where} accepts TLS connections only: add sslmode=verify-full (or require) to DATABASE_URL`,
      );
    return problem('db_access', `the database at ${where} refused the connection: ${message}`);
  }
  if (code === '3D000')
    return problem(
      'db_missing',
      `the database server at ${where} has no database "${target.database ?? ''}"`,
    );
  if (/does not support SSL/i.test(message))
    return problem(
      'db_no_tls',
      `the database at ${where} does not offer TLS, but DATABASE_URL's sslmode asks for it`,
    );
  if (UNTRUSTED.has(code))
    return problem(
      'db_tls_untrusted',
      `the database's TLS certificate is not trusted (${code}): give the backend the CA that signed it (PGSSLROOTCERT; the chart's database.tls.caCert)`,
    );
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID')
    return problem(
      'db_tls_hostname',
      `the database's TLS certificate is not valid for ${target.host ?? 'this host'}: ${message}`,
    );
  if (code === 'CERT_HAS_EXPIRED' || code === 'CERT_NOT_YET_VALID')
    return problem(
      'db_tls_expired',
      `the database's TLS certificate is outside its validity period (${code})`,
    );
  if ((code === 'ENOENT' || code === 'EACCES' || code === 'EISDIR') && typeof e.path === 'string')
    return problem('db_ca_file', `cannot read the CA file ${e.path} (${code})`);
  if (code === 'ECONNREFUSED') return problem('db_refused', `nothing accepts connections at ${where}`);
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN')
    return problem('db_dns', `the database host name ${target.host ?? ''} does not resolve (${code})`);
  if (code === 'ETIMEDOUT' || /timeout/i.test(message))
    return problem('db_timeout', `no answer from the database at ${where} in time`);
  if (/^[0-9A-Z]{5}$/.test(code))
    return problem('db_error', `the database answered with an error: ${message} (SQLSTATE ${code})`);
  return problem('db_unreachable', `database is unreachable (${message || 'unknown error'})`);
}
