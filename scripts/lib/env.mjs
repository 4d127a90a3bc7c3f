// @ts-check
// Configuration: the repository root `.env` (parsed with dotenv, never injected into
// process.env, so child processes never inherit a secret they do not need) overlaid by the
// process environment, plus the defaults of the settings registry (settings.mjs). Secret values
// are kept apart so the logger can redact them.
import fs from 'node:fs';
import path from 'node:path';
import dotenv from 'dotenv';
import { EXIT, ScriptError } from './errors.mjs';
import { REPO_ROOT } from './repo.mjs';
import { DEFAULTS, SECRET_NAMES } from './settings.mjs';

/** Any variable whose name looks like a credential is a secret too, registered or not. */
const SECRET_NAME = /(SECRET|PASSWORD|PASSWD|TOKEN|API_KEY|PRIVATE_KEY|CREDENTIALS)$/i;

/** @param {string} key */
export function isSecretKey(key) {
  return SECRET_NAMES.includes(key) || SECRET_NAME.test(key);
}

/**
 * Reads a .env file with dotenv. A missing file is normal (zero configuration); an unreadable
 * one is an error.
 * @param {string} file
 * @returns {Record<string, string>}
 */
export function readDotenv(file) {
  let text;
  try {
    text = fs.readFileSync(file);
  } catch (e) {
    if (/** @type {NodeJS.ErrnoException} */ (e).code === 'ENOENT') return {};
    throw e;
  }
  return dotenv.parse(text);
}

/**
 * @typedef {{
 *   get: (key: string) => string | undefined,
 *   require: (key: string) => string,
 *   all: Record<string, string>,
 *   secrets: Set<string>,
 *   envFile: string,
 *   fromFile: Set<string>,
 * }} Config
 */

/**
 * Builds the configuration: defaults < .env < process environment. Empty strings count as unset.
 * @param {{ root?: string, env?: NodeJS.ProcessEnv, file?: string }} [opts]
 * @returns {Config}
 */
export function loadConfig(opts = {}) {
  const root = opts.root ?? REPO_ROOT;
  const env = opts.env ?? process.env;
  const envFile = opts.file ?? env.DOTENV_PATH ?? path.join(root, '.env');
  const fileVars = readDotenv(envFile);
  /** @type {Record<string, string>} */
  const all = { ...DEFAULTS };
  for (const [k, v] of Object.entries(fileVars)) if (v !== '') all[k] = v;
  for (const [k, v] of Object.entries(env)) if (v !== undefined && v !== '') all[k] = v;
  const secrets = new Set();
  for (const [k, v] of Object.entries(all)) if (isSecretKey(k) && v.length >= 4) secrets.add(v);
  // The password inside a DATABASE_URL is a secret on its own too (it may be logged by a tool
  // that prints the host part).
  const dbUrl = all.DATABASE_URL;
  if (dbUrl) {
    try {
      const pw = decodeURIComponent(new URL(dbUrl).password);
      if (pw.length >= 4) secrets.add(pw);
    } catch {
      // not a URL (e.g. pglite:memory): nothing more to hide
    }
  }
  return {
    all,
    secrets,
    envFile,
    fromFile: new Set(Object.keys(fileVars)),
    get: (key) => all[key],
    require(key) {
      const v = all[key];
      if (v === undefined)
        throw new ScriptError(`${key} is not set: add it to ${envFile} (see .env.example).`, EXIT.USAGE);
      return v;
    },
  };
}

/**
 * Parses a positive integer setting or throws a message naming the variable.
 * @param {Config} cfg @param {string} key
 */
export function intSetting(cfg, key) {
  const raw = cfg.get(key);
  const n = Number(raw);
  if (!raw || !Number.isInteger(n) || n <= 0) {
    throw new ScriptError(
      `${key}="${raw ?? ''}" is not a positive whole number: fix it in ${cfg.envFile}.`,
      EXIT.USAGE,
    );
  }
  return n;
}
