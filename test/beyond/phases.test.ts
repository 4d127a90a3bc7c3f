// The cluster phases' helpers, without a cluster: the containerd registry configuration, the
// pipeline's step lines as the phases read them (push times), and metrics-server's manifests
// rendered from the module's own kustomize base by `kubectl kustomize` (offline).
import { execFileSync, spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  containerdHostsToml,
  dockerConfigJson,
  finishedSteps,
  METRICS_SERVER_VERSION,
  manifests,
  metricsServerManifests,
  parseDuration,
  withPort,
} from './lib.js';

// the module's manifests only (no build): `go mod download` fetches the source
const go = spawnSync('bash', ['-c', 'PATH="$PATH:/usr/local/go/bin" command -v go'], { encoding: 'utf8' });
const noGo = go.status !== 0 && process.env.CI !== 'true';
if (noGo) console.warn('\n!!! no Go: the metrics-server manifest check is SKIPPED\n');

describe('what the cluster phases read and write', () => {
  it('containerd reaches the loopback registry over plain HTTP, pull and resolve only', () => {
    expect(containerdHostsToml('localhost:5000')).toBe(
      'server = "http://localhost:5000"\n\n[host."http://localhost:5000"]\n  capabilities = ["pull", "resolve"]\n',
    );
  });

  it("reads push times from the pipeline's step lines, through turbo's prefixes and colours", () => {
    const output = [
      'backend:load: ▸ image todo-backend:3f2a9c1d7e4b in the cluster',
      'backend:load: \x1b[32m✓\x1b[0m image todo-backend:3f2a9c1d7e4b in the cluster \x1b[2m(12.34s)\x1b[0m — pushed localhost:5000/todo-backend:3f2a9c1d7e4b',
      'frontend:load: ✓ image todo-frontend:0a1b2c3d4e5f in the cluster (1m05s) — pushed localhost:5000/todo-frontend:0a1b2c3d4e5f',
      'todo-backend:deploy: ✓ image todo-backend:3f2a9c1d7e4b in the cluster (0.41s) — localhost:5000/todo-backend:3f2a9c1d7e4b already in the registry, not pushed',
      'todo-backend:deploy: ✓ helm upgrade --install todo-backend (chart, values or image changed) (20.1s) — deployed (5m0s budget)',
    ].join('\n');
    const pushes = finishedSteps(output, /^image .* in the cluster$/).filter((s) =>
      s.note.startsWith('pushed '),
    );
    expect(pushes.map((s) => s.seconds)).toEqual([12.34, 65]);
    expect(parseDuration('45.0s')).toBe(45);
    expect(() => parseDuration('soon')).toThrow();
  });

  it('pull Secret bodies and NodePort URLs', () => {
    const config = JSON.parse(dockerConfigJson('localhost:5000', { username: 'ci', password: 'p' }));
    expect(config.auths['localhost:5000']).toEqual({ username: 'ci', password: 'p', auth: 'Y2k6cA==' });
    expect(withPort('http://127.0.0.1:30000', 30001)).toBe('http://127.0.0.1:30001');
  });

  it("metrics-server's manifests: upstream's base, our image and pull Secret, --kubelet-insecure-tls", () => {
    // the module's manifests only (no build): `go mod download` fetches the source
    const go = spawnSync('bash', ['-c', 'PATH="$PATH:/usr/local/go/bin" command -v go'], {
      encoding: 'utf8',
    });
    if (go.status !== 0 && process.env.CI !== 'true') return;
    const dir = JSON.parse(
      execFileSync(
        go.stdout.trim(),
        ['mod', 'download', '-json', `sigs.k8s.io/metrics-server@${METRICS_SERVER_VERSION}`],
        {
          encoding: 'utf8',
          env: { ...process.env, GONOSUMDB: 'sigs.k8s.io/metrics-server', GOFLAGS: '-mod=mod' },
          cwd: '/',
          timeout: 600_000,
        },
      ),
    ).Dir as string;
    const objects = manifests(
      metricsServerManifests({
        baseDir: path.join(dir, 'manifests', 'base'),
        image: 'localhost:5000/todo-local/metrics-server:v0.8.0',
        pullSecret: 'todo-test-registry',
      }),
    );
    expect(objects.map((o) => o.kind).sort()).toEqual(
      [
        'APIService',
        'ClusterRole',
        'ClusterRole',
        'ClusterRoleBinding',
        'ClusterRoleBinding',
        'Deployment',
        'RoleBinding',
        'Service',
        'ServiceAccount',
      ].sort(),
    );
    // biome-ignore lint/suspicious/noExplicitAny: a rendered Deployment
    const deployment = objects.find((o) => o.kind === 'Deployment') as any;
    const pod = deployment.spec.template.spec;
    expect(pod.containers[0].image).toBe('localhost:5000/todo-local/metrics-server:v0.8.0');
    expect(pod.containers[0].args).toContain('--kubelet-insecure-tls');
    expect(pod.imagePullSecrets).toEqual([{ name: 'todo-test-registry' }]);
    expect(deployment.metadata.namespace).toBe('kube-system');
  });
});
