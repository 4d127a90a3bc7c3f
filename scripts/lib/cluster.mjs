// @ts-check
// Cluster target selection: which kubectl context and namespace every command uses, and how
// images reach the cluster's container runtime.
import { EXIT, ScriptError } from './errors.mjs';
import { firstError } from './exec.mjs';

export const CLUSTERS = /** @type {const} */ (['minikube', 'kind', 'current']);
export const LOADERS = /** @type {const} */ (['minikube', 'kind', 'registry', 'containerd', 'none']);

/**
 * @typedef {{
 *   cluster: typeof CLUSTERS[number],
 *   context: string | null,
 *   namespace: string,
 *   loader: typeof LOADERS[number],
 *   minikubeProfile: string,
 *   kindCluster: string,
 *   registry: string | null,
 *   registryAuth: { username: string, password: string } | null,
 *   containerdAddress: string,
 *   containerdNamespace: string,
 * }} Target
 */

/**
 * Resolves the target from configuration alone (no command runs). For `current`, `context`
 * stays null until {@link pinContext} reads it, unless KUBE_CONTEXT names it.
 * @param {import('./env.mjs').Config} cfg
 * @returns {Target}
 */
export function resolveTarget(cfg) {
  const cluster = cfg.require('CLUSTER');
  if (!(/** @type {readonly string[]} */ (CLUSTERS).includes(cluster))) {
    throw new ScriptError(
      `CLUSTER="${cluster}" is not supported: use minikube, kind or current.`,
      EXIT.USAGE,
    );
  }
  const c = /** @type {Target['cluster']} */ (cluster);
  const minikubeProfile = cfg.require('MINIKUBE_PROFILE');
  const kindCluster = cfg.require('KIND_CLUSTER');
  const defaultLoader = c === 'minikube' ? 'minikube' : c === 'kind' ? 'kind' : 'none';
  const loader = cfg.get('IMAGE_LOADER') ?? defaultLoader;
  if (!(/** @type {readonly string[]} */ (LOADERS).includes(loader))) {
    throw new ScriptError(
      `IMAGE_LOADER="${loader}" is not supported: use minikube, kind, registry, containerd or none.`,
      EXIT.USAGE,
    );
  }
  const registry = cfg.get('IMAGE_REGISTRY')?.replace(/\/+$/, '') ?? null;
  if (loader === 'registry' && !registry) {
    throw new ScriptError('IMAGE_LOADER=registry needs IMAGE_REGISTRY (e.g. localhost:5000).', EXIT.USAGE);
  }
  const username = cfg.get('REGISTRY_USERNAME');
  const password = cfg.get('REGISTRY_PASSWORD');
  if (Boolean(username) !== Boolean(password)) {
    throw new ScriptError(
      'REGISTRY_USERNAME and REGISTRY_PASSWORD go together: set both (a registry that needs a login) or neither.',
      EXIT.USAGE,
    );
  }
  const explicit = cfg.get('KUBE_CONTEXT') ?? null;
  const context =
    explicit ?? (c === 'minikube' ? minikubeProfile : c === 'kind' ? `kind-${kindCluster}` : null);
  const namespace = cfg.require('NAMESPACE');
  if (!/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/.test(namespace)) {
    throw new ScriptError(`NAMESPACE="${namespace}" is not a valid Kubernetes namespace name.`, EXIT.USAGE);
  }
  return {
    cluster: c,
    context,
    namespace,
    loader: /** @type {Target['loader']} */ (loader),
    minikubeProfile,
    kindCluster,
    registry,
    registryAuth: username && password ? { username, password } : null,
    containerdAddress: cfg.require('CONTAINERD_ADDRESS'),
    containerdNamespace: cfg.require('CONTAINERD_NAMESPACE'),
  };
}

/**
 * Fixes the kubectl context for the whole run (for CLUSTER=current: the context current now), so
 * a context switch in another terminal cannot redirect a deploy half-way.
 * @param {Target} target
 * @param {import('./exec.mjs').Runner} runner
 * @returns {Promise<Target>}
 */
export async function pinContext(target, runner) {
  if (target.context) return target;
  const r = await runner.run('kubectl', ['config', 'current-context']);
  if (r.dry) return { ...target, context: '<current-context>' };
  if (r.missing)
    throw new ScriptError(
      'kubectl is not installed: see https://kubernetes.io/docs/tasks/tools/',
      EXIT.PREREQ,
    );
  const ctx = r.stdout.trim();
  if (!r.ok || !ctx) {
    throw new ScriptError(
      `CLUSTER=current but kubectl has no current context (${firstError(r)}): run \`kubectl config use-context <name>\`.`,
      EXIT.PREREQ,
    );
  }
  return { ...target, context: ctx };
}

/** `--context <ctx>` for kubectl. @param {Target} t */
export function kubectlArgs(t, { namespaced = true } = {}) {
  return [
    ...(t.context ? ['--context', t.context] : []),
    ...(namespaced ? ['--namespace', t.namespace] : []),
  ];
}

/** `--kube-context <ctx> --namespace <ns>` for helm. @param {Target} t */
export function helmTargetArgs(t) {
  return [...(t.context ? ['--kube-context', t.context] : []), '--namespace', t.namespace];
}

/** One line describing the target, printed at the start of every script. @param {Target} t */
export function describeTarget(t) {
  const where =
    t.cluster === 'minikube'
      ? `minikube profile "${t.minikubeProfile}"`
      : t.cluster === 'kind'
        ? `kind cluster "${t.kindCluster}"`
        : `context "${t.context ?? '(current)'}"`;
  return `${where}, namespace "${t.namespace}", images via ${t.loader}${t.loader === 'registry' ? ` (${t.registry})` : ''}`;
}
