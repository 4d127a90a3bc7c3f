// The report of the backend benchmark (bench/run.ts measures, this writes what it measured as
// docs/benchmarks/backend.md, with the machine it ran on and how to read the numbers).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

/** One load phase: throughput, latency, answers, and the CPU time charged to each request. */
export interface Row {
  rps: number;
  p50: number;
  p99: number;
  /** Responses with the expected status. */
  ok: number;
  other: number;
  errors: number;
  cpuMs: number;
  pgCpuMs: number;
}

/** What run.ts measured: one row per load phase, and the chat turns. */
export interface BenchResults {
  list: Row;
  notModified: Row;
  listRate: Row;
  listNoCache: Row;
  listRateNoCache: Row;
  create: Row;
  chat: { p50: number; p99: number; n: number; cpuMs: number };
}

/** How run.ts ran its phases (the report states them). */
export interface BenchSettings {
  durationS: number;
  connections: number;
  rate: number;
  /** The PostgreSQL server the bench used (its version is asked for the report). */
  databaseUrl: string;
}

/** Writes docs/benchmarks/backend.md: the machine, the settings, the results and what they mean. */
export function writeReport(r: BenchResults, settings: BenchSettings): void {
  const { durationS, connections, rate, databaseUrl } = settings;
  const sh = (cmd: string) => {
    try {
      return execFileSync('sh', ['-c', cmd], { encoding: 'utf8' }).trimEnd();
    } catch {
      return '(unavailable)';
    }
  };
  const load = os
    .loadavg()
    .map((n) => n.toFixed(2))
    .join(', ');
  const pgVersion = sh(`psql "${databaseUrl}" -tAc 'SHOW server_version' 2>/dev/null`);
  const ms = (n: number) => `${n.toFixed(n < 10 ? 1 : 0)} ms`;
  const row = (name: string, x: Row) =>
    `| ${name} | ${Math.round(x.rps)} | ${ms(x.p50)} | ${ms(x.p99)} | ${x.other} | ${x.errors} | ${x.cpuMs.toFixed(2)} ms | ${x.pgCpuMs.toFixed(2)} ms |`;
  const met = r.list.rps >= 3000 && r.listRate.p99 <= 25 && r.chat.p50 <= 30;
  const md = `# Backend benchmark

Measured with the built server (\`node dist/server.js\`, \`NODE_ENV=production\`, \`LOG_LEVEL=warn\`)
against a real PostgreSQL on the same machine, driven from another Node process on the same
machine over loopback (client, server and PostgreSQL share the cores).

- Date: ${new Date().toISOString()}
- Command: \`TEST_DATABASE_URL=postgres://todo:todo@127.0.0.1:5432/todo_test pnpm --filter backend bench\`
- Machine: \`nproc\` = ${sh('nproc')}, ${sh("grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'")}
- Memory (\`free -h\`):

\`\`\`
${sh('free -h')}
\`\`\`

- Load average when the run ended (1, 5, 15 min): ${load}
- Node ${process.version}, PostgreSQL ${pgVersion}, pool size 10. Closed-loop phases: autocannon,
  ${connections} connections, ${durationS} s each after a 3 s warm-up. Fixed-rate phases: an open-loop
  generator (\`bench/open-loop.ts\`) sending ${rate} req/s for ${durationS} s on up to 64 keep-alive
  connections, latency counted from each request's scheduled send time.
- The user has 50 tasks; every list response is the full page (~11 KB).

| scenario | req/s | p50 | p99 | other status | errors | server CPU per request | PostgreSQL CPU per request |
| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |
${row(`\`GET /api/tasks\`, ${connections} connections (default: list cache on)`, r.list)}
${row(`\`GET /api/tasks\` with \`If-None-Match\` → 304, ${connections} connections`, r.notModified)}
${row(`\`GET /api/tasks\` at a fixed ${rate} req/s (list cache on)`, r.listRate)}
${row(`\`GET /api/tasks\`, ${connections} connections, \`TASK_LIST_CACHE_MB=0\``, r.listNoCache)}
${row(`\`GET /api/tasks\` at a fixed ${rate} req/s, \`TASK_LIST_CACHE_MB=0\``, r.listRateNoCache)}
${row(`\`POST /api/tasks\`, ${connections} connections`, r.create)}

"Server CPU per request" is the Node process's user + system CPU time (from \`/proc/<pid>/stat\`)
divided by the requests served; "PostgreSQL CPU per request" the same for all \`postgres\`
processes on the machine. Both depend far less on how busy the machine is than req/s and latency.

Offline chat turn with one tool call (\`add buy milk N\` → \`add_task\` over in-memory MCP → PostgreSQL →
reply stored; measured from request to end of the event stream, ${r.chat.n} sequential turns, new
conversation each): **p50 ${ms(r.chat.p50)}**, p99 ${ms(r.chat.p99)}; server CPU per turn
${r.chat.cpuMs.toFixed(1)} ms.

Targets from the issue: list ≥ 3,000 req/s; p99 ≤ 25 ms at 1,000 req/s; offline chat turn p50 ≤ 30 ms.
${
  met
    ? 'All three were met in this run (the list with its default configuration, list cache on).'
    : `Not all were met in this run. Read the load average above: with a load well above the 2 cores,
req/s and tail latency measure the contention more than the server; the CPU columns are the
better guide to capacity.`
}

Where the time goes: rendering a page of 50 tasks is PostgreSQL's most expensive work on this path
(\`json_agg\` of the rows, three \`to_char\` per row): see the PostgreSQL CPU column with the cache
off. The list cache keeps each rendered page with the user's list version (a row bumped by a
trigger on \`tasks\` in the same transaction as every change); a request reads that version by
primary key (one round trip to a prepared statement) and reuses the page while it is unchanged,
so a change through any replica is visible to the next request. Pages also carry a strong
\`ETag\`: a client that revalidates gets \`304 Not Modified\` without the body. A chat turn is ~6
database round trips (conversation, history, user message, the tool's write, reply) plus the
Agents SDK's run loop and an in-memory MCP handshake.
`;
  const out = path.join(repoRoot, 'docs', 'benchmarks', 'backend.md');
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, md);
  console.log(`wrote ${path.relative(repoRoot, out)}`);
}
