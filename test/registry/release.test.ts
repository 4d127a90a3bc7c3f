// `pnpm release` against a real registry, then a deploy of that release through CHART_SOURCE:
// the images pushed with the version tag and the content-hash tag, the three charts pushed as OCI
// artifacts with the image pinned (values) and the version recorded (appVersion), rendered from
// oci:// by Helm 3 and Helm 4; a version is not released twice; `deploy` pulls the released chart
// and installs exactly it (Helm's upgrade is replaced by `helm template` with the same arguments,
// so no cluster is needed; everything else is the real Helm against the real registry).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import {
  HELMS,
  makeWorkspace,
  missingTools,
  REQUIRED,
  run,
  script,
  scriptEnv,
  type Workspace,
} from './lib.js';
import { type Registry, registryUnavailable, startRegistry } from './registry.js';

const missing = missingTools() ?? registryUnavailable();

type K8s = {
  kind: string;
  metadata: { name: string };
  type?: string;
  data?: Record<string, string>;
  // biome-ignore lint/suspicious/noExplicitAny: rendered Kubernetes objects are untyped here
  spec?: any;
};
const objects = (yaml: string) =>
  parseAllDocuments(yaml)
    .map((d) => d.toJSON() as K8s | null)
    .filter((o): o is K8s => o !== null);

/**
 * A `helm` and a `kubectl` for deploy.mjs without a cluster: the real Helm for everything (pull, registry login,
 * version), except that no release exists yet and `upgrade --install` renders with `template`,
 * the same chart, values and flags, into $RENDER_DIR/<release>.yaml.
 */
function helmWithoutCluster(dir: string, real: string): string {
  const bin = path.join(dir, 'bin');
  fs.mkdirSync(bin, { recursive: true });
  fs.writeFileSync(
    path.join(bin, 'helm'),
    `#!/usr/bin/env bash
set -u
real='${real}'
case "\${1:-}" in
  get) echo "Error: release: not found" >&2; exit 1 ;;
  list) echo '[]'; exit 0 ;;
  upgrade)
    shift 2 # upgrade --install
    rel=$1
    args=(template "$@")
    out=()
    skip=0
    for a in "\${args[@]}"; do
      if [ "$skip" = 1 ]; then skip=0; continue; fi
      case "$a" in
        --create-namespace|--atomic|--rollback-on-failure|--wait|--wait=*) ;;
        --timeout|--history-max|--labels|--kube-context) skip=1 ;;
        *) out+=("$a") ;;
      esac
    done
    exec "$real" "\${out[@]}" >"$RENDER_DIR/$rel.yaml"
    ;;
  *) exec "$real" "$@" ;;
esac
`,
    { mode: 0o755 },
  );
  // doctor's preflight asks the cluster for its nodes: one node with room for the stack
  fs.writeFileSync(
    path.join(bin, 'kubectl'),
    `#!/usr/bin/env bash
case " $* " in
  *" get nodes "*) echo '{"items":[{"status":{"allocatable":{"cpu":"4","memory":"8Gi"}}}]}' ;;
  *" version "*) echo '{"clientVersion":{"gitVersion":"v1.34.0"}}' ;;
  *) echo "kubectl (fake): $*" >&2; exit 1 ;;
esac
`,
    { mode: 0o755 },
  );
  return bin;
}

describe.skipIf(Boolean(missing) && !REQUIRED)('pnpm release, then a deploy from CHART_SOURCE', () => {
  let reg: Registry;
  let ws: Workspace;
  let source: string;
  let env: NodeJS.ProcessEnv;
  beforeAll(async () => {
    if (missing) throw new Error(`under CI=true the registry suite must run: ${missing}`);
    reg = await startRegistry({ auth: true });
    ws = makeWorkspace();
    source = `oci://${reg.address}/charts`;
    env = scriptEnv(ws, reg, { CHART_SOURCE: source });
  });
  afterAll(async () => {
    ws?.cleanup(reg ? [reg.address] : []);
    await reg?.stop();
  });

  const hash = (app: string) => (ws.images[app] ?? '').split(':')[1] ?? '';

  it('pushes each image with the version and its content hash, and the three charts', async () => {
    const r = await script('release', [], env);
    expect(r.code, r.output).toBe(0);
    expect(r.output).toContain(
      `released 0.1.0. Deploy it: CHART_SOURCE=${source} CHART_VERSION=0.1.0 pnpm turbo deploy`,
    );
    expect(r.output).not.toContain(reg.auth?.password);
    for (const app of ['backend', 'frontend']) {
      expect((await reg.tags(`todo-${app}`)).sort()).toEqual(['0.1.0', hash(app)].sort());
    }
    for (const chart of ['todo-postgres', 'todo-backend', 'todo-frontend']) {
      expect(await reg.tags(`charts/${chart}`)).toEqual(['0.1.0']);
    }
  });

  for (const h of HELMS) {
    it(`${h.label}: the released chart pins its image and records the version`, async () => {
      const dest = fs.mkdtempSync(path.join(os.tmpdir(), 'todo-released-'));
      try {
        const ref = `${source}/todo-backend`;
        const pulled = await run(
          h.bin,
          ['pull', ref, '--version', '0.1.0', '--plain-http', '--untar', '--untardir', dest],
          env,
        );
        expect(pulled.code, pulled.output).toBe(0);
        const chart = parse(fs.readFileSync(path.join(dest, 'todo-backend', 'Chart.yaml'), 'utf8'));
        expect(chart).toMatchObject({ version: '0.1.0', appVersion: '0.1.0' });
        const values = parse(fs.readFileSync(path.join(dest, 'todo-backend', 'values.yaml'), 'utf8'));
        expect(values.image).toMatchObject({
          repository: `${reg.address}/todo-backend`,
          tag: hash('backend'),
        });
        // the comments of values.yaml survive the pinning (the chart's README is generated from them)
        expect(fs.readFileSync(path.join(dest, 'todo-backend', 'values.yaml'), 'utf8')).toContain(
          '## @param image.tag',
        );

        const rendered = await run(
          h.bin,
          ['template', 'todo-frontend', `${source}/todo-frontend`, '--version', '0.1.0', '--plain-http'],
          env,
        );
        expect(rendered.code, rendered.output).toBe(0);
        const deployment = objects(rendered.output).find((o) => o.kind === 'Deployment');
        expect(deployment?.spec.template.spec.containers[0].image).toBe(
          `${reg.address}/todo-frontend:${hash('frontend')}`,
        );
      } finally {
        fs.rmSync(dest, { recursive: true, force: true });
      }
    });
  }

  it('refuses to release the same version twice', async () => {
    const r = await script('release', [], env);
    expect(r.code).toBe(6);
    expect(r.output).toMatch(/todo-backend:0\.1\.0 is already released: bump the version/);
  });

  it('deploy with CHART_SOURCE and CHART_VERSION installs the released chart, its image pinned', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'todo-deploy-released-'));
    try {
      const real = execFileSync('bash', ['-c', 'command -v helm'], { encoding: 'utf8' }).trim();
      const bin = helmWithoutCluster(dir, real);
      const deployEnv = { ...env, CHART_VERSION: '0.1.0', PATH: `${bin}:${env.PATH}`, RENDER_DIR: dir };
      const load = await script('load', ['backend'], deployEnv);
      expect(load.code, load.output).toBe(0);
      expect(load.output).toContain('nothing to load, the released charts of CHART_SOURCE pin their images');

      const r = await script('deploy', ['todo-backend'], deployEnv);
      expect(r.code, r.output).toBe(0);
      expect(r.output).toContain(`chart todo-backend`);
      expect(r.output).toContain(`${source}/todo-backend:0.1.0`);
      expect(r.output).toMatch(
        /\$ helm registry login localhost:\d+ --username ci --password-stdin --plain-http/,
      );
      expect(r.output).not.toContain('image.repository');
      expect(r.output).not.toContain(reg.auth?.password);
      const rendered = objects(fs.readFileSync(path.join(dir, 'todo-backend.yaml'), 'utf8'));
      const pod = rendered.find((o) => o.kind === 'Deployment')?.spec.template.spec;
      expect(pod.containers[0].image).toBe(`${reg.address}/todo-backend:${hash('backend')}`);
      // the registry's credentials reached the cluster as an image pull Secret, from the values file
      expect(pod.imagePullSecrets).toEqual([{ name: 'todo-backend-registry' }]);
      const secret = rendered.find((o) => o.metadata.name === 'todo-backend-registry');
      expect(secret?.type).toBe('kubernetes.io/dockerconfigjson');
      const config = JSON.parse(Buffer.from(secret?.data?.['.dockerconfigjson'] ?? '', 'base64').toString());
      expect(config.auths[reg.address]).toMatchObject({ username: 'ci', password: reg.auth?.password });

      const unknown = await script('deploy', ['todo-backend'], { ...deployEnv, CHART_VERSION: '9.9.9' });
      expect(unknown.code).toBe(2);
      expect(unknown.output).toContain('version 9.9.9 is not in the registry: release it first');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
