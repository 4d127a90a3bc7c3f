// @ts-check
// The URL where the user opens the app, for the cluster and Minikube driver in use. With the
// Docker driver on macOS and Windows a NodePort is not reachable from the host, so the URL comes
// from `minikube service --url`, which keeps a tunnel open while it runs.
import { kubectlArgs } from './cluster.mjs';
import { startService } from './service.mjs';

export const FRONTEND_SERVICE = 'todo-frontend';
export const DEFAULT_NODE_PORT = 30000;

/**
 * @typedef {{ url: string | null, how: string, tunnelCommand?: [string, string[]] }} AppUrl
 */

/**
 * Whether the NodePort is reachable from this host for a Minikube driver.
 * @param {string} driver @param {NodeJS.Platform} platform
 */
export function minikubeNeedsTunnel(driver, platform) {
  return (driver === 'docker' || driver === 'podman') && (platform === 'darwin' || platform === 'win32');
}

/**
 * @param {string} json output of `minikube profile list -o json`
 * @param {string} profile
 * @returns {{ name: string, status: string, driver: string, cpus: number, memory: number } | null}
 */
export function parseMinikubeProfile(json, profile) {
  try {
    const data = JSON.parse(json);
    for (const p of [...(data.valid ?? []), ...(data.invalid ?? [])]) {
      if (p.Name === profile) {
        return {
          name: p.Name,
          status: String(p.Status ?? ''),
          driver: String(p.Config?.Driver ?? ''),
          cpus: Number(p.Config?.CPUs ?? 0),
          memory: Number(p.Config?.Memory ?? 0),
        };
      }
    }
  } catch {
    // not JSON: treat as unknown
  }
  return null;
}

/**
 * @param {import('./cluster.mjs').Target} t
 * @param {import('./exec.mjs').Runner} runner
 * @param {import('./env.mjs').Config} cfg
 * @returns {Promise<AppUrl>}
 */
export async function appUrl(
  t,
  runner,
  cfg,
  platform = /** @type {NodeJS.Platform} */ (process.env.TODO_TEST_PLATFORM || process.platform),
) {
  const fixed = cfg.get('APP_URL');
  if (fixed) return { url: fixed, how: 'APP_URL' };
  const [svc, prof] = await Promise.all([
    runner.run('kubectl', [
      ...kubectlArgs(t),
      'get',
      'service',
      FRONTEND_SERVICE,
      '--output',
      'jsonpath={.spec.ports[0].nodePort}',
    ]),
    t.cluster === 'minikube' ? runner.run('minikube', ['profile', 'list', '--output', 'json']) : null,
  ]);
  const nodePort = Number(svc.stdout.trim()) || DEFAULT_NODE_PORT;
  if (t.cluster === 'minikube' && prof) {
    const info = parseMinikubeProfile(prof.stdout, t.minikubeProfile);
    if (info && minikubeNeedsTunnel(info.driver, platform)) {
      const args = [
        '-p',
        t.minikubeProfile,
        'service',
        FRONTEND_SERVICE,
        '--namespace',
        t.namespace,
        '--url',
      ];
      return {
        url: null,
        how: `Minikube's ${info.driver} driver on ${platform} needs a tunnel`,
        tunnelCommand: ['minikube', args],
      };
    }
    const ip = await runner.run('minikube', ['-p', t.minikubeProfile, 'ip']);
    const addr = ip.stdout.trim();
    if (!ip.ok || !addr) return { url: null, how: 'Minikube has no IP (is it running?)' };
    return { url: `http://${addr}:${nodePort}`, how: `NodePort ${nodePort} on the Minikube node` };
  }
  if (t.cluster === 'kind' && platform !== 'linux') {
    const args = [...kubectlArgs(t), 'port-forward', `service/${FRONTEND_SERVICE}`, '3000:3000'];
    return {
      url: null,
      how: 'kind nodes are not reachable from the host here',
      tunnelCommand: ['kubectl', args],
    };
  }
  const nodes = await runner.run('kubectl', [
    ...kubectlArgs(t, { namespaced: false }),
    'get',
    'nodes',
    '--output',
    'jsonpath={.items[0].status.addresses[?(@.type=="InternalIP")].address}',
  ]);
  const addr = nodes.stdout.trim().split(/\s+/)[0];
  if (!nodes.ok || !addr) return { url: null, how: 'cannot read the node address' };
  return { url: `http://${addr}:${nodePort}`, how: `NodePort ${nodePort} on node ${addr}` };
}

/**
 * Runs `fn(url)` with a URL that works now; opens the tunnel for the duration when needed.
 * @template T
 * @param {AppUrl} u
 * @param {(url: string, tunnel: import('./service.mjs').Service | null) => Promise<T>} fn
 * @returns {Promise<T>}
 */
export async function withReachableUrl(u, fn) {
  if (u.url) return fn(u.url, null);
  if (!u.tunnelCommand) throw new Error(u.how);
  const [bin, args] = u.tunnelCommand;
  const tunnel = startService(bin, bin, args);
  try {
    const [url] = await tunnel.waitForOutput(/https?:\/\/[^\s]+/, 60_000);
    return await fn(url, tunnel);
  } finally {
    await tunnel.stop(5_000);
  }
}
