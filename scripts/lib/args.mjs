// @ts-check
// Command-line parsing shared by every script: --help, --dry-run, --verbose plus the script's
// own options, and a generated help text.
import { parseArgs } from 'node:util';
import { EXIT, ScriptError } from './errors.mjs';

/**
 * @typedef {{ type: 'boolean' | 'string', short?: string, description: string, default?: string | boolean }} OptionSpec
 * @typedef {{
 *   name: string,
 *   summary: string,
 *   usage: string,
 *   options?: Record<string, OptionSpec>,
 *   positionals?: { name: string, description: string, required?: boolean, choices?: readonly string[] }[],
 *   allowExtraPositionals?: boolean,
 *   env?: Record<string, string>,
 *   examples?: string[],
 * }} CliSpec
 */

/** @type {Record<string, OptionSpec>} */
const COMMON = {
  help: { type: 'boolean', short: 'h', description: 'show this help and exit' },
  'dry-run': { type: 'boolean', description: 'print the commands that would run, run none of them' },
  verbose: { type: 'boolean', short: 'v', description: 'also print read-only queries and their output' },
};

/** @param {CliSpec} spec */
export function helpText(spec) {
  const opts = { ...spec.options, ...COMMON };
  const lines = [`${spec.name}: ${spec.summary}`, '', `Usage: ${spec.usage}`, ''];
  if (spec.positionals?.length) {
    lines.push('Arguments:');
    for (const p of spec.positionals) {
      const choices = p.choices ? ` (${p.choices.join(' | ')})` : '';
      lines.push(`  ${p.name.padEnd(22)} ${p.description}${choices}`);
    }
    lines.push('');
  }
  lines.push('Options:');
  for (const [name, o] of Object.entries(opts)) {
    const flag = `${o.short ? `-${o.short}, ` : '    '}--${name}${o.type === 'string' ? ' <value>' : ''}`;
    lines.push(`  ${flag.padEnd(22)} ${o.description}`);
  }
  if (spec.env && Object.keys(spec.env).length) {
    lines.push('', 'Environment (also read from the repository root .env):');
    for (const [k, v] of Object.entries(spec.env)) lines.push(`  ${k.padEnd(22)} ${v}`);
  }
  if (spec.examples?.length) lines.push('', 'Examples:', ...spec.examples.map((e) => `  ${e}`));
  return `${lines.join('\n')}\n`;
}

/**
 * Parses argv. Throws a ScriptError(USAGE) on an unknown option or a missing/invalid argument.
 * @param {CliSpec} spec
 * @param {string[]} [argv]
 */
export function parseCli(spec, argv = process.argv.slice(2)) {
  // `pnpm <script> -- --flag` passes the `--` through: drop a leading one.
  if (argv[0] === '--') argv = argv.slice(1);
  const options = { ...spec.options, ...COMMON };
  /** @type {import('node:util').ParseArgsConfig['options']} */
  const config = {};
  for (const [name, o] of Object.entries(options)) {
    config[name] = { type: o.type, ...(o.short ? { short: o.short } : {}) };
  }
  /** @type {{ values: Record<string, string | boolean | undefined>, positionals: string[] }} */
  let parsed;
  try {
    parsed = /** @type {any} */ (
      parseArgs({ args: argv, options: config, allowPositionals: true, strict: true })
    );
  } catch (e) {
    throw new ScriptError(`${e instanceof Error ? e.message : e}. Run with --help for usage.`, EXIT.USAGE);
  }
  const values = parsed.values;
  for (const [name, o] of Object.entries(options)) {
    if (values[name] === undefined && o.default !== undefined) values[name] = o.default;
  }
  const help = Boolean(values.help);
  const positionals = parsed.positionals;
  if (!help) {
    const specs = spec.positionals ?? [];
    specs.forEach((p, i) => {
      const v = positionals[i];
      if (v === undefined) {
        if (p.required)
          throw new ScriptError(`missing argument <${p.name}>. Usage: ${spec.usage}`, EXIT.USAGE);
        return;
      }
      if (p.choices && !p.choices.includes(v)) {
        throw new ScriptError(
          `unknown ${p.name} "${v}": expected one of ${p.choices.join(', ')}.`,
          EXIT.USAGE,
        );
      }
    });
    if (!spec.allowExtraPositionals && positionals.length > specs.length) {
      throw new ScriptError(
        `unexpected argument "${positionals[specs.length]}". Usage: ${spec.usage}`,
        EXIT.USAGE,
      );
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
