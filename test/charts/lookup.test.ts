// Generated secrets are made once and kept: on an upgrade the charts read the Secret already in
// the cluster with `lookup`. `helm template --dry-run=server` performs those lookups; here it talks
// to a minimal fake Kubernetes API on 127.0.0.1 (discovery plus GET of Secrets), so the
// behaviour is checked offline with Helm 3 and Helm 4.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ChartName, chartDir } from './lib/charts.js';
import { HELMS, helm, NAMESPACE, parseManifests } from './lib/helm.js';

const KEPT_AUTH = 'kept-auth-secret-0123456789-abcdefghijklmnop';
const KEPT_PG = 'kept-postgres-password-42';
const b64 = (s: string) => Buffer.from(s).toString('base64');

/** Secrets "in the cluster", by name. */
const SECRETS: Record<string, Record<string, string>> = {
  'todo-backend': { BETTER_AUTH_SECRET: b64(KEPT_AUTH) },
  'todo-postgres': { password: b64(KEPT_PG) },
};

const resource = (name: string, kind: string, namespaced = true) => ({
  name,
  singularName: name.replace(/s$/, ''),
  namespaced,
  kind,
  verbs: ['get', 'list', 'create', 'update', 'patch', 'delete'],
});
const CORE = [
  resource('secrets', 'Secret'),
  resource('configmaps', 'ConfigMap'),
  resource('services', 'Service'),
  resource('pods', 'Pod'),
  resource('persistentvolumeclaims', 'PersistentVolumeClaim'),
  resource('namespaces', 'Namespace', false),
];
const GROUPS: Record<string, ReturnType<typeof resource>[]> = {
  'apps/v1': [resource('deployments', 'Deployment'), resource('statefulsets', 'StatefulSet')],
  'autoscaling/v2': [resource('horizontalpodautoscalers', 'HorizontalPodAutoscaler')],
  'policy/v1': [resource('poddisruptionbudgets', 'PodDisruptionBudget')],
  'networking.k8s.io/v1': [resource('ingresses', 'Ingress'), resource('networkpolicies', 'NetworkPolicy')],
};

const notFound = { kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'NotFound', code: 404 };

/** The fake API's answer to one request: status code and JSON body. */
function answer(method: string, pathname: string): [number, unknown] {
  if (method !== 'GET') return [405, { ...notFound, reason: 'MethodNotAllowed', code: 405 }];
  if (pathname === '/version')
    return [200, { major: '1', minor: '33', gitVersion: 'v1.33.0', platform: 'linux/amd64' }];
  if (pathname === '/api')
    return [200, { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [] }];
  if (pathname === '/api/v1') return [200, { kind: 'APIResourceList', groupVersion: 'v1', resources: CORE }];
  if (pathname === '/apis') {
    const groups = Object.keys(GROUPS).map((groupVersion) => {
      const [name, version] = groupVersion.split('/');
      return { name, versions: [{ groupVersion, version }], preferredVersion: { groupVersion, version } };
    });
    return [200, { kind: 'APIGroupList', apiVersion: 'v1', groups }];
  }
  const group = /^\/apis\/(.+\/v[0-9a-z]+)$/.exec(pathname)?.[1];
  if (group && GROUPS[group]) {
    return [
      200,
      { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: group, resources: GROUPS[group] },
    ];
  }
  const secret = /^\/api\/v1\/namespaces\/([^/]+)\/secrets\/([^/]+)$/.exec(pathname);
  const data = secret ? SECRETS[secret[2] ?? ''] : undefined;
  if (!secret || !data) return [404, notFound];
  const [, namespace, name] = secret;
  return [
    200,
    {
      apiVersion: 'v1',
      kind: 'Secret',
      type: 'Opaque',
      // owned by the release of the same name, as after a first install
      metadata: {
        name,
        namespace,
        labels: { 'app.kubernetes.io/managed-by': 'Helm' },
        annotations: { 'meta.helm.sh/release-name': name, 'meta.helm.sh/release-namespace': namespace },
      },
      data,
    },
  ];
}

function fakeApi(req: http.IncomingMessage, res: http.ServerResponse): void {
  const [code, body] = answer(req.method ?? 'GET', new URL(req.url ?? '/', 'http://127.0.0.1').pathname);
  res.writeHead(code, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

let server: http.Server;
let dir: string;
let env: Record<string, string>;

beforeAll(async () => {
  server = http.createServer(fakeApi);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  dir = mkdtempSync(path.join(tmpdir(), 'chart-lookup-'));
  const kubeconfig = path.join(dir, 'kubeconfig');
  writeFileSync(
    kubeconfig,
    JSON.stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: 'fake', cluster: { server: `http://127.0.0.1:${port}` } }],
      users: [{ name: 'fake', user: {} }],
      contexts: [{ name: 'fake', context: { cluster: 'fake', user: 'fake', namespace: NAMESPACE } }],
      'current-context': 'fake',
    }),
    { mode: 0o600 },
  );
  env = {
    KUBECONFIG: kubeconfig,
    HELM_CACHE_HOME: path.join(dir, 'cache'),
    HELM_CONFIG_HOME: path.join(dir, 'config'),
  };
});

afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
  if (dir) rmSync(dir, { recursive: true, force: true });
});

for (const h of HELMS.filter((x) => x.available)) {
  describe(`${h.label}: generated secrets survive upgrades (lookup)`, () => {
    async function secret(
      chart: ChartName,
      release: string,
      set: string[] = [],
    ): Promise<Record<string, string>> {
      const args = ['template', release, chartDir(chart), '--namespace', NAMESPACE, '--dry-run=server'];
      if (h.major === 4) args.push('--disable-openapi-validation');
      const r = await helm(h, [...args, '--show-only', 'templates/secret.yaml', ...set], env);
      expect(r.code, r.stderr).toBe(0);
      const [obj] = parseManifests(r.stdout);
      const data = (obj?.data ?? {}) as Record<string, string>;
      return Object.fromEntries(
        Object.entries(data).map(([k, v]) => [k, Buffer.from(v, 'base64').toString('utf8')]),
      );
    }

    it('backend keeps BETTER_AUTH_SECRET found in the cluster', async () => {
      expect(await secret('todo-backend', 'todo-backend')).toEqual({ BETTER_AUTH_SECRET: KEPT_AUTH });
    });

    it('backend generates one on a first install and honours an explicit auth.secret', async () => {
      const fresh = await secret('todo-backend', 'fresh');
      expect(fresh.BETTER_AUTH_SECRET).toMatch(/^[A-Za-z0-9]{48}$/);
      const explicit = 'explicit-auth-secret-0123456789-abcdefghij';
      expect(await secret('todo-backend', 'todo-backend', ['--set', `auth.secret=${explicit}`])).toEqual({
        BETTER_AUTH_SECRET: explicit,
      });
    });

    it('postgres keeps the password found in the cluster, generates one otherwise', async () => {
      expect(await secret('todo-postgres', 'todo-postgres')).toEqual({ password: KEPT_PG });
      expect((await secret('todo-postgres', 'fresh')).password).toMatch(/^[A-Za-z0-9]{32}$/);
    });
  });
}
