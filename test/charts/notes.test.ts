// NOTES.txt tells how to open the app. Helm 4 renders it offline with `install --dry-run=client`
// (Helm 3 insists on reaching a cluster for that, so only Helm 4 is used here).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { type ChartName, chartDir } from './lib/charts.js';
import { HELMS, helm, NAMESPACE } from './lib/helm.js';

const h4 = HELMS.find((h) => h.major === 4 && h.available);

async function notes(chart: ChartName, values: Record<string, unknown> = {}): Promise<string> {
  if (!h4) throw new Error('helm4 unavailable');
  const dir = mkdtempSync(path.join(tmpdir(), 'chart-notes-'));
  const file = path.join(dir, 'values.json');
  writeFileSync(file, JSON.stringify(values));
  try {
    const r = await helm(h4, [
      'install',
      chart,
      chartDir(chart),
      '--dry-run=client',
      '-n',
      NAMESPACE,
      '-f',
      file,
    ]);
    expect(r.code, r.stderr).toBe(0);
    const at = r.stdout.indexOf('NOTES:');
    expect(at, 'no NOTES rendered').toBeGreaterThanOrEqual(0);
    return r.stdout.slice(at);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe.skipIf(!h4)('NOTES.txt', () => {
  it('frontend: minikube service --url and the NodePort', async () => {
    const text = await notes('todo-frontend');
    expect(text).toContain(`minikube service todo-frontend --namespace ${NAMESPACE} --url`);
    expect(text).toContain('http://$(minikube ip):30000');
  });

  it('frontend: the ingress host when the ingress is on', async () => {
    const text = await notes('todo-frontend', { ingress: { enabled: true, host: 'todo.test' } });
    expect(text).toContain('http://todo.test/');
    expect(text).toContain('minikube addons enable ingress');
    expect(text).not.toContain('minikube service');
  });

  it('backend: where it answers and how its secret was made', async () => {
    const text = await notes('todo-backend');
    expect(text).toContain(`http://todo-backend.${NAMESPACE}.svc:8000`);
    expect(text).toContain('BETTER_AUTH_SECRET was generated');
  });

  it('postgres: where the password and the data live', async () => {
    const text = await notes('todo-postgres');
    expect(text).toContain('Secret todo-postgres, key password');
    expect(text).toContain('PersistentVolumeClaim data-todo-postgres-0');
  });
});
