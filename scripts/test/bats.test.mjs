// @ts-check
// Runs the bats suites of test/bats (the scripts' command-line behaviour against stub tools) as
// part of this package's `test` task, so the README's test command (`pnpm test` → turbo) covers
// them. SKIP_BATS=1 leaves them out (e.g. when iterating on scripts/lib with vitest --watch).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../lib/repo.mjs';

const bats = path.join(REPO_ROOT, 'test', 'node_modules', '.bin', 'bats');
const skip = process.env.SKIP_BATS === '1';

describe.skipIf(skip)('bats suites (test/bats)', () => {
  it('pass', { timeout: 900_000 }, () => {
    expect(fs.existsSync(bats), `${bats} is missing: run pnpm install`).toBe(true);
    const env = { ...process.env };
    delete env.TODO_REPO_ROOT;
    const r = spawnSync(bats, ['--print-output-on-failure', path.join(REPO_ROOT, 'test', 'bats')], {
      cwd: path.join(REPO_ROOT, 'test'),
      env,
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    });
    const out = `${r.stdout ?? ''}${r.stderr ?? ''}`;
    const failed = out.split('\n').filter((l) => l.startsWith('not ok'));
    if (r.status !== 0) process.stderr.write(out);
    expect(failed, 'failing bats tests (their output is above)').toEqual([]);
    expect(r.status).toBe(0);
    expect(out).toMatch(/^1\.\.\d+/m);
  });
});
