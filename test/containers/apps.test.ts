// Container end-to-end: build both app images through scripts/image.mjs, run PostgreSQL (the
// stand-in), the backend and the frontend as containers on the host network (distinct loopback
// ports, read-only root, writable /tmp only, no capabilities), run the browser suite against
// the frontend container, restart the backend mid-session and check nothing is lost, check the
// production start-up guard, and check that no secret is in either image. About 430 lines in one
// file on purpose: every test shares the containers one beforeAll starts (a split would start
// them again).
// Secrets reach the containers only through 0600 env files (never a command line).
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppClient } from '../lib/app-client.js';
import {
  announceSkip,
  buildAppImage,
  docker,
  dockerRequired,
  dockerStatus,
  ensureBaseImages,
  freePort,
  historyOf,
  imageSize,
  isRunning,
  logsOf,
  NODE_STAND_IN,
  POSTGRES_STAND_IN,
  REPO_ROOT,
  randomSecret,
  removeContainer,
  runStreaming,
  shellIn,
  startContainer,
  uniqueName,
  waitForContainerHttp,
  waitForPostgres,
} from './lib.js';

const status = await dockerStatus();
const skip = !status.ok && !dockerRequired;
if (skip) announceSkip('app containers (test/containers/apps.test.ts)', status.reason);

const BACKEND_TMPFS = ['/tmp:rw,noexec,nosuid,size=64m'];
const FRONTEND_TMPFS = [
  '/tmp:rw,noexec,nosuid,size=64m',
  '/app/apps/frontend/.next/cache:rw,uid=1000,gid=1000,size=64m',
];

describe.skipIf(skip)('app containers', () => {
  const authSecret = randomSecret('canary-auth-secret');
  const pgPassword = randomSecret('canary-pg-password');
  const names = { pg: uniqueName('pg'), backend: uniqueName('backend'), frontend: uniqueName('frontend') };
  const ports = { pg: 0, backend: 0, frontend: 0 };
  const refs = { backend: '', frontend: '' };
  const readyMs = { backend: 0, frontend: 0 };
  let origin = '';

  const backendEnv = () => ({
    PORT: String(ports.backend),
    HOST: '127.0.0.1',
    DATABASE_URL: `postgres://todo:${pgPassword}@127.0.0.1:${ports.pg}/todo`,
    BETTER_AUTH_SECRET: authSecret,
    TRUSTED_ORIGINS: `http://127.0.0.1:${ports.frontend},http://localhost:${ports.frontend}`,
    LOG_LEVEL: 'info',
    SHUTDOWN_TIMEOUT_MS: '5000',
  });

  const startBackend = async () => {
    const { startedAt } = await startContainer({
      name: names.backend,
      image: refs.backend,
      env: backendEnv(),
      readOnly: true,
      tmpfs: BACKEND_TMPFS,
      hardened: true,
    });
    return waitForContainerHttp(`http://127.0.0.1:${ports.backend}/ready`, {
      container: names.backend,
      since: startedAt,
      timeoutMs: 60_000,
    });
  };

  beforeAll(async () => {
    await ensureBaseImages();
    refs.backend = await buildAppImage('backend');
    refs.frontend = await buildAppImage('frontend');
    ports.pg = await freePort();
    ports.backend = await freePort();
    ports.frontend = await freePort();
    origin = `http://127.0.0.1:${ports.frontend}`;

    await startContainer({
      name: names.pg,
      image: POSTGRES_STAND_IN,
      env: { POSTGRES_USER: 'todo', POSTGRES_PASSWORD: pgPassword, POSTGRES_DB: 'todo' },
      tmpfs: ['/var/lib/postgresql/data:uid=999,gid=999,mode=0700'],
      command: ['postgres', '-p', String(ports.pg), '-c', 'listen_addresses=127.0.0.1'],
    });
    await waitForPostgres(names.pg, ports.pg);

    readyMs.backend = await startBackend();

    const fe = await startContainer({
      name: names.frontend,
      image: refs.frontend,
      env: {
        PORT: String(ports.frontend),
        HOSTNAME: '127.0.0.1',
        BACKEND_URL: `http://127.0.0.1:${ports.backend}`,
      },
      readOnly: true,
      tmpfs: FRONTEND_TMPFS,
      hardened: true,
    });
    readyMs.frontend = await waitForContainerHttp(`${origin}/api/healthz`, {
      container: names.frontend,
      since: fe.startedAt,
    });
    process.stderr.write(
      `  start-to-ready: backend ${Math.round(readyMs.backend)} ms, frontend ${Math.round(readyMs.frontend)} ms\n`,
    );
  });

  afterAll(async () => {
    for (const n of Object.values(names)) {
      if (!n) continue;
      const logs = await logsOf(n, 15);
      process.stderr.write(`── last log lines of ${n} ──\n${logs}\n`);
      await removeContainer(n);
    }
  });

  it('both images run as uid 1000, NODE_ENV=production, node as PID 1 (exec-form CMD, no shell)', async () => {
    for (const [app, ref] of Object.entries(refs)) {
      const r = await docker(['image', 'inspect', '--format', '{{json .Config}}', ref]);
      const config = JSON.parse(r.stdout) as {
        User: string;
        Env: string[];
        Cmd: string[];
        Entrypoint: string[] | null;
      };
      expect(config.User, app).toBe('1000:1000');
      expect(config.Env, app).toContain('NODE_ENV=production');
      expect(config.Cmd[0], app).toBe('node');
      expect(config.Entrypoint ?? [], app).toEqual([]);
    }
    for (const n of [names.backend, names.frontend]) {
      // the executable, not the command line: Next renames its process title to next-server
      const r = await docker(['exec', n, 'sh', '-c', 'readlink /proc/1/exe; id -u']);
      const [exe, uid] = r.stdout.trim().split('\n');
      expect(exe, `${n}: PID 1 runs ${exe}`).toMatch(/\/node$/);
      expect(uid).toBe('1000');
    }
  });

  it('runs with a read-only root: only /tmp (and Next cache) are writable', async () => {
    const probe =
      "try{require('fs').writeFileSync('/app/probe','x');console.log('wrote')}catch(e){console.log(e.code)}";
    for (const n of [names.backend, names.frontend]) {
      const r = await docker(['exec', n, 'node', '-e', probe]);
      expect(r.stdout.trim(), n).toBe('EROFS');
    }
  });

  it('backend image: the bundle, its migrations and PGlite only; no sources, no other app', async () => {
    const r = await shellIn(
      refs.backend,
      'ls /app; echo ---; ls -A /app/node_modules /app/node_modules/@*; echo ---; ls /app/dist; echo ---; find / -xdev -path /proc -prune -o \\( -path "*/apps/frontend*" -o -name "*.ts" -not -path "*/node_modules/*" \\) -print 2>/dev/null; true',
    );
    expect(r.exitCode, r.stderr).toBe(0);
    const [top = '', modules = '', dist = '', strays = ''] = r.stdout.split('---\n');
    expect(top.split('\n').filter(Boolean).sort()).toEqual([
      'dist',
      'drizzle',
      'node_modules',
      'package.json',
    ]);
    // esbuild bundles everything else into dist/server.js (apps/backend/build.mjs)
    expect(modules.split('\n').filter((l) => l && !l.endsWith(':'))).toEqual(['@electric-sql', 'pglite']);
    expect(dist.split('\n').filter(Boolean)).toEqual(['server.js']);
    expect(strays.trim()).toBe('');
  });

  it('frontend image: standalone output only, no backend, no dev tooling', async () => {
    const r = await shellIn(
      refs.frontend,
      'ls /app/apps; echo ---; ls /app/node_modules/.pnpm 2>/dev/null; echo ---; ls /app/apps/frontend /app/apps/frontend/.next',
    );
    expect(r.exitCode, r.stderr).toBe(0);
    const [apps = '', pnpmStore = '', files = ''] = r.stdout.split('---\n');
    expect(apps.split('\n').filter(Boolean)).toEqual(['frontend']);
    for (const dev of [
      'typescript@',
      'vitest@',
      'jsdom@',
      '@testing-library',
      '@biomejs',
      'tailwindcss@',
      'fastify@',
      'drizzle-orm@',
    ]) {
      expect(
        pnpmStore.split('\n').some((l) => l.startsWith(dev)),
        `${dev} in the frontend image`,
      ).toBe(false);
    }
    expect(files).toContain('server.js');
    expect(files).toContain('static');
    expect(files).not.toMatch(/^src$/m);
  });

  it('serves health and readiness, and the frontend reaches the backend through its proxy', async () => {
    expect((await fetch(`http://127.0.0.1:${ports.backend}/health`)).status).toBe(200);
    const ready = await fetch(`http://127.0.0.1:${ports.backend}/ready`);
    expect(await ready.json()).toEqual({ status: 'ready' });
    const assistant = await fetch(`${origin}/api/assistant`);
    expect(assistant.status).toBe(200);
    expect(await assistant.json()).toMatchObject({ mode: 'offline' });
    const home = await fetch(`${origin}/`, { redirect: 'manual' });
    expect(home.status).toBeLessThan(500);
  });

  it('passes the browser suite run against the frontend container', async () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'test/package.json'), 'utf8')) as {
      scripts?: Record<string, string>;
    };
    if (!pkg.scripts?.['test:e2e']) {
      if (dockerRequired)
        throw new Error('test/package.json has no test:e2e script: the browser suite is missing');
      process.stderr.write('  SKIPPED browser suite: test/package.json has no test:e2e script yet\n');
      return;
    }
    const r = await runStreaming('pnpm', ['--filter', '@todo/test', 'test:e2e'], {
      // with a browser on this machine the suite must really run (not skip)
      env: {
        ...process.env,
        E2E_BASE_URL: origin,
        ...(fs.existsSync(process.env.CHROMIUM_PATH || '/usr/bin/chromium') ? { REQUIRE_BROWSER: '1' } : {}),
      },
    });
    expect(
      r.exitCode,
      `browser suite failed against ${origin}:\n${r.stdout.slice(-3000)}\n${r.stderr.slice(-3000)}`,
    ).toBe(0);
  });

  it('loses nothing when the backend container stops (SIGTERM) and starts again mid-session', async () => {
    const user = new AppClient(origin, 20_000);
    const email = `restart-${Date.now()}@example.com`;
    const password = 'correct horse battery staple 42';
    await user.json('POST', '/api/auth/sign-up/email', { name: 'Restart Tester', email, password });
    const titles = ['buy milk', 'water the plants', 'call the bank'];
    const created: Array<{ id: string; title: string }> = [];
    for (const title of titles) {
      created.push(
        await user.json('POST', '/api/tasks', { title, priority: 'high', tags: ['restart'] }, 201),
      );
    }
    await user.json('POST', `/api/tasks/${created[0]?.id}/complete`, { completed: true });

    // SIGTERM → graceful stop well within docker's 20 s, exit code 0
    const stopStarted = performance.now();
    const stop = await docker(['stop', '--time', '20', names.backend], 60_000);
    expect(stop.exitCode, stop.stderr).toBe(0);
    const stopMs = performance.now() - stopStarted;
    const exit = await docker(['inspect', '--format', '{{.State.ExitCode}}', names.backend]);
    expect(exit.stdout.trim(), await logsOf(names.backend)).toBe('0');
    expect(stopMs).toBeLessThan(10_000);

    // the frontend stays up and answers with a problem, not a hang
    expect((await fetch(`${origin}/api/healthz`)).status).toBe(200);
    const down = await user.request('GET', '/api/tasks');
    expect(down.status).toBeGreaterThanOrEqual(500);

    // start the same container again (same env, same database)
    const started = performance.now();
    const st = await docker(['start', names.backend]);
    expect(st.exitCode, st.stderr).toBe(0);
    await waitForContainerHttp(`http://127.0.0.1:${ports.backend}/ready`, {
      container: names.backend,
      since: started,
    });

    // the session survived the restart
    const list = await user.json<{ items: Array<{ id: string; title: string; completed: boolean }> }>(
      'GET',
      '/api/tasks?status=all&tag=restart',
    );
    expect(list.items.map((t) => t.title).sort()).toEqual([...titles].sort());
    expect(list.items.find((t) => t.id === created[0]?.id)?.completed).toBe(true);

    // and signing in again (a new session) sees the same tasks
    const again = new AppClient(origin, 20_000);
    await again.json('POST', '/api/auth/sign-in/email', { email, password });
    const list2 = await again.json<{ items: Array<{ title: string }> }>(
      'GET',
      '/api/tasks?status=all&tag=restart',
    );
    expect(list2.items.map((t) => t.title).sort()).toEqual([...titles].sort());
  });

  it('refuses a production start without BETTER_AUTH_SECRET, with a clear log line', async () => {
    const name = uniqueName('backend-nosecret');
    try {
      const { BETTER_AUTH_SECRET: _omit, ...env } = backendEnv();
      await startContainer({
        name,
        image: refs.backend,
        env: { ...env, PORT: String(await freePort()) },
        readOnly: true,
        tmpfs: BACKEND_TMPFS,
        hardened: true,
      });
      const deadline = performance.now() + 30_000;
      while (performance.now() < deadline && (await isRunning(name)))
        await new Promise((r) => setTimeout(r, 100));
      expect(await isRunning(name), 'the backend kept running without a secret').toBe(false);
      const code = await docker(['inspect', '--format', '{{.State.ExitCode}}', name]);
      expect(code.stdout.trim()).not.toBe('0');
      const logs = await logsOf(name);
      expect(logs).toMatch(/BETTER_AUTH_SECRET/);
      expect(logs).toMatch(/production/i);
    } finally {
      await removeContainer(name);
    }
  });

  it('keeps every secret out of both images (history, config, files); they exist only at run time', async () => {
    const canaries = [authSecret, pgPassword];
    // sanity: the running containers did receive the canary (so its absence below means something)
    const live = await docker(['inspect', names.backend]);
    expect(live.stdout).toContain(authSecret);

    for (const ref of Object.values(refs)) {
      const history = await docker(['history', '--no-trunc', ref]);
      const inspect = await docker(['image', 'inspect', ref]);
      expect(history.exitCode).toBe(0);
      for (const c of canaries) {
        expect(history.stdout.includes(c), `${ref}: canary in docker history`).toBe(false);
        expect(inspect.stdout.includes(c), `${ref}: canary in docker inspect`).toBe(false);
      }
      const config = JSON.parse(inspect.stdout)[0].Config as {
        Env: string[];
        Labels: Record<string, string> | null;
      };
      const secretish = /(SECRET|PASSWORD|TOKEN|API_KEY|PRIVATE_KEY|DATABASE_URL)/i;
      expect(
        config.Env.filter((e) => secretish.test(e.split('=')[0] ?? '')),
        `${ref}: secret-like env`,
      ).toEqual([]);
      expect(history.stdout).not.toMatch(/(BETTER_AUTH_SECRET|OPENAI_API_KEY|POSTGRES_PASSWORD|PGPASSWORD)=/);
      const files = await shellIn(
        ref,
        'find / -xdev \\( -name ".env" -o -name ".env.*" -o -name "*.pem" -o -name "id_rsa*" -o -name ".npmrc" -o -name ".git" \\) -not -path "/etc/ssl/*" -not -path "/usr/*" -print',
      );
      expect(files.stdout.trim(), `${ref}: secret-like files`).toBe('');
    }
  });

  it('scripts/image.mjs rebuilds an image that the tag file names but the engine lost (--ensure)', async () => {
    const tagFile = path.join(REPO_ROOT, 'apps/backend/.image/tag');
    fs.writeFileSync(tagFile, `${refs.backend}\n`); // as the turbo cache would restore it
    // untag (the running test containers keep the layers; BuildKit keeps its cache)
    const rmi = await docker(['rmi', '--force', refs.backend]);
    expect(rmi.exitCode, rmi.stderr).toBe(0);
    expect((await docker(['image', 'inspect', refs.backend])).exitCode).not.toBe(0);
    const r = await runStreaming(process.execPath, [
      path.join(REPO_ROOT, 'scripts/image.mjs'),
      'backend',
      '--ensure',
      '--quiet',
    ]);
    expect(r.exitCode, r.stderr.slice(-2000)).toBe(0);
    expect(r.stderr).toMatch(/not in the engine: rebuilding/);
    expect((await docker(['image', 'inspect', refs.backend])).exitCode).toBe(0);
    // and a second --ensure finds it without building
    const again = await runStreaming(process.execPath, [
      path.join(REPO_ROOT, 'scripts/image.mjs'),
      'backend',
      '--ensure',
    ]);
    expect(again.exitCode).toBe(0);
    expect(again.stderr).toMatch(/is in the engine/);
  });

  it('app layers stay small above the base image (frontend ≤ 70 MB, backend ≤ 40 MB)', async () => {
    const base = NODE_STAND_IN;
    const baseRef =
      (
        await docker([
          'image',
          'inspect',
          '--format',
          '{{index .Config.Labels "todo.base-image"}}',
          refs.backend,
        ])
      ).stdout.trim() || base;
    const baseSize = await imageSize(baseRef);
    const above = {
      backend: (await imageSize(refs.backend)) - baseSize,
      frontend: (await imageSize(refs.frontend)) - baseSize,
    };
    process.stderr.write(
      `  above ${baseRef}: backend ${(above.backend / 1e6).toFixed(1)} MB, frontend ${(above.frontend / 1e6).toFixed(1)} MB\n`,
    );
    // the backend is one esbuild bundle plus PGlite (docs/benchmarks/images.md)
    expect(above.frontend).toBeLessThanOrEqual(70e6);
    expect(above.backend).toBeLessThanOrEqual(40e6);
    const layers = await historyOf(refs.backend);
    expect(layers.length).toBeGreaterThan(1);
  });
});
