// @ts-check
// repo.mjs: the deploy order read from charts/*/package.json.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { deployOrder } from '../lib/repo.mjs';
import { useTempDirs } from './helpers.mjs';

const { tmpdir } = useTempDirs();

describe('deploy order (charts/*/package.json)', () => {
  it('orders the application charts after the charts they depend on, with the app each one runs', () => {
    const root = tmpdir();
    const pkg = (/** @type {string} */ dir, /** @type {object} */ json) => {
      fs.mkdirSync(path.join(root, dir), { recursive: true });
      fs.writeFileSync(path.join(root, dir, 'package.json'), JSON.stringify(json));
    };
    const chart = (/** @type {string} */ dir, /** @type {string} */ type) =>
      fs.writeFileSync(
        path.join(root, dir, 'Chart.yaml'),
        `apiVersion: v2\nname: x\n${type}version: 0.1.0\n`,
      );
    pkg('apps/site', {});
    pkg('charts/lib', { name: 'lib' });
    chart('charts/lib', 'type: library\n');
    pkg('charts/web', {
      devDependencies: { site: 'workspace:*', db: 'workspace:*', lib: 'workspace:*' },
    });
    chart('charts/web', 'type: application\n');
    pkg('charts/db', { devDependencies: { tool: '^1.0.0' } });
    chart('charts/db', ''); // no type: an application chart, as Helm reads it
    pkg('charts/notes', {}); // no Chart.yaml: not a chart
    expect(deployOrder(root)).toEqual([
      { name: 'db', app: null, after: [] },
      { name: 'web', app: 'site', after: ['db'] },
    ]);
  });
  it('is postgres → backend → frontend in this repository', () => {
    expect(deployOrder().map((c) => `${c.name}:${c.app}`)).toEqual([
      'todo-postgres:null',
      'todo-backend:backend',
      'todo-frontend:frontend',
    ]);
  });
});
