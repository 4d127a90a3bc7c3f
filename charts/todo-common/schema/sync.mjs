#!/usr/bin/env node
// @ts-check
// One source for the definitions the app charts' values.schema.json files share. Helm resolves no
// $ref to another file (Helm 3.18 refuses it as not canonical, Helm 4 looks for it at
// file:///…, and a packaged chart has no folder around it), so each chart carries its own copy:
// this writes into every chart's values.schema.json the definitions of schema/defs.json that the
// chart refers to, as its $defs. Everything else in the file is the chart's own, written by hand.
// Run: pnpm --filter todo-common schemas. The chart suite fails when a copy is stale.
import fs from 'node:fs';
import path from 'node:path';

export const DEFS_FILE = path.join(import.meta.dirname, 'defs.json');
const CHARTS_DIR = path.resolve(import.meta.dirname, '..', '..');
const LINE_WIDTH = 110; // biome.json's, so the files read as if biome had formatted them
const REF = '#/$defs/';
/** Keywords that may stand beside a $ref: Helm 3 ignores every other one there, Helm 4 does not. */
const BESIDE_REF = new Set(['$ref', 'description', '$comment']);

export const GENERATED_NOTE =
  '$defs is generated from charts/todo-common/schema/defs.json by `pnpm --filter todo-common schemas`: edit shared definitions there';

/** @typedef {Record<string, unknown>} Schema */

/** The values.schema.json of every chart next to this library (the three app charts). */
export function schemaFiles(chartsDir = CHARTS_DIR) {
  return fs
    .readdirSync(chartsDir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && e.name !== 'todo-common')
    .map((e) => path.join(chartsDir, e.name, 'values.schema.json'))
    .filter((file) => fs.existsSync(file))
    .sort();
}

/** @returns {Record<string, Schema>} */
export function readSharedDefs(file = DEFS_FILE) {
  return JSON.parse(fs.readFileSync(file, 'utf8')).$defs;
}

/**
 * Names of the definitions `node` refers to. Throws on a reference Helm could not resolve and on
 * a keyword beside a $ref that Helm 3 would ignore.
 * @param {unknown} node
 * @param {string} where JSON pointer of `node`, for the error messages
 * @param {Set<string>} [found]
 */
export function referencedDefs(node, where, found = new Set()) {
  if (Array.isArray(node)) {
    node.forEach((item, i) => {
      referencedDefs(item, `${where}/${i}`, found);
    });
  } else if (node && typeof node === 'object') {
    const o = /** @type {Schema} */ (node);
    if (typeof o.$ref === 'string') {
      if (!o.$ref.startsWith(REF)) {
        throw new Error(`${where}: $ref ${o.$ref} does not resolve in Helm; refer to ${REF}<name>`);
      }
      const ignored = Object.keys(o).filter((k) => !BESIDE_REF.has(k));
      if (ignored.length > 0) {
        throw new Error(
          `${where}: Helm 3 ignores ${ignored.join(', ')} beside $ref; write {"allOf": [{"$ref": …}], ${ignored[0]}: …}`,
        );
      }
      found.add(o.$ref.slice(REF.length));
    }
    for (const [k, v] of Object.entries(o)) referencedDefs(v, `${where}/${k}`, found);
  }
  return found;
}

/**
 * The chart schema with $defs = the shared definitions it refers to (directly or through
 * another definition), in the order of defs.json, and a note saying so after its title.
 * @param {Schema} schema
 * @param {Record<string, Schema>} shared
 * @returns {Schema}
 */
export function withSharedDefs(schema, shared) {
  const { $defs: _generated, $comment: _note, ...own } = schema;
  const wanted = new Set();
  const pending = [...referencedDefs(own, '')];
  while (pending.length > 0) {
    const name = /** @type {string} */ (pending.pop());
    if (wanted.has(name)) continue;
    const def = shared[name];
    if (!def) throw new Error(`${REF}${name} is not defined in charts/todo-common/schema/defs.json`);
    wanted.add(name);
    pending.push(...referencedDefs(def, `${REF}${name}`));
  }
  /** @type {Schema} */
  const out = {};
  for (const [k, v] of Object.entries(own)) {
    out[k] = v;
    if (k === 'title') out.$comment = GENERATED_NOTE;
  }
  out.$defs = Object.fromEntries(Object.entries(shared).filter(([name]) => wanted.has(name)));
  return out;
}

/**
 * JSON as biome formats it from an expanded source: objects one key a line, an array of scalars on
 * one line when it fits.
 * @param {unknown} value
 */
export function formatJson(value) {
  /** @param {unknown} v @param {string} indent @param {number} column where v starts @returns {string} */
  const format = (v, indent, column) => {
    if (v === null || typeof v !== 'object') return JSON.stringify(v);
    const inner = `${indent}  `;
    if (Array.isArray(v)) {
      if (v.length === 0) return '[]';
      const flat = `[${v.map((x) => JSON.stringify(x)).join(', ')}]`;
      const scalars = v.every((x) => x === null || typeof x !== 'object');
      if (scalars && column + flat.length + 1 <= LINE_WIDTH) return flat;
      return `[\n${v.map((x) => inner + format(x, inner, inner.length)).join(',\n')}\n${indent}]`;
    }
    const entries = Object.entries(v);
    if (entries.length === 0) return '{}';
    const lines = entries.map(([k, x]) => {
      const key = `${inner}${JSON.stringify(k)}: `;
      return key + format(x, inner, key.length);
    });
    return `{\n${lines.join(',\n')}\n${indent}}`;
  };
  return `${format(value, '', 0)}\n`;
}

/** The text a chart's values.schema.json should have. @param {string} text @param {Record<string, Schema>} shared */
export function syncedText(text, shared) {
  return formatJson(withSharedDefs(JSON.parse(text), shared));
}

if (import.meta.main) {
  const shared = readSharedDefs();
  for (const file of schemaFiles()) {
    const before = fs.readFileSync(file, 'utf8');
    const after = syncedText(before, shared);
    const name = path.relative(CHARTS_DIR, file);
    if (after === before) console.log(`${name}: up to date`);
    else {
      fs.writeFileSync(file, after);
      console.log(`${name}: written`);
    }
  }
}
