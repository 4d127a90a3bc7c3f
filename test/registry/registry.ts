// A real OCI registry on loopback for the tests: the CNCF distribution registry built from its Go
// module by test/registry/build.sh (cached in /var/cache/todo-cluster/registry-<version>), run as
// a service of the scripts' toolkit with its storage in a temporary folder.
//
// Plain HTTP by default, with htpasswd credentials when asked: every client allows HTTP for a
// loopback registry without host-wide changes (Docker's default insecure range is 127.0.0.0/8,
// containerd treats localhost with a port as HTTP and takes a hosts.toml, Helm has --plain-http),
// and loopback traffic never leaves the machine, so TLS would protect nothing; trusting a CA would
// mean writing into the shared Docker engine's /etc/docker/certs.d. `tls: true` serves HTTPS with
// a throwaway CA instead, for what can trust a CA per command (Helm's --ca-file).
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, startService } from '@todo/scripts/toolkit';
import { throwawayPki } from '../../apps/backend/test/helpers/tls-postgres.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));
export const REGISTRY_VERSION = process.env.REGISTRY_VERSION ?? 'v3.1.2';

/** Builds the registry once (cached by version); returns the folder of `registry` and `registry-htpasswd`. */
export function registryBinaries(): { registry: string; htpasswd: string; ms: number } {
  const t0 = Date.now();
  const out = execFileSync('bash', [path.join(HERE, 'build.sh')], {
    encoding: 'utf8',
    env: { ...process.env, REGISTRY_VERSION },
    stdio: ['ignore', 'pipe', 'inherit'],
    timeout: 1_800_000,
  }).trim();
  const registry = out.split('\n').at(-1) ?? '';
  if (!fs.existsSync(registry)) throw new Error(`test/registry/build.sh printed no binary (${out})`);
  return { registry, htpasswd: path.join(path.dirname(registry), 'registry-htpasswd'), ms: Date.now() - t0 };
}

/** Why a registry cannot run here (Go missing and nothing cached); undefined when it can. */
export function registryUnavailable(): string | undefined {
  const cached = path.join(
    process.env.CLUSTER_CACHE ?? '/var/cache/todo-cluster',
    `registry-${REGISTRY_VERSION}`,
  );
  if (fs.existsSync(path.join(cached, 'registry')) && fs.existsSync(path.join(cached, 'registry-htpasswd')))
    return;
  const go = spawnSync('bash', ['-c', 'PATH="$PATH:/usr/local/go/bin" command -v go'], { encoding: 'utf8' });
  return go.status === 0 ? undefined : 'no cached registry binary and no Go to build one';
}

export interface Registry {
  /** `localhost:<port>`: what image references and Helm name */
  address: string;
  port: number;
  /** http(s)://127.0.0.1:<port> */
  url: string;
  tls: boolean;
  /** the CA of the registry's certificate (tls only) */
  caFile?: string;
  auth?: { username: string; password: string };
  /** Lists the tags of a repository over the registry's HTTP API. */
  tags(repository: string): Promise<string[]>;
  stop(): Promise<void>;
}

/**
 * Starts a registry on 127.0.0.1 (a free port unless given); `auth` asks for htpasswd credentials
 * (a random password for user `ci`).
 */
export async function startRegistry(
  o: { tls?: boolean; auth?: boolean; port?: number } = {},
): Promise<Registry> {
  const bins = registryBinaries();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'todo-registry-'));
  const port = o.port ?? (await freePort());
  const tls = Boolean(o.tls);
  const pki = tls ? await throwawayPki(path.join(dir, 'pki'), ['localhost', '127.0.0.1']) : undefined;
  let auth: Registry['auth'];
  const lines = [
    'version: 0.1',
    'log:',
    '  level: warn',
    '  accesslog:',
    '    disabled: true',
    'storage:',
    '  filesystem:',
    `    rootdirectory: ${path.join(dir, 'data')}`,
    '  delete:',
    '    enabled: true',
    'http:',
    `  addr: 127.0.0.1:${port}`,
    `  secret: ${randomBytes(16).toString('hex')}`,
    ...(pki ? ['  tls:', `    certificate: ${pki.certFile}`, `    key: ${pki.keyFile}`] : []),
  ];
  if (o.auth) {
    auth = { username: 'ci', password: randomBytes(12).toString('base64url') };
    const line = execFileSync(bins.htpasswd, [auth.username], {
      input: `${auth.password}\n`,
      encoding: 'utf8',
    });
    fs.writeFileSync(path.join(dir, 'htpasswd'), line, { mode: 0o600 });
    lines.push(
      'auth:',
      '  htpasswd:',
      '    realm: todo-test-registry',
      `    path: ${path.join(dir, 'htpasswd')}`,
    );
  }
  const config = path.join(dir, 'config.yml');
  fs.writeFileSync(config, `${lines.join('\n')}\n`);
  // no OpenTelemetry exporter looking for a collector
  const service = startService('registry', bins.registry, ['serve', config], {
    env: { ...process.env, OTEL_TRACES_EXPORTER: 'none', OTEL_SDK_DISABLED: 'true' },
  });
  const url = `${tls ? 'https' : 'http'}://127.0.0.1:${port}`;
  const headers = (): Record<string, string> =>
    auth
      ? { authorization: `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString('base64')}` }
      : {};
  const get = async (pathname: string) => {
    if (!tls) return fetch(`${url}${pathname}`, { headers: headers() });
    // Node's fetch cannot take a CA per request: ask curl, which can
    const r = spawnSync(
      'curl',
      [
        '-sS',
        '--cacert',
        pki?.caFile ?? '',
        '-u',
        `${auth?.username ?? ''}:${auth?.password ?? ''}`,
        '-w',
        '\n%{http_code}',
        `${url}${pathname}`,
      ],
      { encoding: 'utf8' },
    );
    const body = r.stdout.slice(0, r.stdout.lastIndexOf('\n'));
    const status = Number(r.stdout.slice(r.stdout.lastIndexOf('\n') + 1));
    return new Response(body, { status: status || 599 });
  };
  const stop = async () => {
    await service.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  };
  try {
    const deadline = Date.now() + 60_000;
    for (;;) {
      if (service.exited()) throw new Error(`the registry exited\n${service.log()}`);
      try {
        const r = await get('/v2/');
        if (r.status === 200 || r.status === 401) break;
      } catch {
        // not listening yet
      }
      if (Date.now() > deadline) throw new Error(`the registry did not answer on ${url}\n${service.log()}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  } catch (e) {
    await stop();
    throw e;
  }
  return {
    address: `localhost:${port}`,
    port,
    url,
    tls,
    ...(pki ? { caFile: pki.caFile } : {}),
    ...(auth ? { auth } : {}),
    async tags(repository) {
      const r = await get(`/v2/${repository}/tags/list`);
      if (r.status === 404) return [];
      if (!r.ok) throw new Error(`tags of ${repository}: HTTP ${r.status} ${await r.text()}`);
      return ((await r.json()) as { tags: string[] | null }).tags ?? [];
    },
    stop,
  };
}
