// What each chart is rendered with (the matrix of the issue) and what each rendering must show,
// plus the bad values its values.schema.json must reject, naming the offending field.
import { expect } from 'vitest';
import type { ChartName } from './charts.js';
import type { K8sObject } from './helm.js';

export type Values = Record<string, unknown>;
type Dict = Record<string, unknown>;

export interface RenderCase {
  name: string;
  values: Values;
  release?: string;
  /** secret strings given in the values: they may only appear in Secret objects */
  secrets?: string[];
  check: (objects: K8sObject[]) => void;
}

export interface BadCase {
  name: string;
  values: Values;
  /** dotted path of the offending value ('' for the top level) */
  path: string;
  /** the offending key, when the error is about a key (unknown or badly named) */
  key?: string;
}

export interface ChartSpec {
  chart: ChartName;
  uid: number;
  checksums: string[];
  /** for each checksum: two sets of values that must give different checksums */
  checksumChanges: [string, Values, Values][];
  writablePaths: string[];
  cases: RenderCase[];
  bad: BadCase[];
}

// Small accessors over rendered objects -------------------------------------------------------

export function find(objects: K8sObject[], kind: string, name?: string): K8sObject & Dict {
  const found = objects.find((o) => o.kind === kind && (name === undefined || o.metadata.name === name));
  if (!found) throw new Error(`no ${kind}${name ? `/${name}` : ''} rendered (have ${describe(objects)})`);
  return found as K8sObject & Dict;
}
const describe = (objects: K8sObject[]) => objects.map((o) => `${o.kind}/${o.metadata.name}`).join(', ');
export const kinds = (objects: K8sObject[]) => objects.map((o) => o.kind).sort();
const get = (v: unknown, ...keys: (string | number)[]): unknown =>
  keys.reduce<unknown>((acc, k) => (acc && typeof acc === 'object' ? (acc as Dict)[k] : undefined), v);

/** The first (main) container of a Deployment or StatefulSet. */
export function mainContainer(objects: K8sObject[], kind = 'Deployment'): Dict {
  return get(find(objects, kind), 'spec', 'template', 'spec', 'containers', 0) as Dict;
}
/** `name → value` or `name → secret/key` for a container's env list. */
export function envOf(container: Dict): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of (container.env as Dict[] | undefined) ?? []) {
    const ref = get(e, 'valueFrom', 'secretKeyRef') as Dict | undefined;
    out[String(e.name)] = ref ? `secret:${ref.name}/${ref.key}` : String(e.value);
  }
  return out;
}
export const configData = (objects: K8sObject[]) => find(objects, 'ConfigMap').data as Record<string, string>;
export const secretData = (objects: K8sObject[], name?: string) =>
  Object.fromEntries(
    Object.entries(find(objects, 'Secret', name).data as Record<string, string>).map(([k, v]) => [
      k,
      Buffer.from(v, 'base64').toString('utf8'),
    ]),
  );
const servicePort = (svc: Dict) => get(svc, 'spec', 'ports', 0) as Dict;

// Secrets used by the cases (never real ones) --------------------------------------------------
const AUTH_SECRET = 'test-auth-secret-0123456789abcdefghijklmnop';
const DB_URL = 'postgres://todo:db-pass-7f3k2@db.example.internal:5432/todo';
const OPENAI_KEY = 'sk-test-openai-key-9d8c7b6a';
const PG_PASSWORD = 'pg-password-5e4d3c2b1a';

const probePath = (c: Dict, probe: string) => get(c, probe, 'httpGet', 'path');

export const SPECS: ChartSpec[] = [
  {
    chart: 'todo-backend',
    uid: 1000,
    checksums: ['config', 'secret'],
    checksumChanges: [
      ['config', { logLevel: 'info' }, { logLevel: 'debug' }],
      ['secret', { auth: { secret: AUTH_SECRET } }, { auth: { secret: `${AUTH_SECRET}-rotated` } }],
    ],
    writablePaths: ['/tmp'],
    cases: [
      {
        name: 'defaults',
        values: {},
        check: (o) => {
          expect(kinds(o)).toEqual(['ConfigMap', 'Deployment', 'Pod', 'Secret', 'Service']);
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
          });
          expect(configData(o)).not.toHaveProperty('DATABASE_URL');
          // generated once: 48 random characters (kept across upgrades through lookup)
          expect(secretData(o)).toEqual({ BETTER_AUTH_SECRET: expect.stringMatching(/^[A-Za-z0-9]{48}$/) });
        },
      },
      {
        name: '3 replicas',
        values: {
          replicaCount: 3,
          image: { repository: 'todo-backend', tag: '0123456789ab', pullPolicy: 'Never' },
        },
        check: (o) => {
          expect(get(find(o, 'Deployment'), 'spec', 'replicas')).toBe(3);
          expect(mainContainer(o)).toMatchObject({
            image: 'todo-backend:0123456789ab',
            imagePullPolicy: 'Never',
          });
          expect(get(find(o, 'Pod'), 'spec', 'containers', 0, 'image')).toBe('todo-backend:0123456789ab');
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
    bad: [
      { name: 'replicaCount as a word', values: { replicaCount: 'two' }, path: 'replicaCount' },
      { name: 'negative replicaCount', values: { replicaCount: -1 }, path: 'replicaCount' },
      { name: 'port out of range', values: { service: { port: 70000 } }, path: 'service.port' },
      {
        name: 'nodePort out of range',
        values: { service: { type: 'NodePort', nodePort: 99999 } },
        path: 'service.nodePort',
      },
      { name: 'unknown service type', values: { service: { type: 'Ingress' } }, path: 'service.type' },
      { name: 'unknown top-level key', values: { replicas: 2 }, path: '', key: 'replicas' },
      {
        name: 'unknown nested key',
        values: { image: { digest: 'sha256:abc' } },
        path: 'image',
        key: 'digest',
      },
      { name: 'latest tag', values: { image: { tag: 'latest' } }, path: 'image.tag' },
      { name: 'bad pull policy', values: { image: { pullPolicy: 'Sometimes' } }, path: 'image.pullPolicy' },
      {
        name: 'negative memory limit',
        values: { resources: { limits: { memory: '-512Mi' } } },
        path: 'resources.limits.memory',
      },
      {
        name: 'cpu request not a quantity',
        values: { resources: { requests: { cpu: 'lots' } } },
        path: 'resources.requests.cpu',
      },
      {
        name: 'probe path without slash',
        values: { healthCheck: { readinessPath: 'ready' } },
        path: 'healthCheck.readinessPath',
      },
      {
        name: 'zero probe period',
        values: { healthCheck: { livenessProbe: { periodSeconds: 0 } } },
        path: 'healthCheck.livenessProbe.periodSeconds',
      },
      { name: 'short auth secret', values: { auth: { secret: 'too-short' } }, path: 'auth.secret' },
      {
        name: 'secret in env',
        values: { env: { BETTER_AUTH_SECRET: 'x' } },
        path: 'env',
        key: 'BETTER_AUTH_SECRET',
      },
      {
        name: 'writable root filesystem',
        values: { containerSecurityContext: { readOnlyRootFilesystem: false } },
        path: 'containerSecurityContext.readOnlyRootFilesystem',
      },
      {
        name: 'root allowed',
        values: { podSecurityContext: { runAsNonRoot: false } },
        path: 'podSecurityContext.runAsNonRoot',
      },
      {
        // minLength beside a $ref: Helm 3 ignored it until the schema wrapped the $ref in allOf
        name: 'empty PostgreSQL Secret name',
        values: { database: { postgres: { secretName: '' } } },
        path: 'database.postgres.secretName',
      },
      {
        name: 'non-postgres database url',
        values: { database: { url: 'mysql://db/todo' } },
        path: 'database.url',
      },
      {
        name: 'too many HPA replicas',
        values: { autoscaling: { maxReplicas: 100 } },
        path: 'autoscaling.maxReplicas',
      },
      { name: 'unknown log level', values: { logLevel: 'verbose' }, path: 'logLevel' },
      {
        name: 'origins as a string',
        values: { trustedOrigins: 'http://todo.local' },
        path: 'trustedOrigins',
      },
      { name: 'invalid ingress host', values: { ingress: { host: 'Not A Host' } }, path: 'ingress.host' },
      {
        name: 'boolean as a string',
        values: { networkPolicy: { enabled: 'yes' } },
        path: 'networkPolicy.enabled',
      },
    ],
  },
  {
    chart: 'todo-frontend',
    uid: 1000,
    checksums: ['config'],
    checksumChanges: [['config', {}, { backendUrl: 'http://api:8000' }]],
    writablePaths: ['/tmp', '/app/apps/frontend/.next/cache'],
    cases: [
      {
        name: 'defaults',
        values: {},
        check: (o) => {
          expect(kinds(o)).toEqual(['ConfigMap', 'Deployment', 'Pod', 'Service']);
          const svc = find(o, 'Service');
          expect(get(svc, 'spec', 'type')).toBe('NodePort');
          expect(servicePort(svc)).toMatchObject({ port: 3000, nodePort: 30000, targetPort: 'http' });
          const c = mainContainer(o);
          expect(c.image).toBe('todo-frontend:0.1.0');
          for (const p of ['startupProbe', 'livenessProbe', 'readinessProbe'])
            expect(probePath(c, p)).toBe('/api/healthz');
          expect(configData(o)).toMatchObject({
            BACKEND_URL: 'http://todo-backend:8000',
            PORT: '3000',
            HOSTNAME: '0.0.0.0',
            NODE_ENV: 'production',
            CHAT_UI: 'builtin',
          });
          expect(configData(o)).not.toHaveProperty('CHATKIT_DOMAIN_KEY');
          expect(get(find(o, 'Pod'), 'spec', 'containers', 0, 'env', 0, 'value')).toBe(
            'http://todo-frontend:3000/api/healthz',
          );
        },
      },
      {
        name: 'ChatKit UI (CHAT_UI, CHATKIT_DOMAIN_KEY in the ConfigMap)',
        values: { chatUi: 'chatkit', chatkitDomainKey: 'domain_pk_test123' },
        check: (o) => {
          expect(configData(o)).toMatchObject({
            CHAT_UI: 'chatkit',
            CHATKIT_DOMAIN_KEY: 'domain_pk_test123',
          });
        },
      },
      {
        name: '3 replicas',
        values: {
          replicaCount: 3,
          image: { repository: 'todo-frontend', tag: 'abcdef012345', pullPolicy: 'IfNotPresent' },
        },
        check: (o) => {
          expect(get(find(o, 'Deployment'), 'spec', 'replicas')).toBe(3);
          expect(mainContainer(o).image).toBe('todo-frontend:abcdef012345');
        },
      },
      {
        name: 'ingress on (Service becomes ClusterIP)',
        values: { ingress: { enabled: true, host: 'todo.test', annotations: { 'example.com/anno': 'x' } } },
        check: (o) => {
          const svc = find(o, 'Service');
          expect(get(svc, 'spec', 'type')).toBe('ClusterIP');
          expect(servicePort(svc)).not.toHaveProperty('nodePort');
          const ing = find(o, 'Ingress');
          expect(get(ing, 'spec', 'rules', 0)).toEqual({
            host: 'todo.test',
            http: {
              paths: [
                {
                  path: '/',
                  pathType: 'Prefix',
                  backend: { service: { name: 'todo-frontend', port: { name: 'http' } } },
                },
              ],
            },
          });
          expect(get(ing, 'spec')).not.toHaveProperty('ingressClassName');
        },
      },
      {
        name: 'NetworkPolicy on',
        values: { networkPolicy: { enabled: true } },
        check: (o) => {
          const np = find(o, 'NetworkPolicy');
          expect(get(np, 'spec', 'ingress')).toEqual([{ ports: [{ port: 'http', protocol: 'TCP' }] }]);
          const egress = get(np, 'spec', 'egress') as Dict[];
          expect(get(egress[1], 'to', 0, 'podSelector', 'matchLabels')).toEqual({
            'app.kubernetes.io/name': 'todo-backend',
          });
          expect(get(egress[1], 'ports')).toEqual([{ port: 8000, protocol: 'TCP' }]);
        },
      },
      {
        name: 'HPA and PDB on',
        values: {
          autoscaling: { enabled: true, minReplicas: 1, maxReplicas: 4 },
          podDisruptionBudget: { enabled: true, maxUnavailable: '50%' },
        },
        check: (o) => {
          expect(get(find(o, 'Deployment'), 'spec')).not.toHaveProperty('replicas');
          expect(get(find(o, 'HorizontalPodAutoscaler'), 'spec', 'maxReplicas')).toBe(4);
          expect(get(find(o, 'PodDisruptionBudget'), 'spec', 'maxUnavailable')).toBe('50%');
        },
      },
      {
        name: 'custom NodePort and backend URL',
        values: { service: { nodePort: 31234 }, backendUrl: 'http://api.todo.svc.cluster.local:8000' },
        check: (o) => {
          expect(servicePort(find(o, 'Service'))).toMatchObject({ nodePort: 31234 });
          expect(configData(o).BACKEND_URL).toBe('http://api.todo.svc.cluster.local:8000');
        },
      },
      {
        name: 'NodePort chosen by Kubernetes',
        values: { service: { nodePort: null } },
        check: (o) => {
          expect(get(find(o, 'Service'), 'spec', 'type')).toBe('NodePort');
          expect(servicePort(find(o, 'Service'))).not.toHaveProperty('nodePort');
        },
      },
    ],
    bad: [
      { name: 'replicaCount as a word', values: { replicaCount: 'two' }, path: 'replicaCount' },
      {
        name: 'nodePort above the range',
        values: { service: { nodePort: 99999 } },
        path: 'service.nodePort',
      },
      { name: 'nodePort below the range', values: { service: { nodePort: 80 } }, path: 'service.nodePort' },
      {
        name: 'unsupported service type',
        values: { service: { type: 'ExternalName' } },
        path: 'service.type',
      },
      { name: 'unknown top-level key', values: { backendURL: 'http://x:8000' }, path: '', key: 'backendURL' },
      { name: 'latest tag', values: { image: { tag: 'latest' } }, path: 'image.tag' },
      { name: 'backend URL without scheme', values: { backendUrl: 'todo-backend:8000' }, path: 'backendUrl' },
      { name: 'unknown chat UI', values: { chatUi: 'fancy' }, path: 'chatUi' },
      { name: 'ChatKit UI without a domain key', values: { chatUi: 'chatkit' }, path: 'chatkitDomainKey' },
      {
        name: 'negative memory limit',
        values: { resources: { limits: { memory: '-1Gi' } } },
        path: 'resources.limits.memory',
      },
      {
        name: 'probe path without slash',
        values: { healthCheck: { path: 'api/healthz' } },
        path: 'healthCheck.path',
      },
      { name: 'unknown path type', values: { ingress: { pathType: 'Regex' } }, path: 'ingress.pathType' },
      { name: 'invalid env name', values: { env: { '1BAD': 'x' } }, path: 'env', key: '1BAD' },
      {
        name: 'PDB percentage without %',
        values: { podDisruptionBudget: { minAvailable: '50' } },
        path: 'podDisruptionBudget.minAvailable',
      },
      { name: 'cache size not a quantity', values: { cacheSizeLimit: 'lots' }, path: 'cacheSizeLimit' },
      {
        name: 'privilege escalation allowed',
        values: { containerSecurityContext: { allowPrivilegeEscalation: true } },
        path: 'containerSecurityContext.allowPrivilegeEscalation',
      },
      {
        name: 'CPU target above 100%',
        values: { autoscaling: { targetCPUUtilizationPercentage: 150 } },
        path: 'autoscaling.targetCPUUtilizationPercentage',
      },
    ],
  },
  {
    chart: 'todo-postgres',
    uid: 999,
    checksums: ['secret'],
    checksumChanges: [
      ['secret', { auth: { password: PG_PASSWORD } }, { auth: { password: `${PG_PASSWORD}-rotated` } }],
    ],
    writablePaths: ['/tmp', '/var/run/postgresql', '/var/lib/postgresql/data'],
    cases: [
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
          image: { repository: 'todo-local/postgres', tag: '15-bookworm', pullPolicy: 'Never' },
          persistence: { storageClass: 'fast', size: '5Gi' },
        },
        check: (o) => {
          expect(mainContainer(o, 'StatefulSet').image).toBe('todo-local/postgres:15-bookworm');
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
          expect((get(spec, 'template', 'spec', 'volumes') as Dict[]).find((v) => v.name === 'data')).toEqual(
            {
              name: 'data',
              emptyDir: {},
            },
          );
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
    bad: [
      { name: 'more than one replica', values: { replicaCount: 3 }, path: 'replicaCount' },
      { name: 'replicaCount as a word', values: { replicaCount: 'one' }, path: 'replicaCount' },
      {
        name: 'nodePort out of range',
        values: { service: { type: 'NodePort', nodePort: 99999 } },
        path: 'service.nodePort',
      },
      { name: 'invalid user name', values: { auth: { username: 'Todo-User' } }, path: 'auth.username' },
      { name: 'short password', values: { auth: { password: 'short' } }, path: 'auth.password' },
      { name: 'negative volume size', values: { persistence: { size: '-1Gi' } }, path: 'persistence.size' },
      {
        name: 'unknown access mode',
        values: { persistence: { accessModes: ['ReadWriteSometimes'] } },
        path: 'persistence.accessModes.0',
      },
      {
        name: 'boolean as a string',
        values: { persistence: { enabled: 'true' } },
        path: 'persistence.enabled',
      },
      {
        name: 'misspelt top-level key',
        values: { persistance: { size: '1Gi' } },
        path: '',
        key: 'persistance',
      },
      { name: 'latest tag', values: { image: { tag: 'latest' } }, path: 'image.tag' },
      {
        name: 'negative memory limit',
        values: { resources: { limits: { memory: '-512Mi' } } },
        path: 'resources.limits.memory',
      },
      {
        name: 'password in env',
        values: { env: { POSTGRES_PASSWORD: 'x' } },
        path: 'env',
        key: 'POSTGRES_PASSWORD',
      },
      {
        name: 'zero failure threshold',
        values: { healthCheck: { startupProbe: { failureThreshold: 0 } } },
        path: 'healthCheck.startupProbe.failureThreshold',
      },
      {
        name: 'root user',
        values: { podSecurityContext: { runAsUser: 0 } },
        path: 'podSecurityContext.runAsUser',
      },
    ],
  },
];
