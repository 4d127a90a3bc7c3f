// @ts-check
// exec.mjs and service.mjs: running commands (dry run, timeouts, pipes, line splitting) and
// long-lived processes.
import { describe, expect, it } from 'vitest';
import { createRunner, lineStream } from '../lib/exec.mjs';
import { createLog } from '../lib/log.mjs';
import { startService } from '../lib/service.mjs';
import { quietLog, sink } from './helpers.mjs';

describe('runner', () => {
  it('dry-run prints and runs nothing', async () => {
    const out = sink();
    const log = createLog({ out, err: out, color: false });
    const r = await createRunner({ dryRun: true, log }).run('rm', ['-rf', '/nonexistent-for-test']);
    expect(r).toMatchObject({ ok: true, dry: true });
    expect(out.lines.join('')).toContain('[dry-run] $ rm -rf /nonexistent-for-test');
  });
  it('runs commands with arguments passed verbatim and reports missing tools', async () => {
    const log = quietLog();
    const runner = createRunner({ log });
    const r = await runner.run('printf', ['%s|', 'a b', '$(echo no)']);
    expect(r.stdout).toBe('a b|$(echo no)|');
    const m = await runner.run('definitely-not-a-tool-xyz', []);
    expect(m.missing).toBe(true);
  });
});

describe('runner timeouts', () => {
  it('stops a command that does not answer in time and says so', async () => {
    const log = quietLog();
    const r = await createRunner({ log }).run('sleep', ['5'], { timeoutMs: 200 });
    expect(r.ok).toBe(false);
    expect(r.stderr).toMatch(/no answer within 0s|no answer within/);
  });
  it('pipes one command into another and fails when the first fails', async () => {
    const log = quietLog();
    const runner = createRunner({ log });
    const ok = await runner.pipe(['printf', ['a\\nb\\n']], ['wc', ['-l']]);
    expect(ok.ok).toBe(true);
    expect(ok.stdout.trim()).toBe('2');
    const bad = await runner.pipe(['false', []], ['cat', []]);
    expect(bad.ok).toBe(false);
  });
});

describe('lineStream', () => {
  it('gives whole lines, the last one on flush', () => {
    /** @type {string[]} */
    const got = [];
    const s = lineStream((l) => got.push(l));
    s.push('one\ntw');
    s.push('o\r\nthr');
    expect(got).toEqual(['one', 'two']);
    s.flush();
    expect(got).toEqual(['one', 'two', 'thr']);
  });
});

describe('services', () => {
  it('waits for a line of output and stops the whole process group', async () => {
    const s = startService('sleeper', 'sh', ['-c', 'echo listening on http://x:1; sleep 30']);
    const [url] = await s.waitForOutput(/http:\/\/\S+/, 5000);
    expect(url).toBe('http://x:1');
    await s.stop(1000);
    expect(s.exited()).toBe(true);
    expect(s.log()).toContain('listening');
  });
});
