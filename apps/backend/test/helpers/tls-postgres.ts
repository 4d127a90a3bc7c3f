// A throwaway PostgreSQL server that accepts TLS connections only, with a throwaway CA: Debian's
// PostgreSQL binaries (/usr/lib/postgresql/<version>/bin), `initdb` into a temporary folder (as the
// postgres user when run as root: initdb refuses root), certificates made with openssl. It never
// touches the machine's own server. Used by the backend's TLS suite on loopback; the test
// workspace reuses it (the cluster phases in test/beyond start it on an address the pods reach,
// and its throwaway PKI serves the registry suite's TLS registry), so it uses Node built-ins only.
// About 330 lines: the server and the PKI it makes stay one module, the path test/beyond and
// test/registry import both from.
import { execFile, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { freePort } from './net.js';

const exec = promisify(execFile);

/** The newest Debian PostgreSQL bin folder, or PG_BIN_DIR; undefined when there is none. */
export function postgresBinDir(): string | undefined {
  const fromEnv = process.env.PG_BIN_DIR;
  if (fromEnv) return fs.existsSync(path.join(fromEnv, 'initdb')) ? fromEnv : undefined;
  const base = '/usr/lib/postgresql';
  if (!fs.existsSync(base)) return undefined;
  const versions = fs
    .readdirSync(base)
    .filter((v) => fs.existsSync(path.join(base, v, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] ? path.join(base, versions[0], 'bin') : undefined;
}

/** Why a TLS PostgreSQL cannot be started here (undefined: it can). */
export function tlsPostgresUnavailable(): string | undefined {
  if (!postgresBinDir())
    return 'no PostgreSQL server binaries (apt-get install postgresql, or set PG_BIN_DIR)';
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
  } catch {
    return 'openssl is not installed';
  }
  if (process.getuid?.() === 0) {
    try {
      execFileSync('id', ['postgres'], { stdio: 'ignore' });
    } catch {
      return 'running as root, and there is no postgres user to run initdb as';
    }
  }
  return undefined;
}

export interface TlsPostgresOptions {
  /** address to listen on (default 127.0.0.1) */
  listen?: string;
  /** host names and IP addresses the server certificate names (default: localhost, the listen address) */
  names?: string[];
  /** CIDRs allowed to log in over TLS (default: the listen address) */
  allow?: string[];
  port?: number;
}

export interface TlsPostgres {
  host: string;
  port: number;
  user: string;
  password: string;
  database: string;
  /** the CA that signed the server's certificate */
  caFile: string;
  caPem: string;
  /** another CA, which did not: a server checked against it is untrusted */
  otherCaFile: string;
  /** `postgres://user:password@host:port/database?sslmode=…` (no sslmode when it is undefined) */
  url(o?: { sslmode?: string; password?: string; user?: string; host?: string; database?: string }): string;
  /** Runs SQL as the superuser (over the server's Unix socket). */
  sql(statement: string): Promise<string>;
  stop(): Promise<void>;
}

const isIp = (s: string) => net.isIP(s) !== 0;

/** `openssl req` options for a new, unencrypted P-256 key. */
const NEW_EC_KEY = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

async function openssl(args: string[], cwd: string): Promise<void> {
  await exec('openssl', args, { cwd, timeout: 60_000 });
}

/** A CA (ca.key, ca.crt) named `name` in `dir`. */
async function makeCa(dir: string, name: string): Promise<void> {
  await openssl(
    [
      'req',
      '-x509',
      ...NEW_EC_KEY,
      '-keyout',
      `${name}.key`,
      '-out',
      `${name}.crt`,
      '-days',
      '7',
      '-subj',
      `/CN=todo throwaway test CA ${name} ${randomBytes(4).toString('hex')}`,
      '-addext',
      'basicConstraints=critical,CA:TRUE',
      '-addext',
      'keyUsage=critical,keyCertSign,cRLSign',
    ],
    dir,
  );
}

/** A throwaway PKI in `dir`: a CA, a server certificate it signed, and a second CA that signed nothing. */
export interface ThrowawayPki {
  caFile: string;
  certFile: string;
  keyFile: string;
  otherCaFile: string;
}

/** Makes a CA and a server certificate for `names` (host names and IP addresses), valid 7 days. */
export async function throwawayPki(dir: string, names: string[]): Promise<ThrowawayPki> {
  fs.mkdirSync(dir, { recursive: true });
  await makeCa(dir, 'ca');
  await makeCa(dir, 'other-ca');
  await makeServerCert(dir, names);
  fs.chmodSync(path.join(dir, 'server.key'), 0o600);
  return {
    caFile: path.join(dir, 'ca.crt'),
    certFile: path.join(dir, 'server.crt'),
    keyFile: path.join(dir, 'server.key'),
    otherCaFile: path.join(dir, 'other-ca.crt'),
  };
}

/** server.key and server.crt, signed by ca, naming `names`. */
async function makeServerCert(dir: string, names: string[]): Promise<void> {
  const san = names.map((n) => (isIp(n) ? `IP:${n}` : `DNS:${n}`)).join(',');
  fs.writeFileSync(
    path.join(dir, 'server.ext'),
    `subjectAltName=${san}\nbasicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n`,
  );
  await openssl(
    [
      'req',
      ...NEW_EC_KEY,
      '-keyout',
      'server.key',
      '-out',
      'server.csr',
      '-subj',
      `/CN=${names[0] ?? 'localhost'}`,
    ],
    dir,
  );
  await openssl(
    [
      'x509',
      '-req',
      '-in',
      'server.csr',
      '-CA',
      'ca.crt',
      '-CAkey',
      'ca.key',
      '-CAcreateserial',
      '-out',
      'server.crt',
      '-days',
      '7',
      '-extfile',
      'server.ext',
    ],
    dir,
  );
}

/**
 * Starts the server and creates a login role and a database owned by it (random password).
 * Stop it with `stop()`: the folder goes with it.
 */
export async function startTlsPostgres(o: TlsPostgresOptions = {}): Promise<TlsPostgres> {
  const unavailable = tlsPostgresUnavailable();
  if (unavailable) throw new Error(`cannot start a TLS PostgreSQL: ${unavailable}`);
  const bin = postgresBinDir() as string;
  const listen = o.listen ?? '127.0.0.1';
  const port = o.port ?? (await freePort(listen));
  const names = o.names ?? ['localhost', listen];
  const allow = o.allow ?? [`${listen}/${net.isIPv6(listen) ? 128 : 32}`];
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'todo-tls-pg-'));
  const data = path.join(root, 'data');
  const certs = path.join(root, 'certs');
  fs.mkdirSync(certs);
  const asRoot = process.getuid?.() === 0;
  // as root, initdb and the server run as the postgres user; everything else stays readable by us
  const asPostgres = (cmd: string, args: string[]) =>
    asRoot ? (['runuser', ['-u', 'postgres', '--', cmd, ...args]] as const) : ([cmd, args] as const);
  const pgRun = async (cmd: string, args: string[], timeout = 120_000) => {
    const [c, a] = asPostgres(path.join(bin, cmd), args);
    return exec(c, [...a], { timeout, env: { ...process.env, LC_ALL: 'C' } });
  };

  let started = false;
  const stop = async () => {
    if (started) {
      started = false;
      await pgRun('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop'], 60_000).catch(() => undefined);
    }
    fs.rmSync(root, { recursive: true, force: true });
  };
  try {
    const pki = await throwawayPki(certs, names);
    const password = randomBytes(18).toString('base64url');
    const superPassword = randomBytes(18).toString('base64url');
    fs.writeFileSync(path.join(root, 'pwfile'), `${superPassword}\n`, { mode: 0o600 });
    if (asRoot) {
      const pw = execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim();
      const gid = execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim();
      fs.chmodSync(root, 0o755);
      fs.chownSync(root, Number(pw), Number(gid));
      for (const f of ['server.key', 'server.crt', 'ca.crt'])
        fs.chownSync(path.join(certs, f), Number(pw), Number(gid));
      fs.chownSync(path.join(root, 'pwfile'), Number(pw), Number(gid));
    }
    await pgRun('initdb', [
      '-D',
      data,
      '-U',
      'postgres',
      '--auth-local=trust',
      '--auth-host=scram-sha-256',
      `--pwfile=${path.join(root, 'pwfile')}`,
      '--no-sync',
      '-E',
      'UTF8',
      '--locale=C',
    ]);
    fs.appendFileSync(
      path.join(data, 'postgresql.conf'),
      [
        '',
        '# throwaway TLS-only test server',
        `listen_addresses = '${listen}'`,
        `port = ${port}`,
        `unix_socket_directories = '${root}'`,
        'ssl = on',
        `ssl_cert_file = '${pki.certFile}'`,
        `ssl_key_file = '${pki.keyFile}'`,
        "password_encryption = 'scram-sha-256'",
        'fsync = off',
        'synchronous_commit = off',
        'full_page_writes = off',
        'max_connections = 60',
        'shared_buffers = 32MB',
        '',
      ].join('\n'),
    );
    // TLS or nothing: a plain TCP login is rejected, whoever asks
    fs.writeFileSync(
      path.join(data, 'pg_hba.conf'),
      [
        'local all all trust',
        ...allow.map((cidr) => `hostssl all all ${cidr} scram-sha-256`),
        'hostnossl all all 0.0.0.0/0 reject',
        'hostnossl all all ::/0 reject',
        '',
      ].join('\n'),
    );
    await pgRun(
      'pg_ctl',
      ['-D', data, '-l', path.join(root, 'server.log'), '-w', '-t', '120', 'start'],
      180_000,
    );
    started = true;
    // the Unix socket lives in our folder and trusts local logins; statements go in on stdin, so
    // no password ever shows on a command line
    const sql = (statement: string) =>
      new Promise<string>((resolve, reject) => {
        const child = spawn(
          path.join(bin, 'psql'),
          [
            '-h',
            root,
            '-p',
            String(port),
            '-U',
            'postgres',
            '-d',
            'postgres',
            '-v',
            'ON_ERROR_STOP=1',
            '-At',
            '-f',
            '-',
          ],
          { stdio: ['pipe', 'pipe', 'pipe'], timeout: 60_000 },
        );
        let out = '';
        let err = '';
        child.stdout.on('data', (d) => {
          out += d;
        });
        child.stderr.on('data', (d) => {
          err += d;
        });
        child.on('error', reject);
        child.on('close', (code) =>
          code === 0 ? resolve(out.trim()) : reject(new Error(`psql exited ${code}: ${err.trim()}`)),
        );
        child.stdin.end(`${statement};\n`);
      });
    await sql(`CREATE ROLE todo LOGIN PASSWORD '${password}'`);
    await sql('CREATE DATABASE todo OWNER todo');
    const caFile = pki.caFile;
    const host = net.isIPv6(listen) ? `[${listen}]` : listen;
    return {
      host: listen,
      port,
      user: 'todo',
      password,
      database: 'todo',
      caFile,
      caPem: fs.readFileSync(caFile, 'utf8'),
      otherCaFile: pki.otherCaFile,
      url(u = {}) {
        const query = u.sslmode ? `?sslmode=${u.sslmode}` : '';
        const who = `${encodeURIComponent(u.user ?? 'todo')}:${encodeURIComponent(u.password ?? password)}`;
        return `postgres://${who}@${u.host ?? host}:${port}/${u.database ?? 'todo'}${query}`;
      },
      sql,
      stop,
    };
  } catch (err) {
    const log = path.join(root, 'server.log');
    const tail = fs.existsSync(log) ? `\n--- server.log\n${fs.readFileSync(log, 'utf8').slice(-2000)}` : '';
    await stop();
    throw new Error(`starting the TLS PostgreSQL failed: ${(err as Error).message}${tail}`);
  }
}
