// @ts-check
// Helm wrapper: version detection (Helm 3 and 4 spell "roll back on failure" and "wait"
// differently), release metadata read-back, and the upgrade command line.

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

/**
 * @typedef {{ status: string, revision: number, labels: Record<string, string>, chart: string, appVersion: string }} ReleaseInfo
 */

/**
 * Reads `helm get metadata -o json`. Null when the release does not exist.
 * Helm 4 reports the release's labels there; Helm 3 does not (its metadata has no labels), so
 * with Helm 3 whether the deployed revision carries `digest` is asked with a label selector.
 * @param {import('./cluster.mjs').Target} t
 * @param {import('./exec.mjs').Runner} runner
 * @param {string} release
 * @param {string} [digest] the digest this deploy would record
 * @returns {Promise<ReleaseInfo | null>}
 */
export async function releaseInfo(t, runner, release, digest) {
  const info = await readMetadata(t, runner, release);
  if (info && digest && !(DIGEST_LABEL in info.labels) && info.status === 'deployed') {
    if (await deployedWithDigest(t, runner, { release, revision: info.revision, digest })) {
      info.labels = { ...info.labels, [DIGEST_LABEL]: digest };
    }
  }
  return info;
}

/**
 * Whether the deployed revision of `release` carries the digest label. `helm list` shows only
 * deployed (and failed) revisions by default, one per release, and the selector matches the
 * labels stored with that revision.
 * @param {import('./cluster.mjs').Target} t
 * @param {import('./exec.mjs').Runner} runner
 * @param {{ release: string, revision: number, digest: string }} o
 */
async function deployedWithDigest(t, runner, { release, revision, digest }) {
  const r = await runner.run(
    'helm',
    [
      'list',
      ...helmTargetArgs(t),
      '--filter',
      `^${release.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`,
      '--selector',
      `${DIGEST_LABEL}=${digest}`,
      '--output',
      'json',
    ],
    { timeoutMs: QUERY_TIMEOUT_MS },
  );
  if (!r.ok || r.dry) return false;
  try {
    const rows = JSON.parse(r.stdout);
    return (
      Array.isArray(rows) &&
      rows.some(
        (row) => row?.name === release && row?.status === 'deployed' && Number(row?.revision) === revision,
      )
    );
  } catch {
    return false;
  }
}

/**
 * @param {import('./cluster.mjs').Target} t
 * @param {import('./exec.mjs').Runner} runner
 * @param {string} release
 * @returns {Promise<ReleaseInfo | null>}
 */
async function readMetadata(t, runner, release) {
  const r = await runner.run('helm', ['get', 'metadata', release, ...helmTargetArgs(t), '--output', 'json'], {
    timeoutMs: QUERY_TIMEOUT_MS,
  });
  if (r.dry) return null;
  if (!r.ok) {
    if (/not found/i.test(`${r.stderr}${r.stdout}`)) return null;
    throw new ScriptError(
      `cannot read release ${release} (${firstError(r)}): is the cluster reachable? Try \`pnpm status\`.`,
      EXIT.CLUSTER,
    );
  }
  return parseMetadata(r.stdout);
}

/** @param {string} json @returns {ReleaseInfo | null} */
export function parseMetadata(json) {
  try {
    const m = JSON.parse(json);
    return {
      status: String(m.status ?? ''),
      revision: Number(m.revision ?? 0),
      labels: m.labels && typeof m.labels === 'object' ? m.labels : {},
      chart: String(m.chart ?? ''),
      appVersion: String(m.appVersion ?? ''),
    };
  } catch {
    return null;
  }
}

/**
 * What a deploy must do given the release's current state.
 * @param {ReleaseInfo | null} info
 * @param {string} digest
 * @returns {{ action: 'install' | 'upgrade' | 'skip' | 'repair-uninstall' | 'repair-rollback', reason: string }}
 */
export function planRelease(info, digest) {
  if (!info) return { action: 'install', reason: 'not installed yet' };
  if (info.status === 'pending-install') {
    return { action: 'repair-uninstall', reason: 'a previous install was interrupted (pending-install)' };
  }
  if (info.status === 'pending-upgrade' || info.status === 'pending-rollback') {
    return { action: 'repair-rollback', reason: `a previous run was interrupted (${info.status})` };
  }
  if (info.status === 'failed' && info.revision <= 1) {
    return { action: 'repair-uninstall', reason: 'the first install failed' };
  }
  if (info.status === 'deployed' && info.labels[DIGEST_LABEL] === digest) {
    return { action: 'skip', reason: `unchanged since revision ${info.revision}` };
  }
  if (info.status !== 'deployed') return { action: 'upgrade', reason: `last revision is ${info.status}` };
  return {
    action: 'upgrade',
    reason: info.labels[DIGEST_LABEL] ? 'chart, values or image changed' : 'no digest on the release yet',
  };
}

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
