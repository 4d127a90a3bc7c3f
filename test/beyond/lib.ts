// Helpers of the cluster phases in phases.ts, and what the cluster needs for them: the containerd
// registry configuration for the test registry (hosts.toml), the metrics-server manifests built
// from the module's own kustomize base, reading the pipeline's timed step lines, and small
// kubectl/HTTP helpers. Pure where it can be, so phases.test.ts checks it without a cluster.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startService } from '@todo/scripts/toolkit';
import { parseAllDocuments } from 'yaml';
import { sleep, waitFor } from '../lib/wait.js';

export const HERE = path.dirname(fileURLToPath(import.meta.url));
export const METRICS_SERVER_VERSION = process.env.METRICS_SERVER_VERSION ?? 'v0.8.0';
/** The image name upstream's kustomize base uses (replaced by `images:`). */
const UPSTREAM_METRICS_IMAGE = 'gcr.io/k8s-staging-metrics-server/metrics-server';

/**
 * containerd's registry host configuration for the test registry (CRI `config_path`, e.g.
 * /etc/containerd/certs.d/<address>/hosts.toml): plain HTTP to the loopback registry, pull and
 * resolve only. No credentials here: the kubelet passes the pods' image pull Secret.
 * @param address `localhost:5000`
 */
export function containerdHostsToml(address: string): string {
  return [
    `server = "http://${address}"`,
    '',
    `[host."http://${address}"]`,
    '  capabilities = ["pull", "resolve"]',
    '',
  ].join('\n');
}

/** Seconds from the toolkit's duration format: `1.23s`, `45.0s`, `1m05s`. */
export function parseDuration(text: string): number {
  const m = /^(?:(\d+)m)?(\d+(?:\.\d+)?)s$/.exec(text.trim());
  if (!m) throw new Error(`not a duration: ${text}`);
  return Number(m[1] ?? 0) * 60 + Number(m[2]);
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: strips ANSI colours
const plain = (s: string) => s.replace(/\x1b\[[0-9;]*m/g, '');

/**
 * The pipeline's finished steps whose title matches: `✓ <title> (<duration>) — <note>`.
 * @returns title, seconds and note of each
 */
export function finishedSteps(
  output: string,
  title: RegExp,
): { title: string; seconds: number; note: string }[] {
  const out = [];
  for (const line of plain(output).split('\n')) {
    const m = /✓ (.+?) \((\d+m\d+s|\d+(?:\.\d+)?s)\)(?: — (.*))?$/.exec(line.trim());
    if (m?.[1] && title.test(m[1]))
      out.push({ title: m[1], seconds: parseDuration(m[2] ?? ''), note: m[3] ?? '' });
  }
  return out;
}

/** Runs the cached metrics-server build (binary, local image, upstream's kustomize base); returns its folder. */
export function buildMetricsServer(): { dir: string; image: string } {
  const dir = execFileSync('bash', [path.join(HERE, 'build-metrics-server.sh')], {
    encoding: 'utf8',
    env: { ...process.env, METRICS_SERVER_VERSION },
    stdio: ['ignore', 'pipe', 'inherit'],
    timeout: 3_600_000,
  })
    .trim()
    .split('\n')
    .at(-1) as string;
  return { dir, image: `todo-local/metrics-server:${METRICS_SERVER_VERSION}` };
}

/**
 * metrics-server's manifests from upstream's kustomize base (copied beside the binary), with the
 * image it runs, `--kubelet-insecure-tls` (a kubelet's serving certificate on a local cluster is
 * self-signed, not signed by the cluster CA: upstream's own test overlay does the same) and the
 * pull Secret of a registry that needs credentials. Rendered by `kubectl kustomize`, offline.
 */
export function metricsServerManifests(o: {
  baseDir: string;
  image: string;
  pullSecret?: string;
  kubectl?: string;
}): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'todo-metrics-server-'));
  try {
    fs.cpSync(o.baseDir, path.join(dir, 'base'), { recursive: true });
    const colon = o.image.lastIndexOf(':');
    const ops = [
      '- op: add\n  path: /spec/template/spec/containers/0/args/-\n  value: --kubelet-insecure-tls',
      ...(o.pullSecret
        ? [`- op: add\n  path: /spec/template/spec/imagePullSecrets\n  value: [{ name: ${o.pullSecret} }]`]
        : []),
    ];
    fs.writeFileSync(
      path.join(dir, 'kustomization.yaml'),
      [
        'apiVersion: kustomize.config.k8s.io/v1beta1',
        'kind: Kustomization',
        'resources:',
        '  - base',
        'images:',
        `  - name: ${UPSTREAM_METRICS_IMAGE}`,
        `    newName: ${o.image.slice(0, colon)}`,
        `    newTag: ${o.image.slice(colon + 1)}`,
        'patches:',
        '  - target: { kind: Deployment, name: metrics-server }',
        '    patch: |-',
        ...ops
          .join('\n')
          .split('\n')
          .map((l) => `      ${l}`),
        '',
      ].join('\n'),
    );
    return execFileSync(o.kubectl ?? 'kubectl', ['kustomize', dir], { encoding: 'utf8' });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Kubernetes objects of a multi-document YAML text. */
export function manifests(
  yaml: string,
): { kind: string; metadata: { name: string; namespace?: string }; [k: string]: unknown }[] {
  return parseAllDocuments(yaml)
    .map((d) => d.toJSON())
    .filter(Boolean);
}

/** A docker config.json body for an image pull Secret. */
export function dockerConfigJson(address: string, auth: { username: string; password: string }): string {
  const token = Buffer.from(`${auth.username}:${auth.password}`).toString('base64');
  return JSON.stringify({
    auths: { [address]: { username: auth.username, password: auth.password, auth: token } },
  });
}

export { sleep, waitFor };

/** `kubectl port-forward pod/<pod> :<port>` as a service; resolves with the local URL. */
export async function portForward(
  kubectl: readonly string[],
  namespace: string,
  pod: string,
  port: number,
): Promise<{ url: string; stop: () => Promise<void> }> {
  const [bin, ...args] = kubectl;
  const service = startService(`port-forward ${pod}`, bin ?? 'kubectl', [
    ...args,
    '--namespace',
    namespace,
    'port-forward',
    `pod/${pod}`,
    `:${port}`,
  ]);
  try {
    const m = await service.waitForOutput(/Forwarding from 127\.0\.0\.1:(\d+)/, 60_000);
    return { url: `http://127.0.0.1:${m[1]}`, stop: () => service.stop() };
  } catch (e) {
    await service.stop();
    throw new Error(`${(e as Error).message}\n${service.log()}`);
  }
}

/** The URL of the same node with another NodePort: http://127.0.0.1:30000 → http://127.0.0.1:30001. */
export function withPort(url: string, port: number): string {
  const u = new URL(url);
  u.port = String(port);
  return u.origin;
}
