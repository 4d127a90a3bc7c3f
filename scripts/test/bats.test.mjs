// @ts-check
// Runs the bats suites of test/bats (the scripts' command-line behaviour against stub tools) as
// part of this package's `test` task, so the README's test command (`pnpm test` → turbo) covers
// them. SKIP_BATS=1 leaves them out (e.g. when iterating on scripts/lib with vitest --watch).
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createRunner } from '../lib/exec.mjs';
import { REPO_ROOT } from '../lib/repo.mjs';

const bats = path.join(REPO_ROOT, 'test', 'node_modules', '.bin', 'bats');
const skip = process.env.SKIP_BATS === '1';

describe.skipIf(skip)('bats suites (test/bats)', () => {
  it('pass', { timeout: 900_000 }, async () => {
    expect(fs.existsSync(bats), `${bats} is missing: run pnpm install`).toBe(true);
    const env = { ...process.env };
    delete env.TODO_REPO_ROOT;
    const r = await createRunner().run(
      bats,
      ['--print-output-on-failure', path.join(REPO_ROOT, 'test', 'bats')],
      {
        cwd: path.join(REPO_ROOT, 'test'),
        env,
      },
    );
    const out = `${r.stdout}${r.stderr}`;
    const failed = out.split('\n').filter((l) => l.startsWith('not ok'));
    if (!r.ok) process.stderr.write(out);
    expect(failed, 'failing bats tests (their output is above)').toEqual([]);
    expect(r.exitCode).toBe(0);
    expect(out).toMatch(/^1\.\.\d+/m);
  });
});
