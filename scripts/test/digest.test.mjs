// @ts-check
// digest.mjs: the digest of a release's inputs, which decides whether a deploy changes it.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { archiveEntries, canonicalJson, chartFiles, deployDigest } from '../lib/digest.mjs';
import { useTempDirs } from './helpers.mjs';

const { tmpdir } = useTempDirs();

describe('digest', () => {
  it('changes with a chart file, a value or a secret, and ignores package.json/node_modules', () => {
    const dir = tmpdir();
    fs.writeFileSync(path.join(dir, 'Chart.yaml'), 'name: x\n');
    fs.mkdirSync(path.join(dir, 'templates'));
    fs.writeFileSync(path.join(dir, 'templates/a.yaml'), 'kind: A\n');
    fs.mkdirSync(path.join(dir, 'node_modules'));
    fs.writeFileSync(path.join(dir, 'node_modules/x'), '1');
    fs.writeFileSync(path.join(dir, 'package.json'), '{}');
    expect(chartFiles(dir)).toEqual(['Chart.yaml', 'templates/a.yaml']);
    const base = deployDigest({ chartDir: dir, values: { a: '1' }, secretValues: { s: 'x' } });
    expect(base).toMatch(/^[0-9a-f]{32}$/);
    expect(deployDigest({ chartDir: dir, values: { a: '1' }, secretValues: { s: 'x' } })).toBe(base);
    expect(deployDigest({ chartDir: dir, values: { a: '2' }, secretValues: { s: 'x' } })).not.toBe(base);
    expect(deployDigest({ chartDir: dir, values: { a: '1' }, secretValues: { s: 'y' } })).not.toBe(base);
    fs.writeFileSync(path.join(dir, 'package.json'), '{"version":"2"}');
    expect(deployDigest({ chartDir: dir, values: { a: '1' }, secretValues: { s: 'x' } })).toBe(base);
    fs.writeFileSync(path.join(dir, 'templates/a.yaml'), 'kind: B\n');
    expect(deployDigest({ chartDir: dir, values: { a: '1' }, secretValues: { s: 'x' } })).not.toBe(base);
  });
  it('counts a packaged dependency by its files, not its archive bytes, and ignores Chart.lock', () => {
    const dir = tmpdir();
    fs.writeFileSync(path.join(dir, 'Chart.yaml'), 'name: x\n');
    fs.mkdirSync(path.join(dir, 'charts'));
    const lib = path.join(tmpdir(), 'lib');
    fs.mkdirSync(path.join(lib, 'templates'), { recursive: true });
    fs.writeFileSync(path.join(lib, 'Chart.yaml'), 'name: lib\n');
    fs.writeFileSync(path.join(lib, 'templates', '_a.tpl'), '{{- define "a" }}a{{ end }}\n');
    /** What `helm dependency update` does: package the library into charts/, write Chart.lock. */
    const pack = (/** @type {number} */ mtime) => {
      for (const f of ['Chart.yaml', 'templates/_a.tpl']) fs.utimesSync(path.join(lib, f), mtime, mtime);
      const tgz = path.join(dir, 'charts', 'lib-0.1.0.tgz');
      const r = spawnSync('tar', ['-czf', tgz, '-C', path.dirname(lib), 'lib'], { encoding: 'utf8' });
      expect(r.status, r.stderr).toBe(0);
      fs.writeFileSync(
        path.join(dir, 'Chart.lock'),
        `generated: "${new Date(mtime * 1000).toISOString()}"\n`,
      );
      return fs.readFileSync(tgz);
    };
    const digest = () => deployDigest({ chartDir: dir, values: {}, secretValues: {} });
    const first = pack(1_700_000_000);
    const base = digest();
    expect(archiveEntries(first).map(([name, body]) => [name, body.toString()])).toEqual([
      ['lib/Chart.yaml', 'name: lib\n'],
      ['lib/templates/_a.tpl', '{{- define "a" }}a{{ end }}\n'],
    ]);
    expect(pack(1_800_000_000).equals(first)).toBe(false);
    expect(digest()).toBe(base);
    fs.writeFileSync(path.join(lib, 'templates', '_a.tpl'), '{{- define "a" }}b{{ end }}\n');
    pack(1_800_000_000);
    expect(digest()).not.toBe(base);
  });
  it('canonical JSON sorts keys', () => {
    expect(canonicalJson({ b: 1, a: [{ d: 1, c: 2 }] })).toBe('{"a":[{"c":2,"d":1}],"b":1}');
  });
});
