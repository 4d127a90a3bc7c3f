// todo-postgres: what it renders with its defaults and with the values of the test matrix.
import { expect } from 'vitest';
import type { RenderSpec } from '../matrix.js';
import { type Dict, envOf, find, get, kinds, mainContainer, secretData, servicePort } from '../objects.js';
import { pullSecret } from './deployment.js';

// A password used by the cases (never a real one): it may only appear in the Secret.
const PG_PASSWORD = 'pg-password-5e4d3c2b1a';

export const postgres: RenderSpec = {
  chart: 'todo-postgres',
  uid: 999,
  checksums: ['secret'],
  checksumChanges: [
    ['secret', { auth: { password: PG_PASSWORD } }, { auth: { password: `${PG_PASSWORD}-rotated` } }],
  ],
  writablePaths: ['/tmp', '/var/run/postgresql', '/var/lib/postgresql/data'],
  cases: [
    pullSecret('todo-postgres', 'StatefulSet'),
    {
      name: 'defaults',
      values: {},
      check: (o) => {
        expect(kinds(o)).toEqual(['Pod', 'Secret', 'Service', 'Service', 'StatefulSet']);
        const sts = find(o, 'StatefulSet');
        expect(get(sts, 'spec', 'replicas')).toBe(1);
        expect(get(sts, 'spec', 'serviceName')).toBe('todo-postgres-headless');
        expect(get(find(o, 'Service', 'todo-postgres-headless'), 'spec', 'clusterIP')).toBe('None');
        const client = find(o, 'Service', 'todo-postgres');
        expect(get(client, 'spec', 'type')).toBe('ClusterIP');
        expect(servicePort(client)).toMatchObject({ port: 5432, targetPort: 'postgres' });
        const claim = get(sts, 'spec', 'volumeClaimTemplates', 0) as Dict;
        expect(get(claim, 'spec')).toEqual({
          accessModes: ['ReadWriteOnce'],
          resources: { requests: { storage: '2Gi' } },
        });
        const c = mainContainer(o, 'StatefulSet');
        expect(c.image).toBe('postgres:17-bookworm');
        expect(envOf(c)).toEqual({
          POSTGRES_USER: 'todo',
          POSTGRES_DB: 'todo',
          POSTGRES_PASSWORD: 'secret:todo-postgres/password',
          PGDATA: '/var/lib/postgresql/data/pgdata',
        });
        for (const p of ['startupProbe', 'livenessProbe', 'readinessProbe']) {
          expect((get(c, p, 'exec', 'command') as string[])[0]).toBe('pg_isready');
        }
        const secret = find(o, 'Secret');
        expect(get(secret, 'metadata', 'annotations', 'helm.sh/resource-policy')).toBe('keep');
        expect(secretData(o)).toEqual({ password: expect.stringMatching(/^[A-Za-z0-9]{32}$/) });
        expect(get(find(o, 'Pod'), 'spec', 'containers', 0, 'command', 0)).toBe('pg_isready');
      },
    },
    {
      name: 'existingSecret',
      values: { auth: { existingSecret: 'pg-creds', existingSecretKey: 'pw' } },
      check: (o) => {
        expect(o.some((x) => x.kind === 'Secret')).toBe(false);
        expect(envOf(mainContainer(o, 'StatefulSet')).POSTGRES_PASSWORD).toBe('secret:pg-creds/pw');
      },
    },
    {
      name: 'explicit password, user and database',
      values: { auth: { password: PG_PASSWORD, username: 'app', database: 'tasks' } },
      secrets: [PG_PASSWORD],
      check: (o) => {
        expect(secretData(o)).toEqual({ password: PG_PASSWORD });
        const c = mainContainer(o, 'StatefulSet');
        expect(envOf(c)).toMatchObject({ POSTGRES_USER: 'app', POSTGRES_DB: 'tasks' });
        expect(get(c, 'readinessProbe', 'exec', 'command')).toContain('--dbname=tasks');
      },
    },
    {
      name: 'stand-in image, storage class and size',
      values: {
        image: { repository: 'todo-local/postgres', tag: '17-trixie', pullPolicy: 'Never' },
        persistence: { storageClass: 'fast', size: '5Gi' },
      },
      check: (o) => {
        expect(mainContainer(o, 'StatefulSet').image).toBe('todo-local/postgres:17-trixie');
        expect(get(find(o, 'StatefulSet'), 'spec', 'volumeClaimTemplates', 0, 'spec')).toMatchObject({
          storageClassName: 'fast',
          resources: { requests: { storage: '5Gi' } },
        });
      },
    },
    {
      name: 'persistence off',
      values: { persistence: { enabled: false } },
      check: (o) => {
        const spec = get(find(o, 'StatefulSet'), 'spec') as Dict;
        expect(spec).not.toHaveProperty('volumeClaimTemplates');
        expect((get(spec, 'template', 'spec', 'volumes') as Dict[]).find((v) => v.name === 'data')).toEqual({
          name: 'data',
          emptyDir: {},
        });
      },
    },
    {
      name: 'NetworkPolicy on',
      values: { networkPolicy: { enabled: true } },
      check: (o) => {
        const np = find(o, 'NetworkPolicy');
        const from = get(np, 'spec', 'ingress', 0, 'from') as Dict[];
        expect(from.map((f) => get(f, 'podSelector', 'matchLabels'))).toEqual([
          { 'app.kubernetes.io/name': 'todo-backend' },
          { 'todo-postgres-client': 'true' },
        ]);
        expect(get(np, 'spec', 'egress')).toHaveLength(1);
      },
    },
    {
      name: 'PDB on (no HPA for a single-instance database)',
      values: { podDisruptionBudget: { enabled: true, minAvailable: 1 } },
      check: (o) => {
        expect(get(find(o, 'PodDisruptionBudget'), 'spec', 'minAvailable')).toBe(1);
        expect(o.some((x) => x.kind === 'HorizontalPodAutoscaler')).toBe(false);
      },
    },
    {
      name: 'custom NodePort',
      values: { service: { type: 'NodePort', port: 5432, nodePort: 30432 } },
      check: (o) => {
        const svc = find(o, 'Service', 'todo-postgres');
        expect(get(svc, 'spec', 'type')).toBe('NodePort');
        expect(servicePort(svc)).toMatchObject({ nodePort: 30432 });
        expect(get(find(o, 'Service', 'todo-postgres-headless'), 'spec', 'clusterIP')).toBe('None');
      },
    },
    {
      name: 'stopped (0 replicas)',
      values: { replicaCount: 0 },
      check: (o) => {
        expect(get(find(o, 'StatefulSet'), 'spec', 'replicas')).toBe(0);
      },
    },
  ],
};
