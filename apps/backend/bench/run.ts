/**
 * Benchmark of the built server against a real PostgreSQL. Writes docs/benchmarks/backend.md.
 *
 *   TEST_DATABASE_URL=postgres://todo:todo@127.0.0.1:5432/todo_test pnpm --filter backend bench
 *
 * Creates a throw-away database next to the one in the URL, starts `node dist/server.js` (building
 * it first when dist/ is missing) with NODE_ENV=production, and drives it with autocannon (closed
 * loop) and bench/open-loop.ts (fixed rate) over loopback. Bounded: every load phase has a fixed duration; nothing leaves 127.0.0.1.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import pg from 'pg';
import { freePort } from '../test/helpers/net.js';
import { benchCorpus } from './corpus.js';
import { openLoop } from './open-loop.js';
import { type Row, writeReport } from './report.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const DURATION = Number(process.env.BENCH_DURATION_S ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);
const CHAT_TURNS = Number(process.env.BENCH_CHAT_TURNS ?? 100);
const RATE = Number(process.env.BENCH_RATE ?? 1000);

const baseUrl = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL;
if (!baseUrl) {
  console.error(
    'Set TEST_DATABASE_URL (or BENCH_DATABASE_URL) to a PostgreSQL server the bench may create databases on.',
  );
  process.exit(2);
}

async function withAdmin<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: baseUrl });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

const pct = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;

/** CPU seconds (user + system) of one process, or of every `postgres` process, from /proc, in ms. */
function cpuMsOf(pid: number): number {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return (Number(fields[11]) + Number(fields[12])) * (1000 / 100);
}
function postgresCpuMs(): number {
  let total = 0;
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      if (stat.includes('(postgres)')) total += cpuMsOf(Number(entry));
    } catch {
      // the process ended while we looked
    }
  }
  return total;
}

interface Server {
  base: string;
  cpuMs: () => number;
  stop: () => Promise<void>;
}

async function startServer(dbUrl: string, env: Record<string, string> = {}): Promise<Server> {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const child: ChildProcess = spawn(process.execPath, [path.join(root, 'dist', 'server.js')], {
    cwd: root,
    env: {
      PATH: process.env.PATH,
      NODE_ENV: 'production',
      PORT: String(port),
      HOST: '127.0.0.1',
      DATABASE_URL: dbUrl,
      BETTER_AUTH_SECRET: randomBytes(32).toString('base64url'),
      BETTER_AUTH_URL: base,
      LOG_LEVEL: 'warn',
      RATE_LIMIT_CHAT_PER_MINUTE: '100000',
      RATE_LIMIT_AUTH_PER_MINUTE: '1000',
      ...env,
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const stop = async () => {
    if (child.exitCode !== null) return;
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
  };
  for (let i = 0; ; i++) {
    try {
      if ((await fetch(`${base}/ready`)).ok) break;
    } catch {}
    if (i > 300 || child.exitCode !== null) {
      await stop();
      throw new Error('server did not become ready');
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return { base, cpuMs: () => cpuMsOf(child.pid as number), stop };
}

/** Signs in (signing up the first time) and makes sure the user has exactly 50 tasks. */
async function benchUser(base: string): Promise<Record<string, string>> {
  const credentials = { email: 'bench@example.com', password: 'correct-horse-battery', name: 'bench' };
  const post = (route: string) =>
    fetch(`${base}/api/auth/${route}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: base },
      body: JSON.stringify(credentials),
    });
  let res = await post('sign-in/email');
  if (!res.ok) res = await post('sign-up/email');
  const token = res.headers.get('set-auth-token');
  if (!token) throw new Error(`sign-in failed: ${res.status}`);
  const auth = { authorization: `Bearer ${token}` };
  const count = async () =>
    ((await (await fetch(`${base}/api/tasks?limit=100`, { headers: auth })).json()) as { items: unknown[] })
      .items.length;
  for (let i = await count(); i < 50; i++) {
    const r = await fetch(`${base}/api/tasks`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({
        title: `task ${i}`,
        priority: ['low', 'medium', 'high'][i % 3],
        tags: ['bench'],
      }),
    });
    if (r.status !== 201) throw new Error(`seed failed: ${r.status}`);
  }
  if ((await count()) !== 50) throw new Error('expected 50 tasks in the list');
  return auth;
}

/** Runs `phase` and charges the server's and PostgreSQL's CPU time to the requests it served. */
async function measured(
  server: Server,
  phase: () => Promise<{ rps: number; p50: number; p99: number; ok: number; other: number; errors: number }>,
): Promise<Row> {
  const cpu0 = server.cpuMs();
  const pg0 = postgresCpuMs();
  const r = await phase();
  const n = Math.max(1, r.ok + r.other);
  return { ...r, cpuMs: (server.cpuMs() - cpu0) / n, pgCpuMs: (postgresCpuMs() - pg0) / n };
}

const closedLoop =
  (opts: autocannon.Options, expected = 200) =>
  async () => {
    const statuses = new Map<number, number>();
    const r = await new Promise<autocannon.Result>((resolve, reject) => {
      const instance = autocannon({ duration: DURATION, connections: CONNECTIONS, ...opts }, (err, res) =>
        err ? reject(err) : resolve(res),
      );
      instance.on('response', (_client: unknown, status: number) =>
        statuses.set(status, (statuses.get(status) ?? 0) + 1),
      );
    });
    const ok = statuses.get(expected) ?? 0;
    const all = [...statuses.values()].reduce((a, b) => a + b, 0);
    return {
      rps: r.requests.average,
      p50: r.latency.p50,
      p99: r.latency.p99,
      ok,
      other: all - ok,
      errors: r.errors,
    };
  };

const fixedRate = (url: string, headers: Record<string, string>) => async () => {
  const r = await openLoop({ url, headers, rate: RATE, durationS: DURATION, connections: 64 });
  return {
    rps: r.rps,
    p50: r.p50,
    p99: r.p99,
    ok: r.completed - r.non2xx,
    other: r.non2xx,
    errors: r.errors,
  };
};

async function main() {
  if (!fs.existsSync(path.join(root, 'dist', 'server.js'))) {
    execFileSync(process.execPath, [path.join(root, 'build.mjs')], { cwd: root, stdio: 'inherit' });
  }
  const dbName = `todo_bench_${randomBytes(4).toString('hex')}`;
  await withAdmin((c) => c.query(`CREATE DATABASE "${dbName}"`));
  const dbUrl = new URL(baseUrl as string);
  dbUrl.pathname = `/${dbName}`;
  const servers: Server[] = [];
  try {
    // 1. the default configuration: rendered list pages cached, validated by the list version
    const cached = await startServer(dbUrl.toString());
    servers.push(cached);
    let auth = await benchUser(cached.base);
    const listUrl = `${cached.base}/api/tasks`;
    await closedLoop({ url: listUrl, headers: auth, duration: 3 })(); // warm-up (JIT, pool)
    const list = await measured(cached, closedLoop({ url: listUrl, headers: auth }));
    const etag = (await fetch(listUrl, { headers: auth })).headers.get('etag') ?? '';
    const notModified = await measured(
      cached,
      closedLoop({ url: listUrl, headers: { ...auth, 'if-none-match': etag } }, 304),
    );
    const listRate = await measured(cached, fixedRate(listUrl, auth));
    await cached.stop();

    // 2. the list cache off: PostgreSQL renders every page
    const uncached = await startServer(dbUrl.toString(), { TASK_LIST_CACHE_MB: '0' });
    servers.push(uncached);
    auth = await benchUser(uncached.base);
    const rawUrl = `${uncached.base}/api/tasks`;
    await closedLoop({ url: rawUrl, headers: auth, duration: 3 })();
    const listNoCache = await measured(uncached, closedLoop({ url: rawUrl, headers: auth }));
    const listRateNoCache = await measured(uncached, fixedRate(rawUrl, auth));
    const create = await measured(
      uncached,
      closedLoop(
        {
          url: rawUrl,
          method: 'POST',
          headers: { ...auth, 'content-type': 'application/json' },
          body: JSON.stringify({ title: 'bench create', priority: 'high', tags: ['bench'] }),
        },
        201,
      ),
    );

    // 3. one offline chat turn with one tool call (add_task), end to end, sequential
    const turns: number[] = [];
    let chatCpuBefore = 0;
    for (let i = 0; i < CHAT_TURNS + 5; i++) {
      if (i === 5) chatCpuBefore = uncached.cpuMs();
      const started = performance.now();
      const res = await fetch(`${uncached.base}/api/chat`, {
        method: 'POST',
        headers: { ...auth, 'content-type': 'application/json' },
        body: JSON.stringify({ message: `add buy milk ${i}` }),
      });
      const body = await res.text();
      if (!body.includes('event: done') || !body.includes('"name":"add_task"'))
        throw new Error(`chat failed: ${body}`);
      if (i >= 5) turns.push(performance.now() - started);
    }
    const chatCpuMs = (uncached.cpuMs() - chatCpuBefore) / turns.length;
    turns.sort((a, b) => a - b);

    const results = {
      list,
      notModified,
      listRate,
      listNoCache,
      listRateNoCache,
      create,
      chat: { p50: pct(turns, 50), p99: pct(turns, 99), n: turns.length, cpuMs: chatCpuMs },
    };
    console.log(JSON.stringify(results, null, 2));
    writeReport(results, {
      durationS: DURATION,
      connections: CONNECTIONS,
      rate: RATE,
      databaseUrl: baseUrl as string,
    });
    // the offline assistant's accuracy by category (docs/benchmarks/offline-assistant.md)
    await benchCorpus();
  } finally {
    for (const s of servers) await s.stop();
    await withAdmin((c) => c.query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`));
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
