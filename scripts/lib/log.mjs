// @ts-check
// Console output for every script: timed steps, one actionable line per problem, and redaction
// of every secret value the process knows about (nothing secret reaches a terminal or CI log).
import { performance } from 'node:perf_hooks';

/** @typedef {{ write: (s: string) => unknown }} Sink */

/** Seconds with one decimal under a minute, m:ss above. @param {number} ms */
export function formatDuration(ms) {
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)}s`;
  const s = Math.round(ms / 1000);
  return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
}

/**
 * Replaces every occurrence of each secret (values shorter than 4 characters are ignored: too
 * many false positives and no protection worth having) with `***`.
 * @param {string} text
 * @param {Iterable<string>} secrets
 */
export function redact(text, secrets) {
  let out = text;
  const list = [...secrets].filter((s) => typeof s === 'string' && s.length >= 4);
  // Longest first so a secret that contains another is replaced whole.
  list.sort((a, b) => b.length - a.length);
  for (const s of list) out = out.split(s).join('***');
  return out;
}

/**
 * Quotes one argument for display the way a POSIX shell would need it.
 * @param {string} arg
 */
export function shellQuote(arg) {
  if (arg === '') return "''";
  if (/^[\w@%+=:,./-]+$/.test(arg)) return arg;
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}

/** @param {string} bin @param {readonly string[]} args */
export function formatCommand(bin, args) {
  return [bin, ...args].map(shellQuote).join(' ');
}

/**
 * @param {{ name?: string, out?: Sink, err?: Sink, secrets?: Set<string>, color?: boolean, verbose?: boolean }} [opts]
 */
export function createLog(opts = {}) {
  const out = opts.out ?? process.stdout;
  const err = opts.err ?? process.stderr;
  const secrets = opts.secrets ?? new Set();
  const color = opts.color ?? (Boolean(process.stdout.isTTY) && !process.env.NO_COLOR);
  const verbose = opts.verbose ?? Boolean(process.env.VERBOSE);
  const paint = (/** @type {string} */ code, /** @type {string} */ s) =>
    color ? `\x1b[${code}m${s}\x1b[0m` : s;
  const prefix = opts.name ? `[${opts.name}] ` : '';
  const line = (/** @type {Sink} */ sink, /** @type {string} */ s) => {
    sink.write(`${prefix}${redact(s, secrets)}\n`);
  };

  const log = {
    secrets,
    verbose,
    /** Registers a value that must never be printed. @param {string | undefined} value */
    addSecret(value) {
      if (value && value.length >= 4) secrets.add(value);
    },
    /** @param {string} s */
    info(s) {
      line(out, s);
    },
    /** @param {string} s */
    detail(s) {
      line(out, paint('2', `  ${s}`));
    },
    /** @param {string} s */
    debug(s) {
      if (verbose) line(out, paint('2', s));
    },
    /** @param {string} s */
    ok(s) {
      line(out, `${paint('32', '✓')} ${s}`);
    },
    /** @param {string} s */
    warn(s) {
      line(err, `${paint('33', '!')} ${s}`);
    },
    /** One actionable line per problem. @param {string} s */
    problem(s) {
      line(err, `${paint('31', '✗')} ${s}`);
    },
    /** A command about to run (or that would run, in dry-run mode). @param {string} bin @param {readonly string[]} args @param {boolean} [dry] */
    command(bin, args, dry = false) {
      line(out, paint('36', `${dry ? '[dry-run] ' : ''}$ ${formatCommand(bin, args)}`));
    },
    /** Raw output of a child process, indented and redacted. @param {string} text */
    output(text) {
      for (const l of text.replace(/\n$/, '').split('\n')) if (l.trim()) line(out, paint('2', `  │ ${l}`));
    },
    /**
     * A timed step: `▸ title` when it starts, `✓ title (1.23s)` or `✗ title (1.23s)` when it ends.
     * The step's function may return a short note (e.g. "skipped: already loaded").
     * @template T
     * @param {string} title
     * @param {() => Promise<T> | T} fn
     * @param {(result: T) => string} [note] short note for the end line (default: the result when it is a string)
     * @returns {Promise<T>}
     */
    async step(title, fn, note) {
      const t0 = performance.now();
      line(out, `${paint('34', '▸')} ${title}`);
      try {
        const result = await fn();
        const text = note ? note(result) : typeof result === 'string' ? result : '';
        const suffix = text ? ` — ${text}` : '';
        line(
          out,
          `${paint('32', '✓')} ${title} ${paint('2', `(${formatDuration(performance.now() - t0)})`)}${suffix}`,
        );
        return result;
      } catch (e) {
        line(
          out,
          `${paint('31', '✗')} ${title} ${paint('2', `(${formatDuration(performance.now() - t0)})`)}`,
        );
        throw e;
      }
    },
  };
  return log;
}

/** @typedef {ReturnType<typeof createLog>} Log */
