// Issue 15's cluster phases, for the one cluster suite (test/cluster/cluster.test.ts) to call after
// its own phases, on its cluster: everything they need from the harness comes in as PhaseDeps
// (commands, the app's URL, the test registry, an address of this machine the pods reach…), so
// this module starts no cluster and knows no harness. Each phase deploys with the product's own
// pipeline (`pnpm turbo deploy`, `pnpm release`, `pnpm diagnose`) and asserts with vitest's expect.
//
//   registryPhase        IMAGE_LOADER=registry: content-hash tags pushed, pulled by the kubelet
//                        with the charts' image pull Secret; a second deploy pushes and upgrades nothing
//   releasePhase         `pnpm release` to the registry, then CHART_SOURCE=oci://… + CHART_VERSION
//                        deploys exactly the release; again: nothing upgraded
//   externalDatabasePhase  an external PostgreSQL that accepts TLS only, in a namespace of its own
//                        (todo-postgres never installed): sslmode=require, verify-full with the CA
//                        given to the chart, a backend pod loss, then a wrong password and an
//                        untrusted certificate, each named in plain words by `pnpm diagnose`
//   replicasPhase        metrics-server built from source, replicas 2 + HPA for backend and frontend,
//                        a request loop through the NodePort across a rolling upgrade and a pod
//                        loss (zero failed), a change through one backend replica seen at once
//                        through the other
//
// What the cluster must provide is listed in test/beyond/README.md. This file is long because the
// four phases are one story told in order; the helpers live in lib.ts.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { waitForHttp } from '@todo/scripts/toolkit';
import { expect } from 'vitest';
import { startTlsPostgres, type TlsPostgres } from '../../apps/backend/test/helpers/tls-postgres.js';
import { AppClient } from '../lib/app-client.js';
import {
  buildMetricsServer,
  dockerConfigJson,
  finishedSteps,
  manifests,
  metricsServerManifests,
  portForward,
  sleep,
  waitFor,
  withPort,
} from './lib.js';

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
  ms: number;
}
export interface LoopStats {
  ok: number;
  failed: number;
  errors: string[];
}

/** What the phases need from the cluster harness. */
export interface PhaseDeps {
  repoRoot: string;
  /** the app's namespace (NAMESPACE of pipelineEnv) */
  namespace: string;
  /** where the app answers through the frontend's NodePort, e.g. http://127.0.0.1:30000 */
  appUrl: string;
  /**
   * The test registry (test/registry/registry.ts, with `auth: true`) as this machine's Docker and
   * the node's containerd reach it: `localhost:<port>`, and its credentials.
   */
  registry: { address: string; auth: { username: string; password: string } };
  /** an address of this machine the pods reach (the node's IP with the none driver), for the external PostgreSQL */
  hostAddress: string;
  /** CIDRs the pods' connections to hostAddress come from (pod CIDR, and the node's own address if SNATed) */
  podSources: string[];
  /** Runs a command without a shell; never throws. `echo` streams its output. */
  run(
    cmd: string,
    args: string[],
    o?: { env?: NodeJS.ProcessEnv; echo?: boolean; input?: string; timeoutMs?: number; cwd?: string },
  ): Promise<RunResult>;
  /** kubectl against the test cluster; `namespace` defaults to deps.namespace, null for cluster scope. Throws on failure. */
  kubectl(args: string[], o?: { namespace?: string | null; input?: string }): Promise<string>;
  /** The kubectl command line with its global flags (kubeconfig, context), for port-forwards. */
  kubectlCommand: readonly string[];
  /** helm against the test cluster (kubeconfig and context set); never throws. */
  helm(args: string[], o?: { namespace?: string }): Promise<RunResult>;
  /** The environment `pnpm turbo deploy` gets on this cluster, with `extra` on top. */
  pipelineEnv(extra?: Record<string, string>): NodeJS.ProcessEnv;
  /** The harness's bounded request loop (test/cluster/lib.ts requestLoop). */
  requestLoop(
    client: AppClient,
    pathname: string,
    o: { maxMs: number; maxRequests: number; concurrency?: number },
  ): { stop(): Promise<LoopStats> };
  /** Records a figure for docs/benchmarks. */
  recordFigure(name: string, value: number | string, unit?: string): void;
}

const DEPLOY = ['turbo', 'deploy', '--output-logs=new-only'];
const APPS = ['todo-backend', 'todo-frontend'] as const;
const tail = (r: RunResult) => `${r.stdout}${r.stderr}`.slice(-6000);
const seconds = (ms: number) => Math.round(ms / 100) / 10;

// biome-ignore lint/suspicious/noExplicitAny: kubectl JSON is untyped here
type Json = any;

async function json(d: PhaseDeps, args: string[], namespace?: string | null): Promise<Json> {
  return JSON.parse(
    await d.kubectl([...args, '--output', 'json'], namespace === undefined ? {} : { namespace }),
  );
}

async function deploy(d: PhaseDeps, env: NodeJS.ProcessEnv): Promise<RunResult> {
  return d.run('pnpm', DEPLOY, { env, echo: true, timeoutMs: 1_800_000, cwd: d.repoRoot });
}

/** The Ready pods of a release (not terminating). */
async function readyPods(d: PhaseDeps, release: string, namespace = d.namespace): Promise<Json[]> {
  const pods = await json(
    d,
    ['get', 'pods', '--selector', `app.kubernetes.io/instance=${release}`],
    namespace,
  );
  return pods.items.filter(
    (p: Json) =>
      !p.metadata.deletionTimestamp &&
      p.status.conditions?.some((c: Json) => c.type === 'Ready' && c.status === 'True'),
  );
}

async function waitReady(
  d: PhaseDeps,
  release: string,
  count: number,
  namespace = d.namespace,
  timeoutMs = 300_000,
) {
  return waitFor(
    `${count} Ready pod(s) of ${release} in ${namespace}`,
    async () => {
      const all = await json(
        d,
        ['get', 'pods', '--selector', `app.kubernetes.io/instance=${release}`],
        namespace,
      );
      const live = all.items.filter(
        (p: Json) => !p.metadata.deletionTimestamp && p.status.phase !== 'Succeeded',
      );
      const ready = await readyPods(d, release, namespace);
      return ready.length === count && live.length === count ? ready : undefined;
    },
    timeoutMs,
    2_000,
  );
}

/** ReplicaSets, StatefulSet revisions and Deployment generations: what a no-op deploy must leave alone. */
async function fingerprint(d: PhaseDeps, namespace = d.namespace): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const rs of (await json(d, ['get', 'replicasets'], namespace)).items)
    out[`rs/${rs.metadata.name}`] = `${rs.metadata.uid} replicas=${rs.spec.replicas}`;
  for (const s of (await json(d, ['get', 'statefulsets'], namespace)).items)
    out[`sts/${s.metadata.name}`] =
      `${s.metadata.uid} gen=${s.metadata.generation} rev=${s.status.updateRevision}`;
  for (const x of (await json(d, ['get', 'deployments'], namespace)).items)
    out[`deploy/${x.metadata.name}`] = `${x.metadata.uid} gen=${x.metadata.generation}`;
  return out;
}

async function revisions(d: PhaseDeps, namespace = d.namespace): Promise<Record<string, number>> {
  const r = await d.helm(['list', '--output', 'json'], { namespace });
  expect(r.code, tail(r)).toBe(0);
  return Object.fromEntries(JSON.parse(r.stdout).map((x: Json) => [x.name, Number(x.revision)]));
}

/** The pipeline's environment for the test registry: IMAGE_LOADER=registry with its credentials. */
export function registryEnv(
  d: Pick<PhaseDeps, 'pipelineEnv' | 'registry'>,
  extra: Record<string, string> = {},
): NodeJS.ProcessEnv {
  return d.pipelineEnv({
    IMAGE_LOADER: 'registry',
    IMAGE_REGISTRY: d.registry.address,
    REGISTRY_USERNAME: d.registry.auth.username,
    REGISTRY_PASSWORD: d.registry.auth.password,
    ...extra,
  });
}

/** A user of the app behind `url`, signed up, with one task. */
async function signedUpClient(url: string, tag: string) {
  const client = new AppClient(url, 15_000);
  const email = `${tag}-${Date.now()}@example.test`;
  const password = `${tag}-password-0123456789`;
  await client.json('POST', '/api/auth/sign-up/email', { name: tag, email, password });
  await client.json('POST', '/api/tasks', { title: `${tag} first`, tags: [tag] }, 201);
  return { client, email, password };
}

// ---------------------------------------------------------------------------------------------

/**
 * IMAGE_LOADER=registry on the cluster. Needs: the registry running with credentials, and the
 * node's containerd configured for it (hosts.toml, see README). Leaves the app deployed from
 * the registry.
 */
export async function registryPhase(d: PhaseDeps) {
  const env = registryEnv(d);
  const first = await deploy(d, env);
  expect(first.code, tail(first)).toBe(0);
  const out = `${first.stdout}${first.stderr}`;
  const pushes = finishedSteps(out, /^image .* in the cluster$/).filter((s) => s.note.startsWith('pushed '));
  for (const app of APPS)
    expect(
      pushes.some((s) => s.note.startsWith(`pushed ${d.registry.address}/${app}:`)),
      app,
    ).toBe(true);
  const pushSeconds = Math.round(pushes.reduce((a, s) => a + s.seconds, 0) * 10) / 10;
  d.recordFigure(
    `registry: push of ${pushes.length} images to a loopback registry (first deploy, IMAGE_LOADER=registry)`,
    pushSeconds,
  );
  d.recordFigure(
    'registry: pnpm turbo deploy with IMAGE_LOADER=registry (first, images pushed, pods rolled)',
    seconds(first.ms),
  );

  for (const app of APPS) {
    const pods = await waitReady(d, app, 1);
    for (const pod of pods) {
      // the kubelet pulled the content-hash tag from the registry, with the chart's pull Secret
      expect(pod.spec.containers[0].image).toMatch(new RegExp(`^${d.registry.address}/${app}:[0-9a-f]{12}$`));
      expect(pod.status.containerStatuses[0].imageID).toContain(`${d.registry.address}/${app}@sha256:`);
      expect(pod.spec.imagePullSecrets).toContainEqual({ name: `${app}-registry` });
    }
    const secret = await json(d, ['get', 'secret', `${app}-registry`]);
    expect(secret.type).toBe('kubernetes.io/dockerconfigjson');
    const config = JSON.parse(Buffer.from(secret.data['.dockerconfigjson'], 'base64').toString());
    expect(Object.keys(config.auths)).toEqual([d.registry.address]);
  }
  expect((await fetch(`${d.appUrl}/api/healthz`)).status).toBe(200);

  const before = await fingerprint(d);
  const revs = await revisions(d);
  const second = await deploy(d, env);
  expect(second.code, tail(second)).toBe(0);
  const again = `${second.stdout}${second.stderr}`;
  // the plan finds every release at its digest (which includes the image tag): no image is even looked up
  expect(again).toMatch(/plan \([\d.]+s\) — nothing to change/);
  expect(again).not.toContain('$ docker push');
  expect(await fingerprint(d)).toEqual(before);
  expect(await revisions(d)).toEqual(revs);
  d.recordFigure(
    'registry: no-op redeploy with IMAGE_LOADER=registry (nothing pushed, nothing upgraded)',
    seconds(second.ms),
  );
  return { pushSeconds, firstSeconds: seconds(first.ms), noopSeconds: seconds(second.ms) };
}

/**
 * `pnpm release` to the test registry, then a deploy of that version from CHART_SOURCE. Needs the
 * registry phase's setup (images through the registry). Leaves the app deployed from the release.
 */
export async function releasePhase(d: PhaseDeps) {
  const helmConfig = fs.mkdtempSync(path.join(os.tmpdir(), 'todo-helm-registry-'));
  const source = `oci://${d.registry.address}/charts`;
  const env = registryEnv(d, {
    CHART_SOURCE: source,
    HELM_REGISTRY_CONFIG: path.join(helmConfig, 'config.json'),
  });
  try {
    // --allow-dirty: the harness may have written tag files; a dirty tree is refused in test/bats
    const rel = await d.run('pnpm', ['release', '--allow-dirty'], {
      env,
      echo: true,
      timeoutMs: 1_800_000,
      cwd: d.repoRoot,
    });
    expect(rel.code, tail(rel)).toBe(0);
    const version = /released (\S+)\. Deploy it/.exec(`${rel.stdout}${rel.stderr}`)?.[1] ?? '';
    expect(version).toMatch(/^\d+\.\d+\.\d+/);
    d.recordFigure('release: pnpm release (images tagged and pushed, three charts pushed)', seconds(rel.ms));

    const deployEnv = { ...env, CHART_VERSION: version };
    const first = await deploy(d, deployEnv);
    expect(first.code, tail(first)).toBe(0);
    expect(`${first.stdout}${first.stderr}`).toContain(`${source}/todo-backend:${version}`);
    for (const app of APPS) {
      const meta = JSON.parse((await d.helm(['get', 'metadata', app, '--output', 'json'])).stdout);
      expect(meta).toMatchObject({ chart: app, version, appVersion: version });
      // the image comes from the released chart's own values: the pipeline passed none
      const supplied = JSON.parse((await d.helm(['get', 'values', app, '--output', 'json'])).stdout) ?? {};
      expect(supplied.image).toBeUndefined();
      const all = JSON.parse((await d.helm(['get', 'values', app, '--all', '--output', 'json'])).stdout);
      const tag = fs
        .readFileSync(path.join(d.repoRoot, 'apps', app.replace('todo-', ''), '.image', 'tag'), 'utf8')
        .trim();
      expect(`${all.image.repository}:${all.image.tag}`).toBe(`${d.registry.address}/${tag}`);
      await waitReady(d, app, 1);
    }
    expect((await fetch(`${d.appUrl}/api/healthz`)).status).toBe(200);
    d.recordFigure(
      'release: pnpm turbo deploy from CHART_SOURCE (charts pulled, upgraded)',
      seconds(first.ms),
    );

    const revs = await revisions(d);
    const second = await deploy(d, deployEnv);
    expect(second.code, tail(second)).toBe(0);
    expect(await revisions(d)).toEqual(revs);
    d.recordFigure('release: no-op redeploy from CHART_SOURCE', seconds(second.ms));
    return { version };
  } finally {
    fs.rmSync(helmConfig, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------

/**
 * An external PostgreSQL that accepts TLS only, on `hostAddress`, for a second copy of the app in
 * a namespace of its own (`<namespace>-tls`, frontend on NodePort `nodePort`): todo-postgres is
 * never installed there. The namespace is removed at the end.
 */
export async function externalDatabasePhase(d: PhaseDeps, o: { nodePort?: number } = {}) {
  const namespace = `${d.namespace}-tls`;
  const nodePort = o.nodePort ?? 30001;
  const url = withPort(d.appUrl, nodePort);
  const pg: TlsPostgres = await startTlsPostgres({
    listen: d.hostAddress,
    names: [d.hostAddress],
    allow: [...d.podSources, `${d.hostAddress}/32`],
  });
  const env = (databaseUrl: string, extra: Record<string, string> = {}) =>
    d.pipelineEnv({
      NAMESPACE: namespace,
      FRONTEND_NODE_PORT: String(nodePort),
      DATABASE_URL: databaseUrl,
      ...extra,
    });
  try {
    // sslmode=require, no CA: encrypted (a Neon URL as Neon prints it)
    const require = await deploy(d, env(pg.url({ sslmode: 'require' })));
    expect(require.code, tail(require)).toBe(0);
    expect(`${require.stdout}${require.stderr}`).toContain('todo-postgres not deployed');
    expect(Object.keys(await revisions(d, namespace)).sort()).toEqual([...APPS].sort());
    // a new Service: its NodePort refuses connections until kube-proxy has programmed it, which
    // can be a moment after Helm saw the pods Ready (as a user opening the URL at once would see)
    const answered = await waitForHttp(`${url}/api/healthz`, { timeoutMs: 60_000 });
    expect(answered.ok, `${url} did not answer: ${answered.last}`).toBe(true);
    const user = await signedUpClient(url, 'tls');
    const tls = await pg.sql(
      "SELECT count(*) FILTER (WHERE s.ssl) || ' ' || count(*) FILTER (WHERE NOT s.ssl) FROM pg_stat_activity a JOIN pg_stat_ssl s USING (pid) WHERE a.usename = 'todo'",
    );
    const [encrypted, unencrypted] = tls.split(' ').map(Number);
    expect(encrypted).toBeGreaterThan(0);
    expect(unencrypted).toBe(0);
    d.recordFigure('external TLS PostgreSQL: first deploy (sslmode=require)', seconds(require.ms));

    // sslmode=verify-full with the CA given to the chart (PGSSLROOTCERT → database.tls.caCert)
    const verified = env(pg.url({ sslmode: 'verify-full' }), { PGSSLROOTCERT: pg.caFile });
    const full = await deploy(d, verified);
    expect(full.code, tail(full)).toBe(0);
    expect(
      await d.kubectl(['get', 'configmap', 'todo-backend', '--output', 'jsonpath={.data.PGSSLROOTCERT}'], {
        namespace,
      }),
    ).toBe('/etc/todo-backend/database-ca/ca.crt');
    await waitReady(d, 'todo-backend', 1, namespace);
    const titles = async () =>
      ((await user.client.json('GET', '/api/tasks?tag=tls')) as { items: { title: string }[] }).items
        .map((t) => t.title)
        .sort();
    for (let i = 0; i < 3; i++)
      await user.client.json('POST', '/api/tasks', { title: `tls ${i}`, tags: ['tls'] }, 201);
    const saved = await titles();
    expect(saved).toHaveLength(4);

    // a backend pod loss loses nothing
    const victims = (await readyPods(d, 'todo-backend', namespace)).map((p) => p.metadata.name);
    await d.kubectl(['delete', 'pod', ...victims, '--wait=true'], { namespace });
    await waitReady(d, 'todo-backend', 1, namespace);
    expect(
      await waitFor('tasks readable again', async () => (await titles()).length === saved.length && titles()),
    ).toEqual(saved);

    // a wrong password, then an untrusted certificate: not Ready, the reason in plain words
    const broken: [string, NodeJS.ProcessEnv, RegExp][] = [
      [
        'a wrong password',
        env(pg.url({ sslmode: 'verify-full', password: 'not-the-password' }), { PGSSLROOTCERT: pg.caFile }),
        /running, not Ready: the database refused the password for user "todo"/,
      ],
      [
        'an untrusted certificate',
        env(pg.url({ sslmode: 'verify-full' }), { PGSSLROOTCERT: pg.otherCaFile }),
        /running, not Ready: the database's TLS certificate is not trusted/,
      ],
    ];
    const diagnoses: string[] = [];
    for (const [what, brokenEnv, reason] of broken) {
      const loop = d.requestLoop(user.client, '/api/tasks?tag=tls', {
        maxMs: 600_000,
        maxRequests: 50_000,
        concurrency: 1,
      });
      const failing = deploy(d, { ...brokenEnv, HELM_TIMEOUT: '150s' });
      const diagnosis = await waitFor(
        `pnpm diagnose to name ${what}`,
        async () => {
          const r = await d.run('pnpm', ['diagnose', 'todo-backend'], { env: brokenEnv, cwd: d.repoRoot });
          const text = `${r.stdout}${r.stderr}`;
          return r.code === 7 && reason.test(text) ? text : undefined;
        },
        140_000,
        5_000,
      );
      diagnoses.push(
        diagnosis
          .split('\n')
          .find((l) => reason.test(l))
          ?.trim() ?? '',
      );
      const r = await failing;
      const stats = await loop.stop();
      expect(r.code, `deploying ${what} must fail and roll back`).toBe(5);
      expect(`${r.stdout}${r.stderr}`).toMatch(reason);
      // the previous release kept serving throughout
      expect(stats.failed, stats.errors.slice(0, 5).join('\n')).toBe(0);
      expect(await titles()).toEqual(saved);
    }
    d.recordFigure('external TLS PostgreSQL: pnpm diagnose, wrong password', diagnoses[0] ?? '', '');
    d.recordFigure('external TLS PostgreSQL: pnpm diagnose, untrusted certificate', diagnoses[1] ?? '', '');
    return { diagnoses };
  } finally {
    await d
      .kubectl(['delete', 'namespace', namespace, '--wait=true', '--timeout=180s', '--ignore-not-found'], {
        namespace: null,
      })
      .catch(() => '');
    await pg.stop();
  }
}

// ---------------------------------------------------------------------------------------------

/**
 * metrics-server (built from its Go module, its image pushed to the test registry) for the HPA.
 * Waits until the metrics API answers.
 */
export async function installMetricsServer(d: PhaseDeps) {
  const t0 = Date.now();
  const built = buildMetricsServer();
  const remote = `${d.registry.address}/${built.image}`;
  const docker = async (args: string[], input?: string) => {
    const r = await d.run('docker', args, {
      echo: true,
      timeoutMs: 600_000,
      ...(input !== undefined ? { input } : {}),
    });
    expect(r.code, tail(r)).toBe(0);
  };
  await docker(
    ['login', d.registry.address, '--username', d.registry.auth.username, '--password-stdin'],
    d.registry.auth.password,
  );
  await docker(['tag', built.image, remote]);
  await docker(['push', remote]);
  const pullSecret = 'todo-test-registry';
  await d.kubectl(['apply', '--filename', '-'], {
    namespace: 'kube-system',
    input: JSON.stringify({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: pullSecret, namespace: 'kube-system' },
      type: 'kubernetes.io/dockerconfigjson',
      data: {
        '.dockerconfigjson': Buffer.from(dockerConfigJson(d.registry.address, d.registry.auth)).toString(
          'base64',
        ),
      },
    }),
  });
  const manifest = metricsServerManifests({
    baseDir: path.join(built.dir, 'base'),
    image: remote,
    pullSecret,
  });
  // The APIService goes in last: the API server checks it at once through the Service's cluster IP,
  // and a cluster IP kube-proxy has not programmed yet is routed like any other address (on a
  // none-driver host: out to the network, whose answer the API server then keeps on a kept-alive
  // connection and reports as FailedDiscoveryCheck for good). So: the Service and its pod first,
  // then kube-proxy's few seconds (its own metric: mean 1.3 s, max 3 s here), then the APIService.
  const objects = manifests(manifest);
  const list = (items: typeof objects) => JSON.stringify({ apiVersion: 'v1', kind: 'List', items });
  await d.kubectl(['apply', '--filename', '-'], {
    namespace: null,
    input: list(objects.filter((o) => o.kind !== 'APIService')),
  });
  await d.kubectl(['rollout', 'status', 'deployment/metrics-server', '--timeout=300s'], {
    namespace: 'kube-system',
  });
  await sleep(5_000);
  await d.kubectl(['apply', '--filename', '-'], {
    namespace: null,
    input: list(objects.filter((o) => o.kind === 'APIService')),
  });
  await waitFor(
    'the metrics API (metrics.k8s.io) to answer',
    async () =>
      JSON.parse(await d.kubectl(['get', '--raw', '/apis/metrics.k8s.io/v1beta1/nodes'], { namespace: null }))
        .items?.length > 0,
    300_000,
    5_000,
  );
  d.recordFigure(
    'replicas: metrics-server built (cached), pushed, installed, metrics API answering',
    seconds(Date.now() - t0),
  );
}

function writeValues(dir: string, roll: number) {
  for (const app of APPS) {
    fs.writeFileSync(
      path.join(dir, `${app}.yaml`),
      [
        'replicaCount: 2',
        'autoscaling:',
        '  enabled: true',
        '  minReplicas: 2',
        '  maxReplicas: 4',
        '  targetCPUUtilizationPercentage: 80',
        'podDisruptionBudget:',
        '  enabled: true',
        '  maxUnavailable: 1',
        'podAnnotations:',
        `  todo.test/roll: "${roll}"`,
        '',
      ].join('\n'),
    );
  }
}

/**
 * Replicas under load. `env` is the pipeline environment of the app as it stands (e.g.
 * registryEnv(d) after the registry phase). Leaves two replicas of each app with their HPA.
 */
export async function replicasPhase(d: PhaseDeps, env: NodeJS.ProcessEnv = d.pipelineEnv()) {
  await installMetricsServer(d);
  const valuesDir = fs.mkdtempSync(path.join(os.tmpdir(), 'todo-replica-values-'));
  const stops: (() => Promise<void>)[] = [];
  try {
    writeValues(valuesDir, 1);
    const scaled = await deploy(d, { ...env, CHART_VALUES_DIR: valuesDir });
    expect(scaled.code, tail(scaled)).toBe(0);
    for (const app of APPS) {
      const pods = await waitReady(d, app, 2);
      // the default spread is a preference: on one node both replicas schedule and run
      for (const c of pods[0].spec.topologySpreadConstraints)
        expect(c.whenUnsatisfiable).toBe('ScheduleAnyway');
      const pdb = await json(d, ['get', 'poddisruptionbudget', app]);
      expect(pdb.status.disruptionsAllowed).toBe(1);
    }
    const t0 = Date.now();
    for (const app of APPS) {
      await waitFor(
        `the HPA of ${app} to read CPU utilisation`,
        async () => {
          const hpa = await json(d, ['get', 'horizontalpodautoscaler', app]);
          const cpu = hpa.status.currentMetrics?.find((m: Json) => m.resource?.name === 'cpu');
          return (
            typeof cpu?.resource?.current?.averageUtilization === 'number' && hpa.status.currentReplicas >= 2
          );
        },
        300_000,
        5_000,
      );
    }
    d.recordFigure('replicas: HPA reading metrics after the scale-out deploy', seconds(Date.now() - t0));

    // a bounded request loop through the NodePort across a rolling upgrade and a pod loss
    const user = await signedUpClient(d.appUrl, 'replicas');
    const loop = d.requestLoop(user.client, '/api/tasks?tag=replicas', {
      maxMs: 900_000,
      maxRequests: 200_000,
      concurrency: 2,
    });
    writeValues(valuesDir, 2);
    const rolled = await deploy(d, { ...env, CHART_VALUES_DIR: valuesDir });
    const victims = [];
    for (const app of APPS) {
      const ready = await waitReady(d, app, 2);
      victims.push(ready[0].metadata.name);
    }
    await d.kubectl(['delete', 'pod', ...victims, '--wait=false']);
    for (const app of APPS) await waitReady(d, app, 2);
    await sleep(3_000);
    const stats = await loop.stop();
    expect(rolled.code, tail(rolled)).toBe(0);
    d.recordFigure(
      'replicas: request loop across a rolling upgrade and a pod loss, ok',
      stats.ok,
      'requests',
    );
    d.recordFigure(
      'replicas: request loop across a rolling upgrade and a pod loss, failed',
      stats.failed,
      'requests',
    );
    expect(stats.ok).toBeGreaterThan(50);
    expect(stats.failed, stats.errors.slice(0, 10).join('\n')).toBe(0);

    // a change through one backend replica is seen through the other at once
    const [a, b] = await Promise.all(
      (await waitReady(d, 'todo-backend', 2)).map((p) =>
        portForward(d.kubectlCommand, d.namespace, p.metadata.name, 8000),
      ),
    );
    if (!a || !b) throw new Error('two backend replicas expected');
    stops.push(a.stop, b.stop);
    const origin =
      (await d.kubectl([
        'get',
        'configmap',
        'todo-backend',
        '--output',
        'jsonpath={.data.BETTER_AUTH_URL}',
      ])) || 'http://localhost:8000';
    const signIn = await fetch(`${a.url}/api/auth/sign-in/email`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin },
      body: JSON.stringify({ email: user.email, password: user.password }),
    });
    const token = signIn.headers.get('set-auth-token');
    expect(signIn.status, await signIn.clone().text()).toBe(200);
    if (!token) throw new Error('sign-in gave no bearer token');
    const api = async (base: string, method: string, pathname: string, body?: unknown) => {
      const res = await fetch(`${base}${pathname}`, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          ...(body ? { 'content-type': 'application/json' } : {}),
        },
        ...(body ? { body: JSON.stringify(body) } : {}),
      });
      const text = await res.text();
      if (!res.ok) throw new Error(`${method} ${pathname} on ${base} → ${res.status} ${text}`);
      return text ? JSON.parse(text) : undefined;
    };
    const list = async (base: string) =>
      (await api(base, 'GET', '/api/tasks?tag=replicas&limit=100')).items as {
        id: string;
        title: string;
        completed: boolean;
      }[];
    for (let i = 0; i < 3; i++) {
      await list(b.url); // B has this list cached now
      const created = await api(a.url, 'POST', '/api/tasks', { title: `replica ${i}`, tags: ['replicas'] });
      expect((await list(b.url)).map((t) => t.id)).toContain(created.id);
      await api(b.url, 'PATCH', `/api/tasks/${created.id}`, { completed: true });
      expect((await list(a.url)).find((t) => t.id === created.id)?.completed).toBe(true);
      await api(a.url, 'DELETE', `/api/tasks/${created.id}`);
      expect((await list(b.url)).map((t) => t.id)).not.toContain(created.id);
    }
    return { loop: stats };
  } finally {
    for (const stop of stops) await stop();
    fs.rmSync(valuesDir, { recursive: true, force: true });
  }
}
