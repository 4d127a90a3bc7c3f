// @ts-check
// plan.mjs: the one decision a plan prints and a deploy acts on, and the reading of Helm's answers.
import { describe, expect, it } from 'vitest';
import {
  changedInputs,
  decide,
  flattenValues,
  formatPlan,
  parseReleaseList,
  planJson,
} from '../lib/plan.mjs';

/** @returns {import('../lib/plan.mjs').Desired} */
function want(over = {}) {
  return {
    chart: 'todo-backend',
    release: 'todo-backend',
    external: null,
    digest: 'd2',
    chartVersion: '0.1.0',
    set: { 'image.repository': 'todo-backend', 'image.tag': 'bbbb', logLevel: 'info' },
    secret: { 'auth.secret': 'new-secret-value' },
    images: ['todo-backend:bbbb'],
    chartPath: 'charts/todo-backend',
    chartRef: 'charts/todo-backend',
    released: false,
    valuesFiles: [],
    ...over,
  };
}

/** @returns {import('../lib/plan.mjs').Live} */
function live(over = {}) {
  return {
    status: 'deployed',
    revision: 4,
    chartVersion: '0.1.0',
    digestMatches: false,
    values: {
      'image.repository': 'todo-backend',
      'image.tag': 'aaaa',
      logLevel: 'info',
      'auth.secret': 'new-secret-value',
    },
    ...over,
  };
}

describe('decide', () => {
  it('install, skip, upgrade, repairs and absent', () => {
    expect(decide(want(), null).action).toBe('install');
    expect(decide(want(), live({ status: 'uninstalled' })).action).toBe('install');
    expect(decide(want(), live({ digestMatches: true }))).toEqual({
      action: 'skip',
      reason: 'unchanged since revision 4',
      changes: [],
    });
    expect(decide(want(), live()).action).toBe('upgrade');
    expect(decide(want(), live({ status: 'pending-upgrade' })).action).toBe('repair-rollback');
    expect(decide(want(), live({ status: 'pending-rollback' })).action).toBe('repair-rollback');
    expect(decide(want(), live({ status: 'pending-install', revision: 1 })).action).toBe('repair-uninstall');
    expect(decide(want(), live({ status: 'failed', revision: 1 })).action).toBe('repair-uninstall');
    expect(decide(want(), live({ status: 'failed', revision: 3, digestMatches: true })).action).toBe(
      'upgrade',
    );
    expect(decide(want({ external: 'external database' }), live()).action).toBe('absent');
  });
  it('--force upgrades an unchanged release, and says so', () => {
    expect(decide(want(), live({ digestMatches: true }), { force: true })).toEqual({
      action: 'upgrade',
      reason: 'forced (--force)',
      changes: [],
    });
  });
  it('gives the changed inputs as the reason of an upgrade', () => {
    expect(decide(want(), live()).reason).toBe('image tag aaaa → bbbb');
    expect(decide(want(), live({ values: null })).reason).toBe('chart, values or image changed');
  });
});

describe('changedInputs', () => {
  it('names the image tag, the value keys, the secret keys (never their values) and the chart version', () => {
    const d = changedInputs(
      want({ chartVersion: '0.2.0', set: { ...want().set, logLevel: 'debug', trustedOrigins: ['a'] } }),
      live({ values: { ...live().values, 'auth.secret': 'old-secret-value' } }),
    );
    expect(d).toEqual([
      'image tag aaaa → bbbb',
      'values: logLevel, trustedOrigins',
      'secret values: auth.secret',
      'chart version 0.1.0 → 0.2.0',
    ]);
    expect(d.join(' ')).not.toMatch(/secret-value/);
  });
  it('a value the deploy no longer passes counts as changed; a new repository shows in full', () => {
    const d = changedInputs(
      want({ set: { 'image.repository': 'reg:5000/todo-backend', 'image.tag': 'aaaa' }, secret: {} }),
      live({ values: { 'image.repository': 'todo-backend', 'image.tag': 'aaaa', logLevel: 'info' } }),
    );
    expect(d).toEqual(['image todo-backend:aaaa → reg:5000/todo-backend:aaaa', 'values: logLevel']);
  });
  it('same values, same version, different digest: the chart files changed', () => {
    expect(changedInputs(want({ set: { ...want().set, 'image.tag': 'aaaa' } }), live())).toEqual([
      'chart files (templates, defaults or the packaged todo-common)',
    ]);
  });
  it('compares numbers and lists by value, not by how they were written', () => {
    expect(
      changedInputs(
        want({ set: { 'service.nodePort': 30080, trustedOrigins: ['a', 'b'] }, secret: {} }),
        live({ digestMatches: true, values: { 'service.nodePort': 30080, trustedOrigins: ['a', 'b'] } }),
      ),
    ).toEqual([]);
  });
});

describe('reading Helm', () => {
  it('parses helm list rows: status, revision and the chart version', () => {
    const rows = parseReleaseList(
      JSON.stringify([
        { name: 'todo-backend', revision: '7', status: 'deployed', chart: 'todo-backend-0.3.1' },
        { name: 'other', revision: '1', status: 'failed', chart: 'some-chart-1.2.0-rc.1' },
      ]),
    );
    expect(rows.get('todo-backend')).toEqual({ status: 'deployed', revision: 7, chartVersion: '0.3.1' });
    expect(rows.get('other')?.chartVersion).toBe('1.2.0-rc.1');
    expect(parseReleaseList('not json').size).toBe(0);
    expect(parseReleaseList('').size).toBe(0);
  });
  it('flattens nested values into dotted keys; lists stay whole', () => {
    expect(flattenValues({ image: { tag: 'a' }, list: [1, { x: 2 }], empty: {}, n: null })).toEqual({
      'image.tag': 'a',
      list: [1, { x: 2 }],
      n: null,
    });
  });
});

describe('plan output', () => {
  /** @type {import('../lib/plan.mjs').Plan} */
  const plan = {
    context: 'minikube',
    namespace: 'todo',
    order: ['todo-postgres', 'todo-backend'],
    entries: [
      {
        chart: 'todo-postgres',
        release: 'todo-postgres',
        revision: 2,
        want: want({ chart: 'todo-postgres', release: 'todo-postgres', images: [] }),
        action: 'skip',
        reason: 'unchanged since revision 2',
        changes: [],
      },
      {
        chart: 'todo-backend',
        release: 'todo-backend',
        revision: 4,
        want: want(),
        ...decide(want(), live()),
      },
    ],
  };
  it('one line per release in dependency order, and a count', () => {
    expect(formatPlan(plan)).toEqual([
      'dependency order: todo-postgres → todo-backend',
      '  todo-postgres  skip           unchanged since revision 2',
      '  todo-backend   upgrade        revision 4 → 5: image tag aaaa → bbbb',
      '1 of 2 release(s) would change',
    ]);
  });
  it('as JSON: no values, no secrets', () => {
    const json = JSON.stringify(planJson(plan));
    expect(json).not.toMatch(/secret-value|logLevel/);
    expect(planJson(plan).releases.map((r) => r.action)).toEqual(['skip', 'upgrade']);
  });
});
