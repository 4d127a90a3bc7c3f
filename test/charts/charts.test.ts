// Chart suite: helm lint --strict, the helm template matrix validated against the Kubernetes
// schemas and the policy, and the bad values each values.schema.json must reject — with Helm 3
// and Helm 4 alike. Run: pnpm --filter @todo/test test:charts
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chartNames } from '@todo/scripts/lib/repo.mjs';
import { describe, expect, it } from 'vitest';
import { CHARTS, chartDir, LIBRARY_DIR } from './lib/charts.js';
import { HELM_REQUIRED, HELMS, helm, type K8sObject, render, template } from './lib/helm.js';
import { validateObject } from './lib/k8s-schema.js';
import { type BadCase, SPECS } from './lib/matrix.js';
import { checkPolicy } from './lib/policy.js';

/** The error must come from the schema and name the offending field, in Helm 3's or Helm 4's words. */
function expectNamesField(stderr: string, bad: BadCase): void {
  expect(stderr).toMatch(/values don't meet the specifications of the schema/);
  if (bad.key) {
    expect(stderr).toContain(bad.key);
  } else {
    const slashed = `/${bad.path.split('.').join('/')}`;
    const named = stderr.includes(`${bad.path}:`) || stderr.includes(`'${slashed}'`);
    expect(named, `error does not name ${bad.path}:\n${stderr}`).toBe(true);
  }
}

describe('the charts under test', () => {
  it('are the charts the pipeline deploys (read from the charts’ package.json)', () => {
    expect([...CHARTS].sort()).toEqual([...chartNames()].sort());
  });
});

for (const h of HELMS) {
  describe(`${h.label} ${h.version || '(missing)'}`, () => {
    if (!h.available) {
      if (HELM_REQUIRED) {
        it(`${h.label} is installed (required under CI)`, () => {
          throw new Error(
            `${h.problem}. .ci/provision.sh installs helm3 and helm4 into /opt/todo-chatbot-tools/bin.`,
          );
        });
      } else {
        it.skip(`${h.label} missing: ${h.problem}`, () => {});
      }
      return;
    }

    it('passes helm lint --strict: the todo-common library chart', async () => {
      const r = await helm(h, ['lint', '--strict', LIBRARY_DIR]);
      expect(r.code, `${r.stdout}\n${r.stderr}`).toBe(0);
    });

    for (const spec of SPECS) {
      describe(spec.chart, () => {
        it('passes helm lint --strict', async () => {
          const r = await helm(h, ['lint', '--strict', chartDir(spec.chart)]);
          expect(r.code, `${r.stdout}\n${r.stderr}`).toBe(0);
          expect(r.stdout).toContain('0 chart(s) failed');
        });

        describe('helm template matrix', () => {
          for (const c of spec.cases) {
            it(c.name, async () => {
              const release = c.release ?? spec.chart;
              const objects = await render(h, spec.chart, c.values, { release });
              expect(objects.flatMap(validateObject)).toEqual([]);
              expect(
                checkPolicy(objects, {
                  chart: spec.chart,
                  release,
                  uid: spec.uid,
                  checksums: spec.checksums,
                  writablePaths: spec.writablePaths,
                  secrets: c.secrets ?? [],
                }),
              ).toEqual([]);
              c.check(objects);
            });
          }
        });

        it('packages with the library inside: the package renders on its own', async () => {
          const dir = mkdtempSync(path.join(tmpdir(), 'chart-package-'));
          try {
            const packaged = await helm(h, ['package', chartDir(spec.chart), '--destination', dir]);
            expect(packaged.code, packaged.stderr).toBe(0);
            const [file] = readdirSync(dir);
            const names = (objects: K8sObject[]) => objects.map((o) => `${o.kind}/${o.metadata.name}`);
            const fromPackage = await render(h, spec.chart, {}, { from: path.join(dir, file ?? '') });
            expect(names(fromPackage)).toEqual(names(await render(h, spec.chart, {})));
          } finally {
            rmSync(dir, { recursive: true, force: true });
          }
        });

        it('refuses a latest image tag even without the schema (template guard)', async () => {
          const args = ['template', spec.chart, chartDir(spec.chart), '--skip-schema-validation'];
          const r = await helm(h, [...args, '--set-string', 'image.tag=latest']);
          expect(r.code).not.toBe(0);
          expect(r.stderr).toContain('image.tag must be a pinned tag');
        });

        it('rolls the pods when the configuration or a secret changes (checksum annotations)', async () => {
          const annotations = async (values: Record<string, unknown>) => {
            const objects = await render(h, spec.chart, values);
            const workload = objects.find((o) => o.kind === 'Deployment' || o.kind === 'StatefulSet');
            if (!workload) throw new Error('no workload rendered');
            const podSpec = workload.spec as {
              template: { metadata: { annotations: Record<string, string> } };
            };
            return podSpec.template.metadata.annotations;
          };
          for (const [sum, a, b] of spec.checksumChanges) {
            expect((await annotations(a))[`checksum/${sum}`]).not.toBe(
              (await annotations(b))[`checksum/${sum}`],
            );
          }
          expect(spec.checksumChanges.length).toBe(spec.checksums.length);
        });

        describe('values.schema.json rejects bad values', () => {
          it(`has at least 10 cases`, () => {
            expect(spec.bad.length).toBeGreaterThanOrEqual(10);
          });
          for (const bad of spec.bad) {
            it(`${bad.name} (${bad.key ?? bad.path})`, async () => {
              const r = await template(h, spec.chart, bad.values);
              expect(r.code, 'helm template accepted bad values').not.toBe(0);
              expectNamesField(r.stderr, bad);
            });
          }
        });
      });
    }
  });
}
