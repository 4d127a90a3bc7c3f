// @ts-check
// file-watch.mjs: what counts as a change, and how changes become rounds.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ignored, roundQueue, watchTree } from '../lib/file-watch.mjs';

describe('ignored', () => {
  it('leaves out installed and generated folders, packaged chart dependencies and editor files', () => {
    for (const p of [
      'apps/frontend/node_modules/x/index.js',
      'apps/frontend/.next/server/page.js',
      'apps/backend/.image/tag',
      'apps/backend/dist/server.js',
      'charts/todo-backend/charts/todo-common-0.1.0.tgz',
      'charts/todo-backend/Chart.lock',
      'apps/backend/src/.app.ts.swp',
      'apps/backend/src/app.ts~',
      'apps/backend/src/4913',
      'apps/backend/.#app.ts',
      'apps/backend/debug.log',
    ])
      expect(ignored(p), p).toBe(true);
    for (const p of [
      'apps/backend/src/app.ts',
      'charts/todo-common/templates/_labels.tpl',
      'charts/todo-backend/values.yaml',
      'packages/contracts/src/index.ts',
    ])
      expect(ignored(p), p).toBe(false);
  });
});

/**
 * A roundQueue (300 ms debounce) on a clock the test sets (`clock.t`), whose every round waits for
 * `release()`; `rounds` holds each round's files as it starts (null: a runNow round without changes).
 */
function heldRounds() {
  const clock = { t: 0 };
  /** @type {(string[] | null)[]} */
  const rounds = [];
  /** @type {() => void} */
  let releaseRound = () => {};
  const queue = roundQueue({
    debounceMs: 300,
    now: () => clock.t,
    run: async (batch) => {
      rounds.push(batch?.files ?? null);
      await new Promise((resolve) => {
        releaseRound = () => resolve(undefined);
      });
    },
  });
  return { queue, rounds, clock, release: () => releaseRound() };
}

describe('roundQueue', () => {
  afterEach(() => {
    vi.useRealTimers();
  });
  it('debounces saves into one round, and changes during a round make the next one', async () => {
    vi.useFakeTimers();
    const { queue: q, rounds, clock, release } = heldRounds();
    q.notify('a');
    clock.t = 100;
    vi.advanceTimersByTime(100);
    q.notify('b');
    clock.t = 350;
    vi.advanceTimersByTime(250);
    expect(rounds).toEqual([]); // 300 ms after the last save, not the first
    clock.t = 400;
    vi.advanceTimersByTime(50);
    vi.advanceTimersByTime(1); // the timer yields once to pending events (setImmediate)
    expect(rounds).toEqual([['a', 'b']]);
    expect(q.busy()).toBe(true);
    q.notify('c'); // during the round
    clock.t = 2000;
    vi.advanceTimersByTime(1600);
    expect(rounds.length).toBe(1); // never two at once
    release();
    for (let i = 0; i < 4; i++) await vi.advanceTimersByTimeAsync(1);
    expect(rounds).toEqual([['a', 'b'], ['c']]);
    release();
    await q.close();
  });
  it('a change read just before the round would start postpones it', async () => {
    vi.useFakeTimers();
    let t = 0;
    /** @type {string[][]} */
    const rounds = [];
    const q = roundQueue({
      debounceMs: 300,
      now: () => t,
      run: async (b) => void rounds.push(b?.files ?? []),
    });
    q.notify('a');
    t = 300;
    vi.advanceTimersByTime(300); // the timer fires; before the round starts, one more event is read
    q.notify('b');
    vi.advanceTimersByTime(1);
    expect(rounds).toEqual([]);
    t = 600;
    vi.advanceTimersByTime(300);
    vi.advanceTimersByTime(1);
    expect(rounds).toEqual([['a', 'b']]);
    await q.close();
  });
  it('runNow starts a round at once; the changes it sees meanwhile make the next one', async () => {
    vi.useFakeTimers();
    const { queue: q, rounds, clock, release } = heldRounds();
    q.runNow();
    q.notify('a');
    clock.t = 1000;
    vi.advanceTimersByTime(1000);
    expect(rounds).toEqual([null]);
    release();
    for (let i = 0; i < 4; i++) await vi.advanceTimersByTimeAsync(1);
    expect(rounds).toEqual([null, ['a']]);
    release();
    await q.close();
  });
});

describe('watchTree', () => {
  it('reports a content change, not a touch; new folders are watched; ignored paths are not reported', async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'watch-test-'));
    try {
      fs.mkdirSync(path.join(root, 'apps/a/src'), { recursive: true });
      fs.mkdirSync(path.join(root, 'apps/a/node_modules'), { recursive: true });
      fs.writeFileSync(path.join(root, 'apps/a/src/x.ts'), 'one');
      fs.writeFileSync(path.join(root, '.env'), 'A=1\n');
      /** @type {string[]} */
      const seen = [];
      const w = watchTree({ root, dirs: ['apps/a'], files: ['.env'], onChange: (f) => seen.push(f) });
      const settle = () => new Promise((r) => setTimeout(r, 300));
      fs.utimesSync(path.join(root, 'apps/a/src/x.ts'), new Date(), new Date()); // a touch
      fs.writeFileSync(path.join(root, 'apps/a/src/x.ts'), 'one'); // same bytes
      fs.writeFileSync(path.join(root, 'apps/a/node_modules/y.js'), 'ignored');
      fs.writeFileSync(path.join(root, 'README.md'), 'not watched');
      await settle();
      expect(seen).toEqual([]);
      fs.writeFileSync(path.join(root, 'apps/a/src/x.ts'), 'two');
      fs.writeFileSync(path.join(root, '.env'), 'A=2\n');
      fs.mkdirSync(path.join(root, 'apps/a/src/new'));
      await settle();
      fs.writeFileSync(path.join(root, 'apps/a/src/new/z.ts'), 'z');
      await settle();
      w.close();
      expect([...new Set(seen)].sort()).toEqual(['.env', 'apps/a/src/new/z.ts', 'apps/a/src/x.ts']);
      expect(w.files).toBeTypeOf('function');
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});
