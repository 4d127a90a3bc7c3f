// The charts against each other and against docs/contracts.md: names, ports, Secret keys and
// NetworkPolicy selectors must line up between the three releases rendered with defaults.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { CHARTS, chartDir, LIBRARY_DIR } from './lib/charts.js';
import { HELMS, type K8sObject, render } from './lib/helm.js';
import { configData, type Dict, envOf, find, get, mainContainer } from './lib/objects.js';

const h = HELMS.find((x) => x.available);
const podLabels = (objects: K8sObject[], kind: string) =>
  get(find(objects, kind), 'spec', 'template', 'metadata', 'labels') as Record<string, string>;

function templateFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? templateFiles(path.join(dir, e.name)) : [path.join(dir, e.name)],
  );
}

describe('templates', () => {
  const dirs = [...CHARTS.map((chart) => chartDir(chart)), LIBRARY_DIR];
  for (const dir of dirs) {
    it(`${path.basename(dir)} sets no namespace literal and takes names from a helper`, () => {
      const files = templateFiles(path.join(dir, 'templates'));
      for (const file of files.filter((f) => f.endsWith('.yaml') || f.endsWith('.tpl'))) {
        const text = readFileSync(file, 'utf8');
        expect(text, file).not.toMatch(/^\s*namespace:/m);
        for (const m of text.matchAll(/^\s{2}name: (.*)$/gm)) {
          expect(m[1], `${file}: metadata.name must come from a helper`).toMatch(
            /^\{\{ (include "todo-[a-z]+\.[a-zA-Z]+" \.|\$fullname) /,
          );
        }
      }
    });
  }

  for (const chart of CHARTS) {
    it(`${chart} keeps its own helpers in one _helpers.tpl and states its component there`, () => {
      const files = templateFiles(path.join(chartDir(chart), 'templates'));
      const helpers = files.filter((f) => f.endsWith('.tpl'));
      expect(helpers.map((f) => path.basename(f))).toEqual(['_helpers.tpl']);
      expect(readFileSync(helpers[0] ?? '', 'utf8')).toMatch(
        new RegExp(`define "${chart}\\.component" -\\}\\}[a-z]+\\{\\{- end`),
      );
    });
  }

  it('the library holds named templates only', () => {
    const files = templateFiles(path.join(LIBRARY_DIR, 'templates'));
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) expect(path.basename(file), file).toMatch(/^_.*\.tpl$/);
  });
});

describe.skipIf(!h)('charts agree with each other (defaults)', () => {
  let postgres: K8sObject[] = [];
  let backend: K8sObject[] = [];
  let frontend: K8sObject[] = [];
  beforeAll(async () => {
    if (!h) return;
    const [b, f, p] = await Promise.all(CHARTS.map((c) => render(h, c, {})));
    [backend, frontend, postgres] = [b ?? [], f ?? [], p ?? []];
  });

  it('backend reaches the in-cluster PostgreSQL by its client Service and Secret', () => {
    const data = configData(backend);
    const svc = find(postgres, 'Service', data.PGHOST);
    expect(String(get(svc, 'spec', 'ports', 0, 'port'))).toBe(data.PGPORT);
    const secret = find(postgres, 'Secret');
    expect(envOf(mainContainer(backend)).PGPASSWORD).toBe(`secret:${secret.metadata.name}/password`);
    expect(Object.keys(secret.data as Dict)).toContain('password');
    const pgEnv = envOf(mainContainer(postgres, 'StatefulSet'));
    expect(pgEnv.POSTGRES_USER).toBe(data.PGUSER);
    expect(pgEnv.POSTGRES_DB).toBe(data.PGDATABASE);
  });

  it('frontend proxies to the backend Service', () => {
    const url = new URL(configData(frontend).BACKEND_URL ?? '');
    const svc = find(backend, 'Service', url.hostname);
    expect(String(get(svc, 'spec', 'ports', 0, 'port'))).toBe(url.port);
  });

  it('NetworkPolicy selectors match the other charts’ pods', async () => {
    if (!h) return;
    const on = { networkPolicy: { enabled: true } };
    const [beNp, feNp, pgNp] = (await Promise.all(CHARTS.map((c) => render(h, c, on)))).map((o) =>
      find(o, 'NetworkPolicy'),
    );
    const ingressFrom = (np: unknown) =>
      get(np, 'spec', 'ingress', 0, 'from', 0, 'podSelector', 'matchLabels');
    const egressTo = (np: unknown) => get(np, 'spec', 'egress', 1, 'to', 0, 'podSelector', 'matchLabels');
    // [what, selector, the pod labels it must match]
    const pairs: [string, unknown, Record<string, string>][] = [
      ['backend admits the frontend', ingressFrom(beNp), podLabels(frontend, 'Deployment')],
      ['backend reaches postgres', egressTo(beNp), podLabels(postgres, 'StatefulSet')],
      ['postgres admits the backend', ingressFrom(pgNp), podLabels(backend, 'Deployment')],
      ['frontend reaches the backend', egressTo(feNp), podLabels(backend, 'Deployment')],
    ];
    for (const [what, selector, labels] of pairs) {
      const wanted = Object.entries(selector as Record<string, string>);
      expect(wanted.length, `${what}: an empty selector matches every pod`).toBeGreaterThan(0);
      expect(
        wanted.filter(([k, v]) => labels[k] !== v),
        what,
      ).toEqual([]);
    }
    expect(get(feNp, 'spec', 'egress', 1, 'ports', 0, 'port')).toBe(
      get(mainContainer(backend), 'ports', 0, 'containerPort'),
    );
  });

  it('Services match docs/contracts.md', () => {
    expect(get(find(postgres, 'Service', 'todo-postgres'), 'spec', 'ports', 0, 'port')).toBe(5432);
    expect(get(find(postgres, 'Service', 'todo-postgres-headless'), 'spec', 'clusterIP')).toBe('None');
    expect(get(find(backend, 'Service', 'todo-backend'), 'spec')).toMatchObject({ type: 'ClusterIP' });
    expect(get(find(backend, 'Service', 'todo-backend'), 'spec', 'ports', 0, 'port')).toBe(8000);
    expect(get(find(frontend, 'Service', 'todo-frontend'), 'spec', 'ports', 0)).toMatchObject({
      port: 3000,
      nodePort: 30000,
    });
  });
});
