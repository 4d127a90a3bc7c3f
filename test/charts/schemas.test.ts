// The app charts' values.schema.json files share their definitions through one source,
// charts/todo-common/schema/defs.json: each chart's $defs must be the generated copy of the
// definitions it refers to (Helm resolves no $ref to another file), and the generator must refuse
// what Helm would not resolve or what Helm 3 would silently ignore.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  readSharedDefs,
  referencedDefs,
  schemaFiles,
  syncedText,
  withSharedDefs,
} from '../../charts/todo-common/schema/sync.mjs';
import { CHARTS, chartDir } from './lib/charts.js';

const shared = readSharedDefs();

describe('shared values.schema.json definitions', () => {
  it('the generator finds the three app charts', () => {
    expect(schemaFiles()).toEqual(
      [...CHARTS].sort().map((chart) => path.join(chartDir(chart), 'values.schema.json')),
    );
  });

  for (const chart of CHARTS) {
    it(`${chart}/values.schema.json carries the current copy of the definitions it uses`, () => {
      const text = readFileSync(path.join(chartDir(chart), 'values.schema.json'), 'utf8');
      expect(text, 'stale: run `pnpm --filter todo-common schemas` and commit the result').toBe(
        syncedText(text, shared),
      );
    });
  }

  it('every shared definition is used by some chart', () => {
    const used = new Set(
      CHARTS.flatMap((chart) =>
        Object.keys(
          JSON.parse(readFileSync(path.join(chartDir(chart), 'values.schema.json'), 'utf8')).$defs ?? {},
        ),
      ),
    );
    expect(Object.keys(shared).filter((name) => !used.has(name))).toEqual([]);
  });

  it('copies only what a chart refers to, through other definitions too', () => {
    const schema = { title: 't', properties: { a: { $ref: '#/$defs/resources' } } };
    expect(Object.keys(withSharedDefs(schema, shared).$defs as object)).toEqual([
      'cpu',
      'memory',
      'resources',
    ]);
  });

  it('refuses an undefined definition, a $ref to another file and a keyword Helm 3 ignores', () => {
    expect(() => withSharedDefs({ properties: { a: { $ref: '#/$defs/nope' } } }, shared)).toThrow(
      '#/$defs/nope is not defined in charts/todo-common/schema/defs.json',
    );
    expect(() => referencedDefs({ a: { $ref: '../todo-common/defs.json#/$defs/name' } }, '')).toThrow(
      '/a: $ref ../todo-common/defs.json#/$defs/name does not resolve in Helm',
    );
    expect(() => referencedDefs({ a: { $ref: '#/$defs/name', minLength: 1 } }, '')).toThrow(
      '/a: Helm 3 ignores minLength beside $ref',
    );
    expect([...referencedDefs({ a: { $ref: '#/$defs/name', description: 'ok' } }, '')]).toEqual(['name']);
  });
});
