// @ts-check
// Charts as OCI artifacts: where a deploy takes a chart from (this working tree, or a released
// version pulled from CHART_SOURCE=oci://… at CHART_VERSION), and what Helm needs to talk to such
// a registry (plain HTTP on loopback, a private CA, a login whose password goes in on stdin).
// `deploy` pulls a released chart into a temporary folder first, so its digest and its upgrade
// see exactly the files Helm installs; `release` pushes the packaged charts there.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { onCleanup } from './cleanup.mjs';
import { EXIT, ScriptError } from './errors.mjs';
import { firstError } from './exec.mjs';
import { isLoopbackHost } from './net.mjs';
import { chartDir } from './repo.mjs';
import { registryHost } from './values.mjs';

/**
 * The OCI repository CHART_SOURCE names, checked: `oci://host[:port]/path`.
 * @param {import('./env.mjs').Config} cfg
 * @returns {string | null} null when charts come from the working tree
 */
export function chartSource(cfg) {
  const source = cfg.get('CHART_SOURCE')?.replace(/\/+$/, '');
  if (!source) return null;
  if (!/^oci:\/\/[^/\s]+(\/[^\s]*)?$/.test(source)) {
    throw new ScriptError(
      `CHART_SOURCE="${source}" is not an OCI repository: use oci://<registry>/<path>, e.g. oci://ghcr.io/acme/charts.`,
      EXIT.USAGE,
    );
  }
  return source;
}

/**
 * Helm's flags for the chart registry: `--plain-http` (REGISTRY_PLAIN_HTTP; by default for a
 * loopback registry, which Docker and containerd also reach over HTTP) and `--ca-file`.
 * @param {import('./env.mjs').Config} cfg
 * @param {string} source oci://… or a host
 */
export function helmRegistryFlags(cfg, source) {
  const plain = cfg.get('REGISTRY_PLAIN_HTTP');
  const usePlain =
    plain === undefined ? isLoopbackHost(registryHost(source)) : plain === 'true' || plain === '1';
  const ca = cfg.get('REGISTRY_CA_FILE');
  if (ca && !fs.existsSync(ca)) {
    throw new ScriptError(
      `REGISTRY_CA_FILE=${ca} does not exist: name the CA certificate of the registry.`,
      EXIT.USAGE,
    );
  }
  return [...(usePlain ? ['--plain-http'] : []), ...(ca ? ['--ca-file', ca] : [])];
}

/** Registries this process has logged in to with Helm. */
/** Logins this process has made (or is making) with Helm, per registry: charts pulled side by side share one. */
const loggedIn = new Map();

/**
 * `helm registry login` when REGISTRY_USERNAME/REGISTRY_PASSWORD are set; the password goes in on
 * stdin. Helm keeps it in its registry config (HELM_REGISTRY_CONFIG), as after a login by hand.
 * @param {import('./env.mjs').Config} cfg
 * @param {import('./exec.mjs').Runner} runner
 * @param {string} source
 */
export function helmRegistryLogin(cfg, runner, source) {
  const host = registryHost(source);
  let login = loggedIn.get(host);
  if (!login) {
    login = loginOnce(cfg, runner, source, host);
    loggedIn.set(host, login);
    login.catch(() => loggedIn.delete(host));
  }
  return login;
}

/**
 * @param {import('./env.mjs').Config} cfg
 * @param {import('./exec.mjs').Runner} runner
 * @param {string} source
 * @param {string} host
 */
async function loginOnce(cfg, runner, source, host) {
  const username = cfg.get('REGISTRY_USERNAME');
  const password = cfg.get('REGISTRY_PASSWORD');
  if (!username || !password) return;
  const r = await runner.run(
    'helm',
    [
      'registry',
      'login',
      host,
      '--username',
      username,
      '--password-stdin',
      ...helmRegistryFlags(cfg, source),
    ],
    { change: true, input: password, timeoutMs: 120_000 },
  );
  if (!r.ok) {
    throw new ScriptError(
      `helm registry login ${host} as ${username} failed: ${firstError(r)}. Check REGISTRY_USERNAME and REGISTRY_PASSWORD.`,
      EXIT.CLUSTER,
    );
  }
}

/**
 * @typedef {{ dir: string | null, ref: string, released: boolean, version: string | null }} ChartLocation
 *   dir: the chart's files (null in a dry run of a released chart, which is not pulled);
 *   ref: what the log names; released: from CHART_SOURCE (its app image is pinned in it)
 */

/**
 * Where `chart` comes from for this deploy. A released chart is pulled (`helm pull --untar`) into
 * a temporary folder removed at exit.
 * @param {string} chart
 * @param {import('./env.mjs').Config} cfg
 * @param {import('./exec.mjs').Runner} runner
 * @returns {Promise<ChartLocation>}
 */
export async function resolveChart(chart, cfg, runner) {
  const source = chartSource(cfg);
  if (!source)
    return { dir: chartDir(chart), ref: `charts/${chart} (working tree)`, released: false, version: null };
  const version = cfg.get('CHART_VERSION');
  if (!version) {
    throw new ScriptError(
      `CHART_SOURCE=${source} needs CHART_VERSION: the released version to deploy (\`helm show chart ${source}/${chart}\` names the newest).`,
      EXIT.USAGE,
    );
  }
  const ref = `${source}/${chart}`;
  await helmRegistryLogin(cfg, runner, source);
  const dest = fs.mkdtempSync(path.join(os.tmpdir(), 'todo-chart-'));
  onCleanup(() => fs.rmSync(dest, { recursive: true, force: true }), { signals: false });
  const r = await runner.run(
    'helm',
    ['pull', ref, '--version', version, '--untar', '--untardir', dest, ...helmRegistryFlags(cfg, source)],
    { timeoutMs: 300_000 },
  );
  if (r.dry) return { dir: null, ref: `${ref}:${version}`, released: true, version };
  if (!r.ok) {
    const missing = /not found|manifest unknown|404/i.test(`${r.stderr}${r.stdout}`);
    throw new ScriptError(
      missing
        ? `${ref} version ${version} is not in the registry: release it first (\`pnpm release\`), or pick a released CHART_VERSION.`
        : `cannot pull ${ref} version ${version}: ${firstError(r)}`,
      missing ? EXIT.USAGE : EXIT.CLUSTER,
    );
  }
  return { dir: path.join(dest, chart), ref: `${ref}:${version}`, released: true, version };
}
