#!/usr/bin/env node
// Proxy overhead: GET /api/tasks through the frontend's same-origin proxy vs straight to the backend.
// Starts the BUILT backend (in-memory PGlite) and the BUILT frontend on free loopback ports, signs up a
// user, creates 20 tasks, warms up, then alternates direct and proxied requests (keep-alive on both).
// Usage: node bench/proxy-overhead.mjs [--requests 500] [--budget-ms 5]
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const app = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const root = path.resolve(app, '../..');
const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(name);
  return i === -1 ? fallback : args[i + 1];
};
const requests = Number(option('--requests', '500'));
const budgetMs = Number(option('--budget-ms', '5'));

const freePort = () =>
  new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });

const children = [];
function start(script, env, cwd) {
  const child = spawn(process.execPath, [script], {
    cwd,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
    detached: true,
  });
  children.push(child);
  return child;
}
function stopAll() {
  for (const child of children) {
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      // gone already
    }
  }
}
process.on('exit', stopAll);
process.on('SIGINT', () => process.exit(130));

async function waitFor(url) {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${url} did not come up`);
}

const backendEntry = path.join(root, 'apps/backend/dist/server.js');
if (!existsSync(backendEntry) || !existsSync(path.join(app, '.next/BUILD_ID'))) {
  console.error(
    'proxy-overhead: build backend and frontend first (pnpm turbo build --filter backend --filter frontend)',
  );
  process.exit(2);
}
const backendPort = await freePort();
const frontendPort = await freePort();
const backend = `http://127.0.0.1:${backendPort}`;
const frontend = `http://127.0.0.1:${frontendPort}`;
start(
  backendEntry,
  {
    NODE_ENV: 'production',
    DATABASE_URL: 'pglite:memory',
    BETTER_AUTH_SECRET: randomBytes(32).toString('hex'),
    HOST: '127.0.0.1',
    PORT: String(backendPort),
    LOG_LEVEL: 'warn',
  },
  path.join(root, 'apps/backend'),
);
start(
  path.join(app, 'scripts/start.mjs'),
  { HOSTNAME: '127.0.0.1', PORT: String(frontendPort), BACKEND_URL: backend, NEXT_TELEMETRY_DISABLED: '1' },
  app,
);
await waitFor(`${backend}/health`);
await waitFor(`${frontend}/api/healthz`);

const email = `bench-${randomBytes(4).toString('hex')}@example.com`;
const signUp = await fetch(`${frontend}/api/auth/sign-up/email`, {
  method: 'POST',
  headers: { 'content-type': 'application/json', origin: frontend },
  body: JSON.stringify({ email, password: 'bench-password-123', name: 'Bench' }),
});
if (!signUp.ok) throw new Error(`sign-up failed: ${signUp.status} ${await signUp.text()}`);
const cookie = signUp.headers
  .getSetCookie()
  .map((c) => c.split(';')[0])
  .join('; ');
const headers = { cookie, accept: 'application/json', origin: frontend };
for (let i = 0; i < 20; i++) {
  const res = await fetch(`${frontend}/api/tasks`, {
    method: 'POST',
    headers: { ...headers, 'content-type': 'application/json' },
    body: JSON.stringify({ title: `Task ${i}`, priority: ['low', 'medium', 'high'][i % 3], tags: ['bench'] }),
  });
  if (res.status !== 201) throw new Error(`create failed: ${res.status} ${await res.text()}`);
}

async function timed(url) {
  const t0 = performance.now();
  const res = await fetch(url, { headers });
  await res.arrayBuffer();
  const ms = performance.now() - t0;
  if (res.status !== 200) throw new Error(`${url}: ${res.status}`);
  return ms;
}

const path_ = '/api/tasks?status=all&limit=50';
for (let i = 0; i < 100; i++) {
  await timed(backend + path_);
  await timed(frontend + path_);
}
const direct = [];
const proxied = [];
const baseline = []; // /api/healthz: a Next.js route handler that does nothing, i.e. the framework's own cost
for (let i = 0; i < requests; i++) {
  const order = i % 3;
  for (let k = 0; k < 3; k++) {
    const which = (order + k) % 3;
    if (which === 0) direct.push(await timed(backend + path_));
    else if (which === 1) proxied.push(await timed(frontend + path_));
    else baseline.push(await timed(`${frontend}/api/healthz`));
  }
}

// CPU time the Next.js server process spends per proxied request (load-independent, Linux only).
function cpuMs(pid) {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) * (1000 / 100);
  } catch {
    return Number.NaN;
  }
}
function nextServerPid() {
  const launcher = children[1]?.pid;
  try {
    return Number(readFileSync(`/proc/${launcher}/task/${launcher}/children`, 'utf8').trim().split(/\s+/)[0]);
  } catch {
    return Number.NaN;
  }
}
const serverPid = nextServerPid();
const cpuRuns = 1000;
let cpuBefore = cpuMs(serverPid);
for (let i = 0; i < cpuRuns; i++) await timed(frontend + path_);
const frontendCpuPerRequest = (cpuMs(serverPid) - cpuBefore) / cpuRuns;
cpuBefore = cpuMs(serverPid);
for (let i = 0; i < cpuRuns; i++) await timed(`${frontend}/api/healthz`);
const baselineCpuPerRequest = (cpuMs(serverPid) - cpuBefore) / cpuRuns;
const sample = await fetch(frontend + path_, { headers: { ...headers, 'accept-encoding': 'gzip' } });
await sample.arrayBuffer();

const pct = (values, p) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
};
const row = (name, v) =>
  `${name.padEnd(8)} p50 ${pct(v, 50).toFixed(2).padStart(6)} ms   p90 ${pct(v, 90).toFixed(2).padStart(6)} ms   p99 ${pct(v, 99).toFixed(2).padStart(6)} ms`;
console.log(
  `GET ${path_} (20 tasks), ${requests} requests each, alternating, keep-alive; ` +
    `${os.cpus().length} CPUs, load average ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
);
console.log(row('direct', direct));
console.log(row('proxied', proxied));
console.log(row('healthz', baseline), '(frontend route handler that calls nothing)');
console.log(
  `frontend CPU per request: proxied ${frontendCpuPerRequest.toFixed(2)} ms, healthz ${baselineCpuPerRequest.toFixed(2)} ms (${cpuRuns} requests each); ` +
    `proxied response content-encoding: ${sample.headers.get('content-encoding') ?? 'identity'}`,
);
const overhead = pct(proxied, 50) - pct(direct, 50);
const ok = overhead <= budgetMs;
console.log(
  `proxy overhead p50: ${overhead.toFixed(2)} ms (budget ${budgetMs} ms): ${ok ? 'OK' : 'OVER BUDGET'}`,
);
stopAll();
process.exit(ok ? 0 : 1);
