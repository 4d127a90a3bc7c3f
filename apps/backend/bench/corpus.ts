/**
 * The offline assistant's evaluation corpus as a benchmark: accuracy by category, and the chat
 * turn's latency in process (chat service → OfflineModel → in-memory MCP → PGlite). Writes
 * docs/benchmarks/offline-assistant.md. Also run at the end of `pnpm --filter backend bench`.
 *
 *   pnpm --filter backend bench:corpus
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { OfflineModel } from '../src/agent/offline/model.js';
import { nextStep } from '../src/agent/offline/plan.js';
import { CASES } from '../test/corpus/cases.js';
import { accuracy, type CaseResult, CORPUS_NOW, CorpusRunner } from '../test/corpus/run.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

export async function benchCorpus(): Promise<{
  rows: ReturnType<typeof accuracy>;
  p50: number;
  p99: number;
  turns: number;
}> {
  const runner = await CorpusRunner.open(new OfflineModel(() => CORPUS_NOW));
  const results: CaseResult[] = [];
  try {
    for (const c of CASES.slice(0, 20)) await runner.run(c); // warm-up (JIT)
    for (const c of CASES) results.push(await runner.run(c));
  } finally {
    await runner.close();
  }
  const turns = results.flatMap((r) => r.turnMs).sort((a, b) => a - b);
  // the language pipeline alone: CPU time of reading a message and deciding the first step
  const clock = { now: CORPUS_NOW, timeZone: 'UTC' };
  const messages = CASES.flatMap((c) => c.say);
  for (const m of messages) nextStep([{ userText: m, results: [], reply: '' }], clock); // warm-up
  const cpu = messages
    .map((m) => {
      const t0 = process.cpuUsage();
      for (let i = 0; i < 10; i++) nextStep([{ userText: m, results: [], reply: '' }], clock);
      const d = process.cpuUsage(t0);
      return (d.user + d.system) / 10_000;
    })
    .sort((a, b) => a - b);
  const cpuPct = (p: number) => cpu[Math.min(cpu.length - 1, Math.floor((p / 100) * cpu.length))] ?? 0;
  const cpuMean = cpu.reduce((a, b) => a + b, 0) / cpu.length;
  const pct = (p: number) => turns[Math.min(turns.length - 1, Math.floor((p / 100) * turns.length))] ?? 0;
  const rows = accuracy(results);
  const sh = (cmd: string) => {
    try {
      return execFileSync('sh', ['-c', cmd], { encoding: 'utf8' }).trimEnd();
    } catch {
      return '(unavailable)';
    }
  };
  const failures = results.filter((r) => !r.ok);
  const md = `# Offline assistant: evaluation corpus

- Date: ${new Date().toISOString()}
- Command: \`pnpm --filter backend bench:corpus\` (also the last step of \`pnpm --filter backend bench\`)
- Machine: \`nproc\` = ${sh('nproc')}, ${sh("grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'")}; load average at the end ${os
    .loadavg()
    .map((n) => n.toFixed(2))
    .join(', ')}; Node ${process.version}
- Corpus: \`apps/backend/test/corpus/cases.ts\`, ${CASES.length} cases, ${turns.length} messages; each case is a fresh user with
  its seed tasks and one conversation; a case passes when the whole task list afterwards is the expected one (and the
  last reply says what the case requires, e.g. the question it must ask).

| category | passed | accuracy |
| --- | ---: | ---: |
${rows.map((r) => `| ${r.category === 'overall' ? '**overall**' : r.category} | ${r.passed}/${r.total} | ${r.pct.toFixed(1)}% |`).join('\n')}

Chat turn in process (chat service → OfflineModel → in-memory MCP tools → PGlite in memory), all ${turns.length}
turns after a 20-case warm-up: **p50 ${pct(50).toFixed(1)} ms**, p99 ${pct(99).toFixed(1)} ms. The end-to-end HTTP
figure against PostgreSQL is in [backend.md](backend.md). Both are wall times and move with the machine's load.

The language pipeline alone (normalise, clauses, intents, chrono-node, plan: \`nextStep\` on each corpus message,
CPU time of the process, 10 runs each): mean ${cpuMean.toFixed(2)} ms, p50 ${cpuPct(50).toFixed(2)} ms, p99
${cpuPct(99).toFixed(2)} ms per message; this is the offline model's share of a chat turn, independent of the load.
${failures.length ? `\nFailing cases:\n\n${failures.map((f) => `- ${f.c.category}: ${f.c.say.join(' ⏎ ')}`).join('\n')}\n` : ''}`;
  const out = path.join(repoRoot, 'docs', 'benchmarks', 'offline-assistant.md');
  fs.writeFileSync(out, md);
  console.log(
    rows.map((r) => `${r.category.padEnd(16)} ${r.passed}/${r.total} ${r.pct.toFixed(1)}%`).join('\n'),
  );
  console.log(
    `chat turn in process: p50 ${pct(50).toFixed(1)} ms, p99 ${pct(99).toFixed(1)} ms (${turns.length} turns)`,
  );
  console.log(`wrote ${path.relative(repoRoot, out)}`);
  return { rows, p50: pct(50), p99: pct(99), turns: turns.length };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  benchCorpus().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
