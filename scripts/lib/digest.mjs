// @ts-check
// The digest kept on each Helm release (as a release label): a hash of the chart's files, the
// values the pipeline passes, and the secret values (hashed, never stored). Equal digest ⇒ the
// deploy is skipped.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';

/**
 * Files in a chart folder that do not change what Helm installs (README.md is generated from
 * values.yaml; Chart.lock only records, with a new timestamp each time, the dependencies that
 * `helm dependency update` packaged into charts/).
 */
const IGNORED = new Set([
  'node_modules',
  '.turbo',
  'package.json',
  'CHANGELOG.md',
  'README.md',
  '.DS_Store',
  'Chart.lock',
]);
/** A dependency packaged into the chart (charts/todo-common-0.1.0.tgz). */
const PACKAGED_DEPENDENCY = /^charts\/[^/]+\.tgz$/;

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
    const data = fs.readFileSync(path.join(o.chartDir, f));
    if (!PACKAGED_DEPENDENCY.test(f)) h.update(data);
    else {
      for (const [name, body] of archiveEntries(data)) {
        h.update(`${name}\0`);
        h.update(body);
        h.update('\0');
      }
    }
    h.update('\0');
  }
  h.update(canonicalJson(o.values));
  h.update('\0');
  h.update(createHash('sha256').update(canonicalJson(o.secretValues)).digest());
  return h.digest('hex').slice(0, 32);
}

/**
 * The files of a packaged chart (.tgz) as [path, content], sorted by path: what Helm installs from
 * it. The archive's own bytes change with every `helm dependency update` although its files do
 * not (Helm 3 stamps the packaging time into it, Helm 4 the files' modification times).
 * @param {Buffer} tgz
 * @returns {[string, Buffer][]}
 */
export function archiveEntries(tgz) {
  const tar = zlib.gunzipSync(tgz);
  /** @type {[string, Buffer][]} */
  const entries = [];
  /** @type {string | undefined} a long path from the PAX header before the entry */
  let paxPath;
  for (let at = 0; at + 512 <= tar.length; ) {
    const header = tar.subarray(at, at + 512);
    if (header.every((b) => b === 0)) break;
    /** @param {number} from @param {number} length */
    const field = (from, length) => header.toString('utf8', from, from + length).replace(/\0.*$/s, '');
    const size = Number.parseInt(field(124, 12).trim() || '0', 8);
    const type = field(156, 1) || '0';
    const body = tar.subarray(at + 512, at + 512 + size);
    if (type === 'x') paxPath = /(?:^|\n)\d+ path=([^\n]*)\n/.exec(body.toString('utf8'))?.[1];
    else {
      const prefix = field(345, 155);
      const name = paxPath ?? (prefix ? `${prefix}/${field(0, 100)}` : field(0, 100));
      if (type === '0') entries.push([name, body]);
      paxPath = undefined;
    }
    at += 512 + Math.ceil(size / 512) * 512;
  }
  return entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}
