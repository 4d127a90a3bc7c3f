// Helpers of the cluster end-to-end suite: the suite's .env and the environment the product's
// commands get, run commands (streamed, timed), kubectl/helm as JSON against the Minikube profile,
// a cookie-keeping HTTP client for the app behind the URL reset printed, and the figures file.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { IMAGES } from '@todo/scripts/lib/base-images/images.mjs';
import { createRunner, REPO_ROOT } from '@todo/scripts/toolkit';
import { AppClient } from '../lib/app-client.js';
import { sleep, waitFor } from '../lib/wait.js';

export { REPO_ROOT };
export const HERE = path.dirname(fileURLToPath(import.meta.url));
export const PROFILE = 'minikube'; // the none driver supports this profile only
export const NAMESPACE = process.env.CLUSTER_TEST_NAMESPACE ?? 'todo';
export const RELEASES = ['todo-postgres', 'todo-backend', 'todo-frontend'] as const;
export const FIGURES_FILE = path.join(REPO_ROOT, 'test', 'test-results', 'cluster-figures.json');
/** The suite's .env: what a user of this machine writes in the repository's .env (see docs/deployment.md). */
export const ENV_FILE = path.join(REPO_ROOT, 'test', 'test-results', 'cluster.env');
export const ENV_SETTINGS = {
  MINIKUBE_DRIVER: 'none',
  MINIKUBE_CONTAINER_RUNTIME: 'containerd',
  // no registry here: the registry-less PostgreSQL stand-in of `pnpm images:base`, loaded like the apps
  POSTGRES_IMAGE: IMAGES.postgres.standIn,
  NAMESPACE,
};

/** Settings the suite must not inherit: it runs the product's defaults (CLUSTER=minikube, images via minikube). */
const TARGET_OVERRIDES = [
  'CLUSTER',
  'IMAGE_LOADER',
  'KUBE_CONTEXT',
  'KUBECONFIG',
  'CONTAINERD_ADDRESS',
  'MINIKUBE_PROFILE',
  'APP_URL',
];

/** Writes the suite's .env file. */
export function writeEnvFile(): void {
  fs.mkdirSync(path.dirname(ENV_FILE), { recursive: true });
  fs.writeFileSync(
    ENV_FILE,
    `${Object.entries(ENV_SETTINGS)
      .map(([k, v]) => `${k}=${v}`)
      .join('\n')}\n`,
  );
}

/** The environment the product's commands get: its defaults plus the suite's .env (DOTENV_PATH). */
export function pipelineEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, DOTENV_PATH: ENV_FILE, HELM_TIMEOUT: '4m0s', ...extra };
  for (const k of TARGET_OVERRIDES) if (!(k in extra)) delete env[k];
  return env;
}

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
  ms: number;
}

const runner = createRunner({ cwd: REPO_ROOT });

/** Runs a command without a shell (the scripts' toolkit); streams its output to stderr when `echo`. */
export async function run(
  cmd: string,
  args: string[],
  o: { cwd?: string; env?: NodeJS.ProcessEnv; echo?: boolean; timeoutMs?: number; input?: string } = {},
): Promise<RunResult> {
  const { echo, ...rest } = o;
  const r = await runner.run(cmd, args, { ...rest, stream: Boolean(echo) });
  return { code: r.exitCode, stdout: r.stdout, stderr: r.stderr, ms: r.ms };
}

/** Fails with the command's output when it exits non-zero. */
export async function must(
  cmd: string,
  args: string[],
  o: Parameters<typeof run>[2] = {},
): Promise<RunResult> {
  const r = await run(cmd, args, o);
  if (r.code !== 0) {
    throw new Error(
      `${cmd} ${args.join(' ')} exited ${r.code}\n--- stdout\n${r.stdout.slice(-4000)}\n--- stderr\n${r.stderr.slice(-4000)}`,
    );
  }
  return r;
}

/** kubectl against the profile, in NAMESPACE unless another `namespace` (null: cluster scope) is given; `input` goes to stdin. */
export async function kubectl(
  args: string[],
  o: { namespaced?: boolean; namespace?: string | null; input?: string } = {},
): Promise<string> {
  const namespace = o.namespaced === false ? null : o.namespace === undefined ? NAMESPACE : o.namespace;
  const ns = namespace === null ? [] : ['--namespace', namespace];
  const input = o.input === undefined ? {} : { input: o.input };
  return (await must('kubectl', ['--context', PROFILE, ...ns, ...args], { env: pipelineEnv(), ...input }))
    .stdout;
}

// biome-ignore lint/suspicious/noExplicitAny: kubectl JSON is untyped here
export async function kubectlJson(args: string[], o: { namespaced?: boolean } = {}): Promise<any> {
  return JSON.parse(await kubectl([...args, '-o', 'json'], o));
}

export async function helm(args: string[], echo = false, namespace = NAMESPACE): Promise<RunResult> {
  return run('helm', ['--kube-context', PROFILE, '--namespace', namespace, ...args], {
    echo,
    env: pipelineEnv(),
  });
}

export { sleep, waitFor };

interface Pod {
  metadata: {
    name: string;
    creationTimestamp: string;
    labels?: Record<string, string>;
    deletionTimestamp?: string;
  };
  status: { phase: string; conditions?: { type: string; status: string; lastTransitionTime: string }[] };
}

export async function pods(): Promise<Pod[]> {
  return (await kubectlJson(['get', 'pods'])).items as Pod[];
}

export const isReady = (p: Pod) =>
  !p.metadata.deletionTimestamp &&
  p.status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True');

/** Waits until every pod of the namespace is Ready (and there is at least `min`). */
export async function allPodsReady(min = 3, timeoutMs = 180_000): Promise<Pod[]> {
  return waitFor(
    'all pods Ready',
    async () => {
      const ps = (await pods()).filter((p) => p.status.phase !== 'Succeeded');
      return ps.length >= min && ps.every(isReady) ? ps : undefined;
    },
    timeoutMs,
  );
}

/** Seconds from the first pod's creation to the last pod's Ready transition. */
export function installToReadySeconds(ps: Pod[]): number {
  const created = Math.min(...ps.map((p) => Date.parse(p.metadata.creationTimestamp)));
  const ready = Math.max(
    ...ps.map((p) =>
      Date.parse(p.status.conditions?.find((c) => c.type === 'Ready')?.lastTransitionTime ?? ''),
    ),
  );
  return (ready - created) / 1000;
}

/**
 * Seconds each release's `helm upgrade --install --wait` took (install → every pod Ready), read
 * from the pipeline's step lines: `✓ helm upgrade --install todo-backend (…) (11.9s) — deployed`.
 */
export function helmInstallSeconds(output: string): Record<string, number> {
  const out: Record<string, number> = {};
  // biome-ignore lint/suspicious/noControlCharactersInRegex: strips ANSI colours
  const plain = output.replace(/\x1b\[[0-9;]*m/g, '');
  for (const m of plain.matchAll(
    /✓ helm upgrade --install (todo-[a-z]+) .*?\((\d+(?:\.\d+)?)s\) — deployed/g,
  )) {
    out[m[1] as string] = Number(m[2]);
  }
  return out;
}

/** ReplicaSets (name → uid) and StatefulSet revisions: what a no-op deploy must leave alone. */
export async function workloadFingerprint(): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const rs of (await kubectlJson(['get', 'replicasets'])).items) {
    out[`rs/${rs.metadata.name}`] = `${rs.metadata.uid} replicas=${rs.spec.replicas}`;
  }
  for (const s of (await kubectlJson(['get', 'statefulsets'])).items) {
    out[`sts/${s.metadata.name}`] =
      `${s.metadata.uid} gen=${s.metadata.generation} rev=${s.status.updateRevision}`;
  }
  for (const d of (await kubectlJson(['get', 'deployments'])).items) {
    out[`deploy/${d.metadata.name}`] = `${d.metadata.uid} gen=${d.metadata.generation}`;
  }
  return out;
}

/** Records one figure for docs/benchmarks/cluster.md (merged into test-results/cluster-figures.json). */
export function recordFigure(name: string, value: number | string, unit = 's'): void {
  fs.mkdirSync(path.dirname(FIGURES_FILE), { recursive: true });
  let all: Record<string, unknown> = {};
  try {
    all = JSON.parse(fs.readFileSync(FIGURES_FILE, 'utf8'));
  } catch {}
  all[name] = { value, unit, at: new Date().toISOString() };
  fs.writeFileSync(FIGURES_FILE, `${JSON.stringify(all, null, 2)}\n`);
  process.stderr.write(`  ▸ figure ${name}: ${value}${unit ? ` ${unit}` : ''}\n`);
}

/** A browser-like client of the app through the URL reset printed (cookies, same origin). */
export class Client extends AppClient {
  constructor(origin: string) {
    super(origin, 10_000);
  }
}

/** The URL in reset's last line: `reset done in 1m 2s: the app answers at http://…`. */
export function resetUrl(output: string): string | undefined {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: strips ANSI colours
  const plain = output.replace(/\x1b\[[0-9;]*m/g, '');
  return /reset done in .*?: the app answers at (https?:\/\/\S+)/.exec(plain)?.[1];
}

/**
 * Sends requests in a loop (bounded in count and time, loopback only) until stopped; counts
 * failures (network errors and non-2xx answers).
 */
export function requestLoop(
  client: Client,
  pathname: string,
  o: { maxMs: number; maxRequests: number; concurrency?: number },
) {
  let stop = false;
  const stats = { ok: 0, failed: 0, errors: [] as string[] };
  const started = Date.now();
  const worker = async () => {
    while (!stop && Date.now() - started < o.maxMs && stats.ok + stats.failed < o.maxRequests) {
      try {
        const res = await client.request('GET', pathname, undefined, 15_000);
        const body = await res.text();
        if (res.ok) stats.ok++;
        else {
          stats.failed++;
          stats.errors.push(`${new Date().toISOString()} HTTP ${res.status} ${body.slice(0, 300)}`);
        }
      } catch (e) {
        stats.failed++;
        stats.errors.push(`${new Date().toISOString()} ${String(e)}`);
      }
      await sleep(50);
    }
  };
  const done = Promise.all(Array.from({ length: o.concurrency ?? 2 }, worker));
  return {
    stats,
    async stop() {
      stop = true;
      await done;
      return stats;
    },
  };
}
