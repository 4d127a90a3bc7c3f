// todo-backend: what it renders with its defaults and with the values of the test matrix.
import { expect } from 'vitest';
import type { RenderSpec } from '../matrix.js';
import {
  configData,
  type Dict,
  envOf,
  find,
  get,
  kinds,
  mainContainer,
  probePath,
  secretData,
  servicePort,
} from '../objects.js';
import { pullSecret, replicasAndImage, spreadAndBudget } from './deployment.js';

// Secrets used by the cases (never real ones): they may only appear in Secret objects.
const AUTH_SECRET = 'test-auth-secret-0123456789abcdefghijklmnop';
const DB_URL = 'postgres://todo:db-pass-7f3k2@db.example.internal:5432/todo';
const OPENAI_KEY = 'sk-test-openai-key-9d8c7b6a';
// A CA certificate as a PEM block (its content is never parsed by the chart).
const CA_PEM =
  '-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIUThrowawayTestCA0123456789abcdefMAoGCCqGSM49BAMC\n-----END CERTIFICATE-----\n';

export const backend: RenderSpec = {
  chart: 'todo-backend',
  uid: 1000,
  checksums: ['config', 'secret'],
  checksumChanges: [
    [
      'config',
      { logLevel: 'info', database: { url: DB_URL, tls: { caCert: CA_PEM } } },
      {
        logLevel: 'info',
        database: { url: DB_URL, tls: { caCert: CA_PEM.replace('Throwaway', 'RotatedNew') } },
      },
    ],
    ['secret', { auth: { secret: AUTH_SECRET } }, { auth: { secret: `${AUTH_SECRET}-rotated` } }],
  ],
  writablePaths: ['/tmp'],
  cases: [
    {
      name: 'public URL (BETTER_AUTH_URL: https means Secure cookies)',
      values: { publicUrl: 'https://todo.example.com/' },
      check: (o) => {
        expect(configData(o).BETTER_AUTH_URL).toBe('https://todo.example.com');
      },
    },
    {
      name: 'defaults',
      values: {},
      check: (o) => {
        expect(kinds(o)).toEqual([
          'ConfigMap',
          'Deployment',
          'Pod',
          'PodDisruptionBudget',
          'Secret',
          'Service',
        ]);
        expect(get(find(o, 'Deployment'), 'spec', 'replicas')).toBe(1);
        const svc = find(o, 'Service', 'todo-backend');
        expect(get(svc, 'spec', 'type')).toBe('ClusterIP');
        expect(servicePort(svc)).toMatchObject({ port: 8000, targetPort: 'http' });
        const c = mainContainer(o);
        expect(c.image).toBe('todo-backend:0.1.0');
        expect(probePath(c, 'startupProbe')).toBe('/health');
        expect(probePath(c, 'livenessProbe')).toBe('/health');
        expect(probePath(c, 'readinessProbe')).toBe('/ready');
        expect(envOf(c)).toEqual({
          BETTER_AUTH_SECRET: 'secret:todo-backend/BETTER_AUTH_SECRET',
          PGPASSWORD: 'secret:todo-postgres/password',
        });
        expect(configData(o)).toMatchObject({
          PORT: '8000',
          HOST: '0.0.0.0',
          NODE_ENV: 'production',
          PGHOST: 'todo-postgres',
          PGPORT: '5432',
          PGUSER: 'todo',
          PGDATABASE: 'todo',
          // the frontend's proxy (or the API ingress) is the one hop that names the client
          TRUSTED_PROXY_HOPS: '1',
        });
        expect(configData(o)).not.toHaveProperty('DATABASE_URL');
        expect(configData(o)).not.toHaveProperty('BETTER_AUTH_URL');
        // generated once: 48 random characters (kept across upgrades through lookup)
        expect(secretData(o)).toEqual({ BETTER_AUTH_SECRET: expect.stringMatching(/^[A-Za-z0-9]{48}$/) });
      },
    },
    replicasAndImage('todo-backend', '0123456789ab', 'Never'),
    pullSecret('todo-backend', 'Deployment'),
    ...spreadAndBudget('todo-backend'),
    {
      name: 'external database over TLS: the CA in a ConfigMap, mounted, PGSSLROOTCERT names it',
      values: { database: { url: `${DB_URL}?sslmode=verify-full`, tls: { caCert: CA_PEM } } },
      secrets: [DB_URL],
      check: (o) => {
        expect(get(find(o, 'ConfigMap', 'todo-backend-database-ca'), 'data')).toEqual({ 'ca.crt': CA_PEM });
        expect(configData(o).PGSSLROOTCERT).toBe('/etc/todo-backend/database-ca/ca.crt');
        const pod = get(find(o, 'Deployment'), 'spec', 'template', 'spec') as Dict;
        expect(get(pod, 'volumes', 1)).toEqual({
          name: 'database-ca',
          configMap: { name: 'todo-backend-database-ca', items: [{ key: 'ca.crt', path: 'ca.crt' }] },
        });
        expect(get(mainContainer(o), 'volumeMounts', 1)).toEqual({
          name: 'database-ca',
          mountPath: '/etc/todo-backend/database-ca',
          readOnly: true,
        });
      },
    },
    {
      name: 'external database over TLS, the CA in an existing ConfigMap',
      values: {
        database: {
          existingSecret: 'neon',
          tls: { existingConfigMap: 'corp-ca', existingConfigMapKey: 'root.pem' },
        },
      },
      check: (o) => {
        expect(o.some((x) => x.metadata.name === 'todo-backend-database-ca')).toBe(false);
        expect(configData(o).PGSSLROOTCERT).toBe('/etc/todo-backend/database-ca/ca.crt');
        expect(get(find(o, 'Deployment'), 'spec', 'template', 'spec', 'volumes', 1, 'configMap')).toEqual({
          name: 'corp-ca',
          items: [{ key: 'root.pem', path: 'ca.crt' }],
        });
      },
    },
    {
      name: 'existingSecret',
      values: {
        auth: { existingSecret: 'my-auth', existingSecretKey: 'auth-secret' },
        database: { existingSecret: 'my-db', existingSecretKey: 'url' },
        openai: { existingSecret: 'my-openai', existingSecretKey: 'key' },
      },
      check: (o) => {
        expect(o.some((x) => x.kind === 'Secret')).toBe(false);
        expect(envOf(mainContainer(o))).toEqual({
          BETTER_AUTH_SECRET: 'secret:my-auth/auth-secret',
          DATABASE_URL: 'secret:my-db/url',
          OPENAI_API_KEY: 'secret:my-openai/key',
        });
        expect(Object.keys(configData(o)).filter((k) => k.startsWith('PG'))).toEqual([]);
        expect(
          get(find(o, 'Deployment'), 'spec', 'template', 'metadata', 'annotations', 'checksum/secret'),
        ).toMatch(/^[0-9a-f]{64}$/);
      },
    },
    {
      name: 'external DATABASE_URL',
      values: {
        database: { url: DB_URL },
        auth: { secret: AUTH_SECRET },
        openai: { apiKey: OPENAI_KEY, baseUrl: 'http://llm.example.internal:8080/v1', model: 'qwen3' },
      },
      secrets: [DB_URL, AUTH_SECRET, OPENAI_KEY, 'db-pass-7f3k2'],
      check: (o) => {
        expect(secretData(o)).toEqual({
          BETTER_AUTH_SECRET: AUTH_SECRET,
          DATABASE_URL: DB_URL,
          OPENAI_API_KEY: OPENAI_KEY,
        });
        expect(envOf(mainContainer(o))).toEqual({
          BETTER_AUTH_SECRET: 'secret:todo-backend/BETTER_AUTH_SECRET',
          DATABASE_URL: 'secret:todo-backend/DATABASE_URL',
          OPENAI_API_KEY: 'secret:todo-backend/OPENAI_API_KEY',
        });
        const data = configData(o);
        expect(data).toMatchObject({
          OPENAI_BASE_URL: 'http://llm.example.internal:8080/v1',
          OPENAI_MODEL: 'qwen3',
        });
        expect(data).not.toHaveProperty('PGHOST');
      },
    },
    {
      name: 'ingress on',
      values: {
        ingress: { enabled: true, className: 'nginx', host: 'api.todo.test', tls: { enabled: true } },
      },
      check: (o) => {
        const ing = find(o, 'Ingress');
        expect(get(ing, 'spec', 'ingressClassName')).toBe('nginx');
        expect(get(ing, 'spec', 'rules', 0, 'host')).toBe('api.todo.test');
        expect(get(ing, 'spec', 'rules', 0, 'http', 'paths', 0, 'backend', 'service')).toEqual({
          name: 'todo-backend',
          port: { name: 'http' },
        });
        expect(get(ing, 'spec', 'tls', 0)).toEqual({
          hosts: ['api.todo.test'],
          secretName: 'todo-backend-tls',
        });
      },
    },
    {
      name: 'NetworkPolicy on',
      values: {
        networkPolicy: {
          enabled: true,
          allowExternalEgress: false,
          extraIngressFrom: [
            { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' } } },
          ],
        },
      },
      check: (o) => {
        const np = find(o, 'NetworkPolicy');
        expect(get(np, 'spec', 'podSelector', 'matchLabels')).toEqual({
          'app.kubernetes.io/name': 'todo-backend',
          'app.kubernetes.io/instance': 'todo-backend',
        });
        expect(get(np, 'spec', 'policyTypes')).toEqual(['Ingress', 'Egress']);
        const from = get(np, 'spec', 'ingress', 0, 'from') as Dict[];
        expect(from.map((f) => get(f, 'podSelector', 'matchLabels'))).toEqual([
          { 'app.kubernetes.io/name': 'todo-frontend' },
          { 'todo-backend-client': 'true' },
          undefined,
        ]);
        expect(get(from[2], 'namespaceSelector', 'matchLabels')).toEqual({
          'kubernetes.io/metadata.name': 'ingress-nginx',
        });
        expect(get(find(o, 'Pod'), 'metadata', 'labels', 'todo-backend-client')).toBe('true');
        const egress = get(np, 'spec', 'egress') as Dict[];
        expect(egress).toHaveLength(2);
        expect(get(egress[0], 'ports')).toEqual([
          { port: 53, protocol: 'UDP' },
          { port: 53, protocol: 'TCP' },
        ]);
        expect(get(egress[1], 'to', 0, 'podSelector', 'matchLabels')).toEqual({
          'app.kubernetes.io/name': 'todo-postgres',
        });
      },
    },
    {
      name: 'HPA and PDB on',
      values: {
        autoscaling: {
          enabled: true,
          minReplicas: 2,
          maxReplicas: 5,
          targetMemoryUtilizationPercentage: 75,
        },
        podDisruptionBudget: { enabled: true, minAvailable: 1 },
      },
      check: (o) => {
        expect(get(find(o, 'Deployment'), 'spec')).not.toHaveProperty('replicas');
        const hpa = find(o, 'HorizontalPodAutoscaler');
        expect(get(hpa, 'spec')).toMatchObject({
          minReplicas: 2,
          maxReplicas: 5,
          scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'todo-backend' },
        });
        expect((get(hpa, 'spec', 'metrics') as Dict[]).map((m) => get(m, 'resource', 'name'))).toEqual([
          'cpu',
          'memory',
        ]);
        const pdb = find(o, 'PodDisruptionBudget');
        expect(get(pdb, 'spec')).toEqual({
          minAvailable: 1,
          selector: {
            matchLabels: {
              'app.kubernetes.io/name': 'todo-backend',
              'app.kubernetes.io/instance': 'todo-backend',
            },
          },
        });
      },
    },
    {
      name: 'custom NodePort',
      values: { service: { type: 'NodePort', port: 8000, nodePort: 30080 } },
      check: (o) => {
        const svc = find(o, 'Service');
        expect(get(svc, 'spec', 'type')).toBe('NodePort');
        expect(servicePort(svc)).toMatchObject({ port: 8000, nodePort: 30080 });
      },
    },
    {
      name: 'other release name, origins and extra env',
      release: 'demo',
      values: {
        trustedOrigins: ['http://todo.local', 'http://192.168.49.2:30000'],
        corsOrigins: ['http://localhost:3000'],
        env: { FEATURE_FLAG: 'on', RETRIES: 3 },
        logLevel: 'debug',
      },
      check: (o) => {
        expect(new Set(o.map((x) => x.metadata.name))).toEqual(
          new Set(['demo-todo-backend', 'demo-todo-backend-test']),
        );
        expect(configData(o)).toMatchObject({
          TRUSTED_ORIGINS: 'http://todo.local,http://192.168.49.2:30000',
          CORS_ORIGINS: 'http://localhost:3000',
          FEATURE_FLAG: 'on',
          RETRIES: '3',
          LOG_LEVEL: 'debug',
        });
      },
    },
  ],
};
