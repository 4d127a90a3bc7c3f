// The external-PostgreSQL path (Neon and the like) against a real server that accepts TLS only,
// with a throwaway CA (helpers/tls-postgres.ts, its own port on loopback; the machine's server is
// not touched): sslmode=require encrypts without a CA, verify-full checks the certificate against
// the CA given in PGSSLROOTCERT (what the chart mounts), and a database the backend cannot use —
// wrong password, untrusted certificate, no TLS where TLS was asked for — leaves it running but
// not ready, with the reason in plain words in /ready and in the log line `pnpm diagnose` reads.
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import {
  databaseOptions,
  explainDatabaseError,
  openDatabase,
  postgresConnectionString,
} from '../src/db/client.js';
import { runMigrations } from '../src/db/migrate.js';
import { buildTestApp, TEST_SECRET } from './helpers/app.js';
import { freePort } from './helpers/net.js';
import { startServerProcess, waitFor } from './helpers/server-process.js';
import { startTlsPostgres, type TlsPostgres, tlsPostgresUnavailable } from './helpers/tls-postgres.js';

const unavailable = tlsPostgresUnavailable();
const IN_CI = process.env.CI === 'true';
if (unavailable && !IN_CI) {
  console.warn(`\n!!! TLS PostgreSQL suite SKIPPED: ${unavailable}.\n`);
}

/** The app as the chart runs it (the backend reads DATABASE_URL and PGSSLROOTCERT), migrated. */
async function openApp(env: Record<string, string>) {
  const config = loadConfig({ NODE_ENV: 'test', ...env });
  const database = await openDatabase({ ...databaseOptions(config), poolMax: 2 });
  const app = await buildTestApp({ config, database });
  return {
    app,
    database,
    async ready() {
      const r = await app.inject('/ready');
      return { status: r.statusCode, body: r.json() as { status?: string; detail?: string; code?: string } };
    },
    /** Whether this connection is encrypted, as the server sees it. */
    async tls() {
      const r = await database.db.execute(sql`SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()`);
      return (r as unknown as { rows: { ssl: boolean }[] }).rows[0]?.ssl;
    },
    async close() {
      await app.close();
      await database.close();
    },
  };
}

/** What the app says, and why, when it cannot use the database: /ready and database.explain. */
async function notReady(env: Record<string, string>) {
  const a = await openApp(env);
  try {
    const migrate = await runMigrations(a.database).then(
      () => undefined,
      (err: unknown) => a.database.explain(err),
    );
    const ready = await a.ready();
    return { migrate, ready };
  } finally {
    await a.close();
  }
}

describe('connection strings: sslmode as libpq means it', () => {
  it('asks node-postgres for libpq semantics whenever sslmode is given', () => {
    const u = new URL(postgresConnectionString('postgres://u:p@db.example:5432/todo?sslmode=require'));
    expect(u.searchParams.get('uselibpqcompat')).toBe('true');
    expect(u.searchParams.get('sslmode')).toBe('require');
    expect(u.password).toBe('p');
  });

  it('a CA file becomes sslrootcert, and verify-full when no sslmode is given', () => {
    const u = new URL(postgresConnectionString('postgres://u:p@db.example/todo', '/etc/ca.crt'));
    expect(u.searchParams.get('sslrootcert')).toBe('/etc/ca.crt');
    expect(u.searchParams.get('sslmode')).toBe('verify-full');
  });

  it('leaves a URL that names its own sslrootcert or no TLS at all alone', () => {
    const own = 'postgres://u:p@db.example/todo?sslmode=verify-ca&sslrootcert=/mine.crt&uselibpqcompat=true';
    expect(postgresConnectionString(own, '/etc/ca.crt')).toBe(own);
    expect(postgresConnectionString('postgres://u:p@db.example/todo')).toBe('postgres://u:p@db.example/todo');
  });
});

describe('the reasons, in plain words', () => {
  const at = { host: 'db.example', port: 5432, user: 'todo', database: 'todo' };
  it.each([
    [
      { code: '28P01', message: 'password authentication failed for user "todo"' },
      'db_password',
      /refused the password for user "todo"/,
    ],
    [
      {
        code: '28000',
        message: 'no pg_hba.conf entry for host "10.0.0.1", user "todo", database "todo", no encryption',
      },
      'db_tls_required',
      /TLS connections only/,
    ],
    [
      { code: 'SELF_SIGNED_CERT_IN_CHAIN', message: 'self-signed certificate in certificate chain' },
      'db_tls_untrusted',
      /not trusted .*PGSSLROOTCERT/,
    ],
    [
      { code: 'ERR_TLS_CERT_ALTNAME_INVALID', message: "Hostname/IP does not match certificate's altnames" },
      'db_tls_hostname',
      /not valid for db\.example/,
    ],
    [{ code: 'CERT_HAS_EXPIRED', message: 'certificate has expired' }, 'db_tls_expired', /validity period/],
    [
      { code: 'ENOENT', message: 'no such file', path: '/etc/ca.crt' },
      'db_ca_file',
      /cannot read the CA file \/etc\/ca\.crt/,
    ],
    [{ code: '3D000', message: 'database "todo" does not exist' }, 'db_missing', /has no database "todo"/],
    [
      { code: 'ECONNREFUSED', message: 'connect ECONNREFUSED' },
      'db_refused',
      /nothing accepts connections at db\.example:5432/,
    ],
    [{ code: 'ENOTFOUND', message: 'getaddrinfo ENOTFOUND db.example' }, 'db_dns', /does not resolve/],
    [{ message: 'Connection terminated due to connection timeout' }, 'db_timeout', /no answer/],
    [{ code: '42P01', message: 'relation "x" does not exist' }, 'db_error', /answered with an error/],
    [
      { message: 'Cannot use a pool after calling end on the pool' },
      'db_unreachable',
      /^database is unreachable/,
    ],
  ])('%o → %s', (err, reason, detail) => {
    const p = explainDatabaseError(Object.assign(new Error(err.message), err), at);
    expect(p.reason).toBe(reason);
    expect(p.detail).toMatch(detail);
    expect(p.detail).not.toMatch(/undefined/);
  });

  it('looks inside a failed connection to several addresses (IPv4 and IPv6)', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED ::1:5432'), { code: 'ECONNREFUSED' });
    expect(explainDatabaseError(new AggregateError([refused]), at).reason).toBe('db_refused');
  });
});

describe.skipIf(Boolean(unavailable) && !IN_CI)('PostgreSQL that accepts TLS only (throwaway CA)', () => {
  let pg: TlsPostgres;
  beforeAll(async () => {
    if (unavailable) throw new Error(`under CI=true the TLS PostgreSQL suite must run: ${unavailable}`);
    pg = await startTlsPostgres();
  });
  afterAll(async () => {
    await pg?.stop();
  });

  it('sslmode=require: encrypted without any CA (a Neon URL as Neon prints it), ready', async () => {
    const a = await openApp({ DATABASE_URL: pg.url({ sslmode: 'require' }) });
    try {
      await runMigrations(a.database);
      expect(await a.ready()).toEqual({ status: 200, body: { status: 'ready' } });
      expect(await a.tls()).toBe(true);
      expect(a.database.describe).toContain('(sslmode=require)');
    } finally {
      await a.close();
    }
  });

  it('sslmode=verify-full with the CA in PGSSLROOTCERT: certificate and host name checked, ready', async () => {
    for (const host of ['127.0.0.1', 'localhost']) {
      const a = await openApp({
        DATABASE_URL: pg.url({ sslmode: 'verify-full', host }),
        PGSSLROOTCERT: pg.caFile,
      });
      try {
        await runMigrations(a.database);
        expect((await a.ready()).status, host).toBe(200);
        expect(await a.tls()).toBe(true);
      } finally {
        await a.close();
      }
    }
  });

  it('a CA with no sslmode means verify-full: the right CA works, another one is refused', async () => {
    const a = await openApp({ DATABASE_URL: pg.url(), PGSSLROOTCERT: pg.caFile });
    try {
      await runMigrations(a.database);
      expect((await a.ready()).status).toBe(200);
    } finally {
      await a.close();
    }
    const other = await notReady({ DATABASE_URL: pg.url(), PGSSLROOTCERT: pg.otherCaFile });
    expect(other.migrate?.reason).toBe('db_tls_untrusted');
    expect(other.ready.status).toBe(503);
  });

  it('keeps the CA it started with when the file changes under it (a ConfigMap a failed upgrade rewrote)', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'todo-ca-'));
    const caFile = path.join(dir, 'ca.crt');
    fs.copyFileSync(pg.caFile, caFile);
    const a = await openApp({ DATABASE_URL: pg.url({ sslmode: 'verify-full' }), PGSSLROOTCERT: caFile });
    try {
      await runMigrations(a.database);
      fs.copyFileSync(pg.otherCaFile, caFile);
      // three queries at once on a pool of two: a new connection opens, and still trusts the first CA
      expect(await Promise.all([a.tls(), a.tls(), a.tls()])).toEqual([true, true, true]);
      expect((await a.ready()).status).toBe(200);
    } finally {
      await a.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('verify-full without the CA: not ready, "the certificate is not trusted"', async () => {
    const untrusted: Record<string, string>[] = [
      { DATABASE_URL: pg.url({ sslmode: 'verify-full' }) },
      { DATABASE_URL: pg.url({ sslmode: 'verify-full' }), PGSSLROOTCERT: pg.otherCaFile },
    ];
    for (const env of untrusted) {
      const r = await notReady(env);
      expect(r.migrate?.reason).toBe('db_tls_untrusted');
      expect(r.ready).toMatchObject({
        status: 503,
        body: { code: 'not_ready', detail: expect.stringMatching(/TLS certificate is not trusted/) },
      });
    }
  });

  it('a wrong password: not ready, "the database refused the password for user …"', async () => {
    const r = await notReady({ DATABASE_URL: pg.url({ sslmode: 'require', password: 'not-the-password' }) });
    expect(r.migrate?.reason).toBe('db_password');
    expect(r.ready.status).toBe(503);
    expect(r.ready.body.detail).toMatch(
      /^the database refused the password for user "todo" \(127\.0\.0\.1:\d+\)$/,
    );
    expect(r.ready.body.detail).not.toContain('not-the-password');
  });

  it('no TLS asked for (sslmode=disable): the server refuses, and the reason says TLS is required', async () => {
    const r = await notReady({ DATABASE_URL: pg.url({ sslmode: 'disable' }) });
    expect(r.migrate?.reason).toBe('db_tls_required');
    expect(r.ready.body.detail).toMatch(/accepts TLS connections only/);
  });

  it('the server process keeps running when the database refuses it, says why, and needs no restart once fixed', async () => {
    const password = 'right-after-the-fix';
    await pg.sql(`CREATE ROLE late LOGIN PASSWORD 'not-yet-${Date.now()}'`);
    await pg.sql('CREATE DATABASE late OWNER late');
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'backend-tls-'));
    const { child, output } = startServerProcess(['--import', 'tsx', 'src/server.ts'], {
      NODE_ENV: 'production',
      BETTER_AUTH_SECRET: TEST_SECRET,
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      LOG_LEVEL: 'info',
      DATABASE_URL: pg.url({ user: 'late', password, database: 'late', sslmode: 'verify-full' }),
      PGSSLROOTCERT: pg.caFile,
    });
    try {
      const refused = await waitFor(base, child, async () => {
        const r = await fetch(`${base}/ready`);
        const body = (await r.json()) as { detail?: string };
        return r.status === 503 && /refused the password/.test(body.detail ?? '') ? body : undefined;
      });
      expect(refused.detail).toMatch(/the database refused the password for user "late"/);
      expect((await fetch(`${base}/health`)).status).toBe(200);
      // the log line `pnpm diagnose` reads: JSON, with the reason's code in notReady
      const line = await waitFor(base, child, async () =>
        output()
          .split('\n')
          .find((l) => l.includes('"notReady":"db_password"')),
      );
      expect(JSON.parse(line)).toMatchObject({ level: 40, notReady: 'db_password' });
      expect(output()).not.toContain(password);

      await pg.sql(`ALTER ROLE late PASSWORD '${password}'`);
      await waitFor(base, child, async () => (await fetch(`${base}/ready`)).status === 200, 90_000);
      expect(child.exitCode).toBeNull();
      expect(output()).toContain('database migrated');
    } finally {
      child.kill('SIGKILL');
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  }, 180_000);
});

describe('sslmode=require against a server that offers no TLS', () => {
  it('not ready: "does not offer TLS"', async () => {
    // what PostgreSQL answers to an SSLRequest when ssl is off: one byte, N
    const server = net.createServer((socket) => {
      socket.once('data', () => socket.end('N'));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as net.AddressInfo;
    try {
      const r = await notReady({
        DATABASE_URL: `postgres://todo:todo@127.0.0.1:${port}/todo?sslmode=require`,
      });
      expect(r.migrate?.reason).toBe('db_no_tls');
      expect(r.ready).toMatchObject({
        status: 503,
        body: { detail: expect.stringMatching(/does not offer TLS/) },
      });
    } finally {
      server.close();
    }
  });
});
