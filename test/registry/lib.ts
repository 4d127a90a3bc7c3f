// Helpers of the registry suite: a throwaway copy of the repository's charts with image tag files
// naming small local images (so the pipeline's scripts run for real against a real registry
// without building the apps), the environment those scripts get (Docker and Helm keep their
// registry logins in temporary folders, never in the machine's own), and the tools' availability.
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRunner, REPO_ROOT } from '@todo/scripts/toolkit';
import type { Registry } from './registry.js';

export { REPO_ROOT };
export const REQUIRED = process.env.CI === 'true';

/** Helm binaries of the chart suite (helm3, helm4); `helm` on PATH is what the pipeline runs. */
export const HELMS = [
  { label: 'helm3', bin: process.env.HELM3_BIN ?? 'helm3' },
  { label: 'helm4', bin: process.env.HELM4_BIN ?? 'helm4' },
];

/** What keeps the suite from running here (undefined: nothing). */
export function missingTools(): string | undefined {
  const docker = spawnSync('docker', ['info', '--format', '{{.ServerVersion}}'], { encoding: 'utf8' });
  if (docker.status !== 0) return `no Docker engine (${docker.stderr.trim() || docker.error?.message})`;
  for (const h of [...HELMS, { label: 'helm', bin: 'helm' }]) {
    if (spawnSync(h.bin, ['version', '--short'], { encoding: 'utf8' }).status !== 0)
      return `${h.bin} is not installed`;
  }
  return undefined;
}

export interface Workspace {
  /** TODO_REPO_ROOT for the scripts: charts/ copied (with their packaged library), apps/<app>/.image/tag */
  root: string;
  /** app → `todo-<app>:<hash>` of a small local image */
  images: Record<string, string>;
  /** a folder for Docker's and Helm's client configuration (logins) */
  home: string;
  /** Removes the workspace and its images, and every local tag of the given registries. */
  cleanup(registries?: string[]): void;
}

/**
 * A repository root the scripts can run in: the charts as they are (run the chart:deps task
 * first), and for each app a few-byte image, tagged as scripts/image.mjs would tag it.
 */
export function makeWorkspace(): Workspace {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'todo-registry-ws-'));
  const home = path.join(root, '.home');
  fs.mkdirSync(path.join(home, 'docker'), { recursive: true });
  for (const name of fs.readdirSync(path.join(REPO_ROOT, 'charts'))) {
    fs.cpSync(path.join(REPO_ROOT, 'charts', name), path.join(root, 'charts', name), {
      recursive: true,
      filter: (f) => !/[/\\](node_modules|\.turbo)$/.test(f),
    });
  }
  const images: Record<string, string> = {};
  for (const app of ['backend', 'frontend']) {
    fs.cpSync(
      path.join(REPO_ROOT, 'apps', app, 'package.json'),
      path.join(root, 'apps', app, 'package.json'),
    );
    const hash = randomBytes(6).toString('hex');
    const ref = `todo-${app}:${hash}`;
    const content = fs.mkdtempSync(path.join(os.tmpdir(), 'todo-tiny-image-'));
    fs.writeFileSync(path.join(content, 'app.txt'), `${app} ${hash}\n`);
    execFileSync('docker', ['import', '-', ref], { input: execFileSync('tar', ['-C', content, '-c', '.']) });
    fs.rmSync(content, { recursive: true, force: true });
    fs.mkdirSync(path.join(root, 'apps', app, '.image'), { recursive: true });
    fs.writeFileSync(path.join(root, 'apps', app, '.image', 'tag'), `${ref}\n`);
    images[app] = ref;
  }
  return {
    root,
    images,
    home,
    cleanup(registries = []) {
      const refs = spawnSync('docker', ['images', '--format', '{{.Repository}}:{{.Tag}}'], {
        encoding: 'utf8',
      })
        .stdout.split('\n')
        .filter(
          (r) => Object.values(images).includes(r) || registries.some((reg) => r.startsWith(`${reg}/`)),
        );
      if (refs.length) spawnSync('docker', ['rmi', '--force', ...refs]);
      fs.rmSync(root, { recursive: true, force: true });
    },
  };
}

/** The environment the pipeline's scripts get here: this workspace, this registry, its own logins. */
export function scriptEnv(
  ws: Workspace,
  reg: Registry,
  extra: Record<string, string> = {},
): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    TODO_REPO_ROOT: ws.root,
    DOCKER_CONFIG: path.join(ws.home, 'docker'),
    HELM_REGISTRY_CONFIG: path.join(ws.home, 'helm-registry.json'),
    HELM_CACHE_HOME: path.join(ws.home, 'helm-cache'),
    CLUSTER: 'current',
    KUBE_CONTEXT: 'registry-suite',
    NAMESPACE: 'todo',
    IMAGE_LOADER: 'registry',
    IMAGE_REGISTRY: reg.address,
    NO_COLOR: '1',
    ...(reg.auth ? { REGISTRY_USERNAME: reg.auth.username, REGISTRY_PASSWORD: reg.auth.password } : {}),
    ...extra,
  };
  // the developer's own settings must not leak in
  for (const k of ['CHART_SOURCE', 'CHART_VERSION', 'DATABASE_URL', 'PGSSLROOTCERT', 'POSTGRES_IMAGE']) {
    if (!(k in extra)) delete env[k];
  }
  return env;
}

const runner = createRunner({ cwd: REPO_ROOT });

export interface Ran {
  code: number;
  output: string;
  ms: number;
}

/** Runs a pipeline script (`scripts/<name>.mjs`) with `env`. */
export async function script(name: string, args: string[], env: NodeJS.ProcessEnv): Promise<Ran> {
  const r = await runner.run(process.execPath, [path.join(REPO_ROOT, 'scripts', `${name}.mjs`), ...args], {
    env,
    timeoutMs: 600_000,
  });
  return { code: r.exitCode, output: `${r.stdout}${r.stderr}`, ms: r.ms };
}

/** Runs a command; `input` on stdin. */
export async function run(bin: string, args: string[], env: NodeJS.ProcessEnv, input?: string): Promise<Ran> {
  const r = await runner.run(bin, args, {
    env,
    timeoutMs: 300_000,
    ...(input !== undefined ? { input } : {}),
  });
  return { code: r.exitCode, output: `${r.stdout}${r.stderr}`, ms: r.ms };
}
