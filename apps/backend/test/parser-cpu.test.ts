import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { findDate } from '../src/agent/offline/dates.js';
import { parseTaskDetails } from '../src/agent/offline/details.js';
import { parseMessage } from '../src/agent/offline/parse.js';
import { nextStep } from '../src/agent/offline/plan.js';
import { parseRef } from '../src/agent/offline/refs.js';
import { normalize } from '../src/agent/offline/text.js';

// Property: no parser entry point spends more than a few milliseconds of CPU per kilobyte of
// input, for random and adversarial messages up to the 4,000-character chat limit (issue 13: a
// 111-character "add x tagged aand…@x" kept the event loop busy for ~10 s).
//
// CPU time (process.cpuUsage: user + system of this process), not wall time, so a loaded machine
// does not fail it: waiting for a core costs no CPU time. Each input is measured five times and
// the fastest run counts, so a garbage collection or a JIT compilation in one run does not either
// (in the full suite, with other files' garbage in the worker, single runs were seen 8× slower).
// Against the parser before issue 13's fix (parse.ts at c3f524d) this test fails: the issue's
// 111-character input cost 824 ms of CPU (budget 10 ms), a 3,995-character "add !!!…x" 56 ms
// (budget 40 ms). On the current pipeline the worst of these inputs takes ~2 ms for 4 KB alone,
// and the worst of 300 adversarial samples 0.72 ms/KB at load 15.
// The budget, BUDGET_MS_PER_KB per started kilobyte, is ~10× what the pipeline needs on a busy
// 2-core machine, and several orders of magnitude below what exponential backtracking costs.

const BUDGET_MS_PER_KB = 10;
const MAX_LEN = 4000;
const clock = { now: new Date('2026-11-26T10:00:00Z'), timeZone: 'Europe/Berlin' };

const ENTRY_POINTS: Record<string, (s: string) => unknown> = {
  normalize: (s) => normalize(s),
  parseMessage: (s) => parseMessage(s, clock),
  parseTaskDetails: (s) => parseTaskDetails(s, [], clock),
  parseRef: (s) => parseRef(s, []),
  findDate: (s) => findDate(s, clock),
  nextStep: (s) => nextStep([{ userText: s, results: [], reply: '' }], clock),
};

function cpuMs(fn: () => unknown): number {
  let best = Number.POSITIVE_INFINITY;
  for (let i = 0; i < 5; i++) {
    const t0 = process.cpuUsage();
    fn();
    const d = process.cpuUsage(t0);
    best = Math.min(best, (d.user + d.system) / 1000);
  }
  return best;
}

function check(s: string): string[] {
  const budget = BUDGET_MS_PER_KB * Math.max(1, Math.ceil(s.length / 1024));
  const slow: string[] = [];
  for (const [name, fn] of Object.entries(ENTRY_POINTS)) {
    const ms = cpuMs(() => fn(s));
    if (ms > budget)
      slow.push(
        `${name}: ${ms.toFixed(1)} ms CPU > ${budget} ms for ${s.length} chars ${JSON.stringify(s.slice(0, 60))}…`,
      );
  }
  return slow;
}

// Pieces of the grammar the parser looks for, to build the inputs most likely to backtrack.
const PIECES = [
  'add ',
  'x ',
  'tagged ',
  'aand',
  'and ',
  ' and ',
  '@x',
  '#',
  '#tag ',
  ', ',
  ' ',
  '  ',
  'high ',
  'priority ',
  'prio',
  'due ',
  'by ',
  'on ',
  'the ',
  'tomorrow ',
  'at 9am ',
  'friday ',
  '12/10 ',
  '2026-12-01 ',
  'next ',
  'week ',
  'to ',
  'mark ',
  'as done ',
  'not ',
  'done',
  "it's ",
  'urgent',
  '!!!',
  '...',
  '"',
  "'",
  '“',
  '”',
  'rename ',
  ' to ',
  'all ',
  'delete ',
  'move ',
  'remind me to ',
  'please ',
  'thanks',
  '?',
  ':',
  '-',
  '\t',
  '\n',
  'évé',
  '日本',
  '\u0000',
];
const adversarial = fc
  .array(fc.constantFrom(...PIECES), { minLength: 1, maxLength: 600 })
  .map((xs) => xs.join('').slice(0, MAX_LEN));
const repeated = fc
  .tuple(
    fc.constantFrom('add ', 'add x tagged ', 'remind me to ', 'mark ', ''),
    fc.array(fc.constantFrom(...PIECES), { minLength: 1, maxLength: 4 }),
    fc.constantFrom('@x', '!', '?', 'x', ' done', ''),
  )
  .map(([head, unit, tail]) => {
    const u = unit.join('');
    return (
      `${head}${u.repeat(Math.ceil((MAX_LEN - head.length - tail.length) / Math.max(1, u.length)))}`.slice(
        0,
        MAX_LEN - tail.length,
      ) + tail
    );
  });
const random = fc.string({ unit: 'grapheme', maxLength: MAX_LEN });

describe('parser CPU time per kilobyte (ReDoS guard)', () => {
  it('the input of issue 13 and its long forms', () => {
    const worst = [
      `add x tagged ${'aand'.repeat(24)}@x`,
      `add x tagged ${'aand'.repeat(996)}@x`,
      `add x tagged ${'a and '.repeat(660)}@x`,
      `add ${'!'.repeat(3990)}x`,
      `add ${' '.repeat(3990)}x`,
      `add x ${'due '.repeat(990)}x`,
      `mark ${'x '.repeat(1990)}as done`,
      `rename ${'x to '.repeat(790)}y`,
      `${'"'.repeat(3999)}x`,
      `add ${"'a".repeat(1990)}`,
      // chrono-node itself: "\tthe week" doubles its time every ~20 characters (dates.ts windows it)
      `add ${'\tthe week '.repeat(399)}`,
      `add ${'the week '.repeat(443)}`,
      `add ${'on monday at 9 '.repeat(266)}`,
      `add ${'a week '.repeat(570)}`,
      `${'and add x '.repeat(400)}`,
      `${'please '.repeat(570)}`,
      `${'x, '.repeat(1330)}`,
    ];
    expect(worst.flatMap(check)).toEqual([]);
  });

  it('adversarial compositions of the grammar', () => {
    fc.assert(
      fc.property(adversarial, (s) => {
        expect(check(s)).toEqual([]);
      }),
      { numRuns: 150 },
    );
  });

  it('long repetitions', () => {
    fc.assert(
      fc.property(repeated, (s) => {
        expect(check(s)).toEqual([]);
      }),
      { numRuns: 100 },
    );
  });

  it('random text', () => {
    fc.assert(
      fc.property(random, (s) => {
        expect(check(s)).toEqual([]);
      }),
      { numRuns: 100 },
    );
  });
});
