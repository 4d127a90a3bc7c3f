// @ts-check
// The digest kept on each Helm release (as a release label): a hash of the chart's files, the
// values the pipeline passes, and the secret values (hashed, never stored). Equal digest ⇒ the
// deploy is skipped.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/** Files in a chart folder that do not change what Helm installs (README.md is generated from values.yaml). */
const IGNORED = new Set(['node_modules', '.turbo', 'package.json', 'CHANGELOG.md', 'README.md', '.DS_Store']);

/**
 * Every file of the chart, relative, sorted (stable across machines).
 * @param {string} dir
 * @returns {string[]}
 */
export function chartFiles(dir) {
  /** @type {string[]} */
  const out = [];
  const walk = (/** @type {string} */ rel) => {
    const abs = path.join(dir, rel);
    for (const e of fs.readdirSync(abs, { withFileTypes: true })) {
      if (IGNORED.has(e.name)) continue;
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) walk(r);
      else if (e.isFile()) out.push(r);
    }
  };
  walk('');
  return out.sort();
}

/** JSON with sorted keys, so equal objects hash equally. @param {unknown} v @returns {string} */
export function canonicalJson(v) {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  if (v && typeof v === 'object') {
    const o = /** @type {Record<string, unknown>} */ (v);
    return `{${Object.keys(o)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson(o[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v) ?? 'null';
}

/**
 * 32 hex characters (a Kubernetes label value holds at most 63).
 * @param {{ chartDir: string, values: unknown, secretValues: unknown }} o
 */
export function deployDigest(o) {
  const h = createHash('sha256');
  h.update('todo-deploy-digest/v1\0');
  for (const f of chartFiles(o.chartDir)) {
    h.update(`${f}\0`);
    h.update(fs.readFileSync(path.join(o.chartDir, f)));
    h.update('\0');
  }
  h.update(canonicalJson(o.values));
  h.update('\0');
  h.update(createHash('sha256').update(canonicalJson(o.secretValues)).digest());
  return h.digest('hex').slice(0, 32);
}
