// @ts-check
// Command-line parsing shared by every script (node:util parseArgs): --help, --dry-run,
// --verbose plus the script's own options, and the generated help text, whose "Environment"
// part lists the settings the registry (settings.mjs) shows for the script.
import { parseArgs } from 'node:util';
import { usageError } from './errors.mjs';
import { defaultText, plain, SETTINGS } from './settings.mjs';

/**
 * @typedef {{ type: 'boolean' | 'string', short?: string, description: string, default?: string | boolean, multiple?: boolean, placeholder?: string }} OptionSpec
 * @typedef {{
 *   name: string,
 *   summary: string,
 *   usage: string | string[],
 *   description?: string[],
 *   options?: Record<string, OptionSpec>,
 *   positionals?: { name: string, description: string, required?: boolean, choices?: readonly string[] }[],
 *   allowExtraPositionals?: boolean,
 *   examples?: string[],
 *   needs?: string,
 *   logTo?: 'stdout' | 'stderr',
 *   dryRun?: 'nothing' | 'queries',
 *   interruptNote?: () => string | undefined,
 * }} CliSpec
 *   `logTo: 'stderr'` when the script's stdout carries a result (an image reference).
 *   `dryRun: 'queries'`: --dry-run still runs read-only queries and skips only the commands
 *   marked as changes (default 'nothing': it runs no command at all).
 *   `interruptNote`: what Ctrl-C means for this command (a follower that just stops), said instead
 *   of the default "the next run repairs anything left half-done"; undefined keeps the default.
 */

/** @type {Record<string, OptionSpec>} */
const COMMON = {
  help: { type: 'boolean', short: 'h', description: 'show this help and exit' },
  'dry-run': { type: 'boolean', description: 'print the commands that would run, run none of them' },
  verbose: { type: 'boolean', short: 'v', description: 'also print read-only queries and their output' },
};

const WIDTH = 24;

/** One help line per setting: name, help, default. @param {import('./settings.mjs').Setting} s */
function envLine(s) {
  const name = s.name;
  const label = `${name}${s.secret ? ' (secret)' : ''}`;
  const def = defaultText(s);
  const text = `${plain(s.help)}${def ? ` (default: ${plain(def)})` : ''}`;
  return `  ${label.padEnd(WIDTH - 2)} ${text}`;
}

/** @param {CliSpec} spec */
export function helpText(spec) {
  const opts = { ...spec.options, ...COMMON };
  if (spec.dryRun === 'queries')
    opts['dry-run'] = {
      type: 'boolean',
      description: 'print what would be done, change nothing (read-only queries still run)',
    };
  const usage = [spec.usage].flat();
  const lines = [
    `${spec.name}: ${spec.summary}`,
    '',
    `Usage: ${usage[0]}`,
    ...usage.slice(1).map((u) => `       ${u}`),
    '',
  ];
  if (spec.description?.length) lines.push(...spec.description, '');
  if (spec.positionals?.length) {
    lines.push('Arguments:');
    for (const p of spec.positionals) {
      const choices = p.choices ? ` (${p.choices.join(' | ')})` : '';
      lines.push(`  ${p.name.padEnd(WIDTH - 2)} ${p.description}${choices}`);
    }
    lines.push('');
  }
  lines.push('Options:');
  for (const [name, o] of Object.entries(opts)) {
    const value = o.type === 'string' ? ` <${o.placeholder ?? 'value'}>` : '';
    const flag = `${o.short ? `-${o.short}, ` : '    '}--${name}${value}`;
    const def = o.type === 'string' && o.default !== undefined ? ` (default: ${o.default})` : '';
    lines.push(`  ${flag.padEnd(WIDTH - 2)} ${o.description}${def}`);
  }
  const env = SETTINGS.filter((s) => s.scripts?.includes(spec.name));
  if (env.length) {
    lines.push('', 'Environment (also read from the repository root .env):');
    for (const s of env) lines.push(envLine(s));
  }
  if (spec.needs) lines.push('', `Needs: ${spec.needs}`);
  if (spec.examples?.length) lines.push('', 'Examples:', ...spec.examples.map((e) => `  ${e}`));
  return `${lines.join('\n')}\n`;
}

/**
 * node:util's message for a parse error, said the way the scripts say it.
 * @param {unknown} e
 */
function parseProblem(e) {
  const err = /** @type {{ code?: string, message?: string }} */ (e);
  const quoted = /'([^']+)'/.exec(err.message ?? '')?.[1];
  if (err.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && quoted) return `unknown option ${quoted}`;
  if (err.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') return (err.message ?? '').replace(/\.$/, '');
  return String(err.message ?? e).replace(/\.$/, '');
}

/**
 * Parses argv. Throws a usage error (exit 2) on an unknown option or a missing/invalid argument.
 * @param {CliSpec} spec
 * @param {string[]} [argv]
 */
export function parseCli(spec, argv = process.argv.slice(2)) {
  // `pnpm <script> -- --flag` passes the `--` through: drop a leading one.
  if (argv[0] === '--') argv = argv.slice(1);
  const options = { ...spec.options, ...COMMON };
  /** @type {NonNullable<import('node:util').ParseArgsConfig['options']>} */
  const config = {};
  for (const [name, o] of Object.entries(options)) {
    config[name] = {
      type: o.type,
      ...(o.short ? { short: o.short } : {}),
      ...(o.multiple ? { multiple: true } : {}),
    };
  }
  /** @type {{ values: Record<string, string | boolean | string[] | undefined>, positionals: string[] }} */
  let parsed;
  try {
    parsed = /** @type {any} */ (
      parseArgs({ args: argv, options: config, allowPositionals: true, allowNegative: true, strict: true })
    );
  } catch (e) {
    throw usageError(`${parseProblem(e)}: run with --help for usage.`);
  }
  const values = parsed.values;
  for (const [name, o] of Object.entries(options)) {
    if (values[name] === undefined && o.default !== undefined) values[name] = o.default;
  }
  const help = Boolean(values.help);
  const positionals = parsed.positionals;
  if (!help) {
    const specs = spec.positionals ?? [];
    const usage = [spec.usage].flat()[0];
    specs.forEach((p, i) => {
      const v = positionals[i];
      if (v === undefined) {
        if (p.required) throw usageError(`missing argument <${p.name}>. Usage: ${usage}`);
        return;
      }
      if (p.choices && !p.choices.includes(v)) {
        throw usageError(`unknown ${p.name} "${v}": expected one of ${p.choices.join(', ')}.`);
      }
    });
    if (!spec.allowExtraPositionals && positionals.length > specs.length) {
      throw usageError(`unexpected argument "${positionals[specs.length]}". Usage: ${usage}`);
    }
  }
  return {
    help,
    dryRun: Boolean(values['dry-run']),
    verbose: Boolean(values.verbose),
    values,
    positionals,
  };
}
