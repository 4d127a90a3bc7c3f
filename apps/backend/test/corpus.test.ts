import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OfflineModel } from '../src/agent/offline/model.js';
import { CASES } from './corpus/cases.js';
import { accuracy, type CaseResult, CORPUS_NOW, CorpusRunner } from './corpus/run.js';
import { CATEGORIES, FAILURE_KINDS } from './corpus/types.js';

// The offline assistant's evaluation corpus, end to end: OfflineModel → agent loop → in-memory
// MCP tools → PGlite. Targets (issue 17): ≥ 95% overall, no category below 90%; every failure kind
// the issue lists is covered and every case of those kinds passes.

describe('offline assistant evaluation corpus', () => {
  let runner: CorpusRunner;
  const results: CaseResult[] = [];

  beforeAll(async () => {
    runner = await CorpusRunner.open(new OfflineModel(() => CORPUS_NOW));
    for (const c of CASES) results.push(await runner.run(c));
  }, 600_000);
  afterAll(async () => {
    await runner?.close();
  });

  it('has at least 300 messages over every category', () => {
    expect(CASES.reduce((n, c) => n + c.say.length, 0)).toBeGreaterThanOrEqual(300);
    for (const category of CATEGORIES)
      expect(CASES.filter((c) => c.category === category).length).toBeGreaterThan(0);
  });

  it('meets the accuracy targets', () => {
    const failures = results
      .filter((r) => !r.ok)
      .map(
        (r) => `${r.c.category}: ${r.c.say.join(' ⏎ ')}\n${r.why}\n  replies: ${JSON.stringify(r.replies)}`,
      );
    const rows = accuracy(results);
    console.log(
      rows.map((r) => `${r.category.padEnd(16)} ${r.passed}/${r.total} ${r.pct.toFixed(1)}%`).join('\n'),
    );
    if (failures.length) console.log(`failures:\n${failures.join('\n')}`);
    const overall = rows.find((r) => r.category === 'overall');
    expect(overall?.pct).toBeGreaterThanOrEqual(95);
    for (const r of rows) expect(r.pct, r.category).toBeGreaterThanOrEqual(90);
  });

  it.each(FAILURE_KINDS)('covers and passes the failure kind %s', (kind) => {
    const mine = results.filter((r) => r.c.kinds?.includes(kind));
    expect(mine.length).toBeGreaterThan(0);
    expect(mine.filter((r) => !r.ok).map((r) => `${r.c.say.join(' ⏎ ')}: ${r.why}`)).toEqual([]);
  });
});
