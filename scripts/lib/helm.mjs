// @ts-check
// Helm wrapper: version detection (Helm 3 and 4 spell "roll back on failure" and "wait"
// differently) and the upgrade command line.

import semver from 'semver';
import { helmTargetArgs } from './cluster.mjs';
import { EXIT, ScriptError } from './errors.mjs';
import { firstError } from './exec.mjs';

/** Release label that records what the last successful deploy installed. */
export const DIGEST_LABEL = 'todo-deploy-digest';
/** How long a read-only query may take before the cluster counts as unreachable. */
export const QUERY_TIMEOUT_MS = 60_000;
/** Oldest Helm that supports release labels (`--labels`, `helm get metadata`). */
export const MIN_HELM = '3.13.0';

/**
 * Flags that make `helm upgrade` wait for readiness and roll back on failure.
 * Helm 3: `--wait --atomic`. Helm 4: `--wait=watcher --rollback-on-failure` (`--atomic` is
 * deprecated there and `--wait` takes a strategy).
 * @param {number} major
 */
export function safetyFlags(major) {
  return major >= 4 ? ['--wait=watcher', '--rollback-on-failure'] : ['--wait', '--atomic'];
}

/**
 * @param {import('./exec.mjs').Runner} runner
 * @returns {Promise<{ major: number, version: string }>}
 */
export async function helmVersion(runner) {
  const r = await runner.run('helm', ['version', '--template', '{{.Version}}']);
  if (r.dry) return { major: 4, version: 'v4 (assumed in dry-run)' };
  if (r.missing)
    throw new ScriptError(
      'helm is not installed: see https://helm.sh/docs/intro/install/ (Helm 3.13+ or 4).',
      EXIT.PREREQ,
    );
  const v = semver.coerce(r.stdout, { loose: true });
  if (!r.ok || !v)
    throw new ScriptError(
      `cannot read the Helm version (${firstError(r)}): reinstall Helm 3.13+ or 4.`,
      EXIT.PREREQ,
    );
  if (semver.lt(v, MIN_HELM)) {
    throw new ScriptError(
      `Helm ${r.stdout.trim()} is too old: the pipeline needs Helm 3.13+ (release labels) or Helm 4.`,
      EXIT.PREREQ,
    );
  }
  return { major: v.major, version: r.stdout.trim() };
}

// What a release is now and what to do with it: plan.mjs (one query for every release).

/**
 * The full `helm upgrade --install` argument list. Non-secret values go on the command line
 * (they are useful in the log); secrets only through `valuesFiles`.
 * @param {{
 *   release: string, chartPath: string, target: import('./cluster.mjs').Target, major: number,
 *   timeout: string, digest: string, set: Record<string, import('./values.mjs').HelmValue>, valuesFiles: string[],
 * }} o
 */
export function upgradeArgs(o) {
  const args = [
    'upgrade',
    '--install',
    o.release,
    o.chartPath,
    ...helmTargetArgs(o.target),
    '--create-namespace',
    ...safetyFlags(o.major),
    '--timeout',
    o.timeout,
    '--history-max',
    '10',
    '--labels',
    `${DIGEST_LABEL}=${o.digest}`,
  ];
  for (const f of o.valuesFiles) args.push('--values', f);
  for (const [k, v] of Object.entries(o.set)) {
    if (typeof v === 'string') args.push('--set-string', `${k}=${v.replace(/([\\,])/g, '\\$1')}`);
    else args.push('--set-json', `${k}=${JSON.stringify(v)}`);
  }
  return args;
}
