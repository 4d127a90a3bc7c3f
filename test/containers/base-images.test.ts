// The registry-less stand-in base images built by scripts/base-images.mjs (`pnpm images:base`):
// the node image is a usable Node 24 base that trusts the host's extra CAs, the postgres image
// honours the official image's variables, runs as non-root and shuts down fast on SIGTERM.
import fs from 'node:fs';
import path from 'node:path';
import { IMAGES } from '@todo/scripts/lib/base-images/images.mjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  announceSkip,
  docker,
  dockerRequired,
  dockerStatus,
  ensureBaseImages,
  envFile,
  freePort,
  isRunning,
  logsOf,
  NODE_STAND_IN,
  POSTGRES_STAND_IN,
  REPO_ROOT,
  randomSecret,
  removeContainer,
  removeEnvFile,
  run,
  startContainer,
  uniqueName,
  waitForPostgres,
} from './lib.js';

const status = await dockerStatus();
if (!status.ok && !dockerRequired)
  announceSkip('base images (test/containers/base-images.test.ts)', status.reason);

describe('docker engine', () => {
  it.runIf(dockerRequired)('is available (required under CI=true)', () => {
    expect(status.ok, `Docker engine required under CI: ${status.reason}`).toBe(true);
  });
});

describe('scripts/base-images.mjs command line', () => {
  it('prints help', async () => {
    const r = await run(process.execPath, [path.join(REPO_ROOT, 'scripts/base-images.mjs'), '--help']);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain('todo-local/node:24-bookworm-slim');
    expect(r.stdout).toContain('--dry-run');
  });

  it('rejects an unknown option with a pointer to --help', async () => {
    const r = await run(process.execPath, [path.join(REPO_ROOT, 'scripts/base-images.mjs'), '--frobnicate']);
    expect(r.exitCode, 'usage errors exit 2 (docs/deployment.md)').toBe(2);
    expect(r.stderr).toMatch(/unknown option --frobnicate/);
    expect(r.stderr).toMatch(/--help/);
  });
});

describe.skipIf(!status.ok && !dockerRequired)('stand-in base images', () => {
  beforeAll(async () => {
    await ensureBaseImages();
  });

  it("leaves the host's own /run/postgresql alone (the image's var/run is a link to /run)", () => {
    // an earlier build followed the root filesystem's absolute var/run link and chowned the
    // host's socket directory to uid 999, so the host's PostgreSQL could not restart
    const hostPostgres = fs
      .readFileSync('/etc/passwd', 'utf8')
      .split('\n')
      .find((l) => l.startsWith('postgres:'));
    if (!hostPostgres || !fs.existsSync('/run/postgresql')) return;
    expect(fs.statSync('/run/postgresql').uid).toBe(Number(hostPostgres.split(':')[2]));
  });

  it('is idempotent: a second run skips the present images', async () => {
    const r = await run(process.execPath, [path.join(REPO_ROOT, 'scripts/base-images.mjs'), '--no-pull']);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stderr).toContain(`${NODE_STAND_IN} is present: skipped`);
    expect(r.stderr).toContain(`${POSTGRES_STAND_IN} is present: skipped`);
  });

  describe(NODE_STAND_IN, () => {
    it('runs Node 24 as user node (uid/gid 1000) with npm and corepack', async () => {
      const r = await docker([
        'run',
        '--rm',
        '--network',
        'none',
        '--user',
        'node',
        NODE_STAND_IN,
        'sh',
        '-c',
        'id -u; id -g; id -un; node -v; npm -v; corepack --version; echo "$HOME"',
      ]);
      expect(r.exitCode, r.stderr).toBe(0);
      const [uid, gid, user, nodeV, npmV, corepackV, home] = r.stdout.trim().split('\n');
      expect(uid).toBe('1000');
      expect(gid).toBe('1000');
      expect(user).toBe('node');
      expect(nodeV).toMatch(/^v24\.\d+\.\d+$/);
      expect(npmV).toMatch(/^\d+\.\d+\.\d+$/);
      expect(corepackV).toMatch(/^\d+\.\d+\.\d+$/);
      expect(home).toBe('/home/node');
    });

    it('is a local name that never masks an official image, labelled as a stand-in', async () => {
      const r = await docker(['image', 'inspect', '--format', '{{json .Config}}', NODE_STAND_IN]);
      const config = JSON.parse(r.stdout) as { Env: string[]; Labels: Record<string, string>; Cmd: string[] };
      expect(NODE_STAND_IN.startsWith('todo-local/')).toBe(true);
      expect(config.Labels['todo.stand-in']).toBe('true');
      expect(config.Env).toContain('NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt');
      expect(config.Cmd).toEqual(['node']);
    });

    it("carries the host's extra CA certificates in the system store", async () => {
      const dir = '/usr/local/share/ca-certificates';
      const hostCerts = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.crt')) : [];
      const r = await docker([
        'run',
        '--rm',
        '--network',
        'none',
        NODE_STAND_IN,
        'sh',
        '-c',
        `ls ${dir}; test -s "$NODE_EXTRA_CA_CERTS" && echo bundle-ok`,
      ]);
      expect(r.exitCode, r.stderr).toBe(0);
      for (const c of hostCerts) expect(r.stdout).toContain(c);
      expect(r.stdout).toContain('bundle-ok');
      // the bundle holds each host certificate (its base64 body, first line)
      for (const c of hostCerts) {
        const body = fs.readFileSync(path.join(dir, c), 'utf8').split('\n')[1] ?? '';
        const grep = await docker([
          'run',
          '--rm',
          '--network',
          'none',
          NODE_STAND_IN,
          'grep',
          '-qF',
          body,
          '/etc/ssl/certs/ca-certificates.crt',
        ]);
        expect(grep.exitCode, `${c} not in the system bundle`).toBe(0);
      }
    });

    it('lets node reach nothing it should not need: works offline for a local script', async () => {
      const r = await docker([
        'run',
        '--rm',
        '--network',
        'none',
        '--read-only',
        '--user',
        '1000:1000',
        NODE_STAND_IN,
        'node',
        '-e',
        'console.log(JSON.stringify({ v: process.versions.node.split(".")[0], openssl: !!process.versions.openssl, tz: Intl.DateTimeFormat().resolvedOptions().timeZone }))',
      ]);
      expect(r.exitCode, r.stderr).toBe(0);
      expect(JSON.parse(r.stdout)).toMatchObject({ v: '24', openssl: true });
    });
  });

  describe(POSTGRES_STAND_IN, () => {
    const name = uniqueName('pg-base');
    let port = 0;
    const password = randomSecret('pgpass');

    beforeAll(async () => {
      port = await freePort();
      await startContainer({
        name,
        image: POSTGRES_STAND_IN,
        env: {
          POSTGRES_USER: 'alice',
          POSTGRES_PASSWORD: password,
          POSTGRES_DB: 'wonderland',
          PGDATA: '/tmp/pg/data',
        },
        tmpfs: ['/tmp'],
        command: ['postgres', '-p', String(port), '-c', 'listen_addresses=127.0.0.1'],
      });
      await waitForPostgres(name, port);
    });

    afterAll(async () => {
      await removeContainer(name);
    });

    it("runs the major version of the chart's default image", async () => {
      const r = await docker(['exec', name, 'postgres', '--version']);
      expect(r.exitCode, r.stderr).toBe(0);
      expect(r.stdout).toMatch(new RegExp(`\\(PostgreSQL\\) ${IMAGES.postgres.major}\\.`));
    });

    it('owns its socket and data directories as uid 999', async () => {
      const r = await docker([
        'run',
        '--rm',
        '--entrypoint',
        'stat',
        POSTGRES_STAND_IN,
        '-c',
        '%u %a',
        '/var/run/postgresql',
        '/var/lib/postgresql/data',
      ]);
      expect(r.stdout.trim().split('\n')).toEqual(['999 3775', '999 700']);
    });

    it('answers pg_isready', async () => {
      const r = await docker(['exec', name, 'pg_isready', '-h', '127.0.0.1', '-p', String(port)]);
      expect(r.stdout).toContain('accepting connections');
    });

    it('runs as the non-root postgres user (uid 999)', async () => {
      const r = await docker([
        'exec',
        name,
        'sh',
        '-c',
        'id -u; id -un; ps -o user= -p 1 2>/dev/null || stat -c %U /proc/1',
      ]);
      const [uid, user] = r.stdout.trim().split('\n');
      expect(uid).toBe('999');
      expect(user).toBe('postgres');
      const inspect = await docker(['image', 'inspect', '--format', '{{.Config.User}}', POSTGRES_STAND_IN]);
      expect(inspect.stdout.trim()).toBe('999:999');
    });

    /** psql from the image against the running server, the password in a 0600 env file. */
    const psql = async (pgPassword: string, sql: string) => {
      const file = envFile({ PGPASSWORD: pgPassword });
      try {
        return await docker([
          'run',
          '--rm',
          '--network',
          'host',
          '--env-file',
          file,
          '--entrypoint',
          'psql',
          POSTGRES_STAND_IN,
          ...['-h', '127.0.0.1', '-p', String(port), '-U', 'alice', '-d', 'wonderland', '-tAc', sql],
        ]);
      } finally {
        removeEnvFile(file);
      }
    };

    it('honours POSTGRES_USER, POSTGRES_PASSWORD, POSTGRES_DB and PGDATA over TCP', async () => {
      const ok = await psql(
        password,
        "select current_user || ' ' || current_database() || ' ' || current_setting('data_directory')",
      );
      expect(ok.exitCode, ok.stderr).toBe(0);
      expect(ok.stdout.trim()).toBe('alice wonderland /tmp/pg/data');
    });

    it('rejects a wrong password', async () => {
      const bad = await psql('not-the-password', 'select 1');
      expect(bad.exitCode).not.toBe(0);
      expect(bad.stderr).toMatch(/password authentication failed/);
    });

    it('keeps the password out of the server process environment', async () => {
      const r = await docker([
        'exec',
        name,
        'sh',
        '-c',
        'tr "\\0" "\\n" < /proc/$(head -1 "$PGDATA/postmaster.pid")/environ',
      ]);
      expect(r.exitCode, r.stderr).toBe(0);
      expect(r.stdout).toContain('PGDATA=');
      expect(r.stdout).not.toContain(password);
    });

    it('shuts down fast on SIGTERM (PID 1 turns it into a fast shutdown)', async () => {
      const started = performance.now();
      await docker(['kill', '--signal', 'TERM', name]);
      while (performance.now() - started < 10_000 && (await isRunning(name))) {
        await new Promise((r) => setTimeout(r, 100));
      }
      const elapsed = performance.now() - started;
      expect(await isRunning(name)).toBe(false);
      expect(elapsed).toBeLessThan(5_000);
      const logs = await logsOf(name, 30);
      expect(logs).toContain('fast shutdown');
      const code = await docker(['inspect', '--format', '{{.State.ExitCode}}', name]);
      expect(code.stdout.trim()).toBe('0');
    });
  });

  describe(`${POSTGRES_STAND_IN} without a password`, () => {
    it('refuses to initialise and says what to set', async () => {
      const name = uniqueName('pg-nopass');
      try {
        await startContainer({
          name,
          image: POSTGRES_STAND_IN,
          env: {},
          tmpfs: ['/var/lib/postgresql/data:uid=999,gid=999,mode=0700'],
          network: 'none',
        });
        const deadline = performance.now() + 20_000;
        while (performance.now() < deadline && (await isRunning(name)))
          await new Promise((r) => setTimeout(r, 100));
        const logs = await logsOf(name);
        expect(logs).toMatch(/POSTGRES_PASSWORD is not set/);
        const code = await docker(['inspect', '--format', '{{.State.ExitCode}}', name]);
        expect(code.stdout.trim()).not.toBe('0');
      } finally {
        await removeContainer(name);
      }
    });
  });
});
