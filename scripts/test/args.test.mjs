// @ts-check
// args.mjs: the command line of every script (options, arguments, --help).
import { describe, expect, it } from 'vitest';
import { helpText, parseCli } from '../lib/args.mjs';
import { ScriptError } from '../lib/errors.mjs';

describe('args', () => {
  const spec = {
    name: 't',
    summary: 's',
    usage: 't <chart>',
    positionals: [{ name: 'chart', description: 'c', required: true, choices: ['a', 'b'] }],
    options: { yes: /** @type {const} */ ({ type: 'boolean', description: 'y' }) },
  };
  it('parses --dry-run, --verbose and own options', () => {
    const r = parseCli(spec, ['a', '--dry-run', '--yes']);
    expect(r).toMatchObject({ dryRun: true, verbose: false, positionals: ['a'] });
    expect(r.values.yes).toBe(true);
  });
  it('rejects unknown options, missing and invalid arguments with a usage error', () => {
    expect(() => parseCli(spec, ['a', '--nope'])).toThrow(ScriptError);
    expect(() => parseCli(spec, [])).toThrow(/missing argument <chart>/);
    expect(() => parseCli(spec, ['c'])).toThrow(/expected one of a, b/);
    try {
      parseCli(spec, ['c']);
    } catch (e) {
      expect(/** @type {ScriptError} */ (e).exitCode).toBe(2);
    }
  });
  it('--help skips argument validation and the help text lists the common options', () => {
    expect(parseCli(spec, ['--help']).help).toBe(true);
    const text = helpText(spec);
    expect(text).toContain('--dry-run');
    expect(text).toContain('Usage: t <chart>');
  });
});

describe('command line', () => {
  it('takes repeated and negated options', () => {
    const spec = {
      name: 't',
      summary: 's',
      usage: 't',
      options: {
        only: /** @type {const} */ ({ type: 'string', multiple: true, description: 'o' }),
        pull: /** @type {const} */ ({ type: 'boolean', default: true, description: 'p' }),
      },
    };
    const r = parseCli(spec, ['--only', 'a', '--only', 'b', '--no-pull']);
    expect(r.values).toMatchObject({ only: ['a', 'b'], pull: false });
    expect(parseCli(spec, []).values.pull).toBe(true);
    expect(() => parseCli(spec, ['--frob'])).toThrow(/unknown option --frob: run with --help/);
  });
});
