// @ts-check
// log.mjs: redaction, durations, command lines, timed steps.
import { describe, expect, it } from 'vitest';
import { createLog, formatCommand, formatDuration, redact } from '../lib/log.mjs';
import { sink } from './helpers.mjs';

describe('log', () => {
  it('redacts every secret, longest first, and ignores very short values', () => {
    expect(redact('key=abcd1234 and abcd', ['abcd', 'abcd1234'])).toBe('key=*** and ***');
    expect(redact('a b c', ['b'])).toBe('a b c');
  });

  it('formats durations and shell-quotes commands for display', () => {
    expect(formatDuration(1234)).toBe('1.23s');
    expect(formatDuration(65_000)).toBe('1m05s');
    expect(formatCommand('helm', ['upgrade', 'a b', "it's"])).toBe(`helm upgrade 'a b' 'it'\\''s'`);
  });

  it('prints a start and a timed end line per step, with a note', async () => {
    const out = sink();
    const log = createLog({ out, err: out, color: false });
    const r = await log.step(
      'load image',
      async () => 42,
      (n) => `got ${n}`,
    );
    expect(r).toBe(42);
    expect(out.lines[0]).toBe('▸ load image\n');
    expect(out.lines[1]).toMatch(/^✓ load image \(\d\.\d\ds\) — got 42\n$/);
  });

  it('marks a failed step and rethrows', async () => {
    const out = sink();
    const log = createLog({ out, err: out, color: false });
    await expect(log.step('x', () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(out.lines[1]).toMatch(/^✗ x \(/);
  });

  it('never prints a registered secret', () => {
    const out = sink();
    const log = createLog({ out, err: out, color: false });
    log.addSecret('sk-very-secret');
    log.command('helm', ['--set', 'x=sk-very-secret']);
    log.problem('failed with sk-very-secret');
    expect(out.lines.join('')).not.toContain('sk-very-secret');
  });
});
