// Charts as OCI artifacts, with Helm 3 and Helm 4 against real registries: packaged, pushed after
// a `helm registry login` (password on stdin), pulled, shown and rendered straight from oci://;
// plain HTTP on loopback, and HTTPS with a throwaway CA that Helm trusts with --ca-file.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { HELMS, makeWorkspace, missingTools, REQUIRED, run, type Workspace } from './lib.js';
import { type Registry, registryUnavailable, startRegistry } from './registry.js';

const missing = missingTools() ?? registryUnavailable();

type K8s = { kind: string; metadata: { name: string }; spec?: unknown };
const objects = (yaml: string) =>
  parseAllDocuments(yaml)
    .map((d) => d.toJSON() as K8s | null)
    .filter((o): o is K8s => o !== null);
const names = (yaml: string) => objects(yaml).map((o) => `${o.kind}/${o.metadata.name}`);

describe.skipIf(Boolean(missing) && !REQUIRED)('charts as OCI artifacts (Helm 3 and Helm 4)', () => {
  let plain: Registry;
  let secure: Registry;
  let ws: Workspace;
  let packages: string;
  beforeAll(async () => {
    if (missing) throw new Error(`under CI=true the registry suite must run: ${missing}`);
    [plain, secure] = await Promise.all([
      startRegistry({ auth: true }),
      startRegistry({ tls: true, auth: true }),
    ]);
    ws = makeWorkspace();
    packages = fs.mkdtempSync(path.join(os.tmpdir(), 'todo-chart-packages-'));
  });
  afterAll(async () => {
    ws?.cleanup();
    fs.rmSync(packages, { recursive: true, force: true });
    await Promise.all([plain?.stop(), secure?.stop()]);
  });

  for (const h of HELMS) {
    describe(h.label, () => {
      const env = () => ({
        ...process.env,
        HELM_REGISTRY_CONFIG: path.join(ws.home, `${h.label}-registry.json`),
        HELM_CACHE_HOME: path.join(ws.home, `${h.label}-cache`),
      });
      const helm = (args: string[], input?: string) => run(h.bin, args, env(), input);
      const login = (reg: Registry, flags: string[]) =>
        helm(
          [
            'registry',
            'login',
            reg.address,
            '--username',
            reg.auth?.username ?? '',
            '--password-stdin',
            ...flags,
          ],
          reg.auth?.password,
        );

      it('package → login → push → pull → template oci://, over plain HTTP on loopback', async () => {
        const out = path.join(packages, h.label);
        const pack = await helm([
          'package',
          path.join(ws.root, 'charts', 'todo-backend'),
          '--destination',
          out,
        ]);
        expect(pack.code, pack.output).toBe(0);
        const file = path.join(out, 'todo-backend-0.1.0.tgz');
        const repo = `oci://${plain.address}/${h.label}/charts`;

        // without a login the registry refuses the push
        const anonymous = await helm(['push', file, repo, '--plain-http']);
        expect(anonymous.code).not.toBe(0);
        expect(anonymous.output).toMatch(
          /unauthorized|401|authentication required|basic credential not found/i,
        );

        const loggedIn = await login(plain, ['--plain-http']);
        expect(loggedIn.code, loggedIn.output).toBe(0);
        const pushed = await helm(['push', file, repo, '--plain-http']);
        expect(pushed.code, pushed.output).toBe(0);
        expect(pushed.output).toMatch(/Digest: sha256:[0-9a-f]{64}/);
        expect(await plain.tags(`${h.label}/charts/todo-backend`)).toEqual(['0.1.0']);

        const ref = `${repo}/todo-backend`;
        const shown = await helm(['show', 'chart', ref, '--version', '0.1.0', '--plain-http']);
        expect(shown.code, shown.output).toBe(0);
        expect(shown.output).toMatch(/name: todo-backend/);

        const dest = path.join(packages, `${h.label}-pulled`);
        const pulled = await helm([
          'pull',
          ref,
          '--version',
          '0.1.0',
          '--plain-http',
          '--untar',
          '--untardir',
          dest,
        ]);
        expect(pulled.code, pulled.output).toBe(0);
        // the library chart travels inside the package
        expect(fs.readdirSync(path.join(dest, 'todo-backend', 'charts'))).toEqual(['todo-common']);

        const fromOci = await helm(['template', 'todo-backend', ref, '--version', '0.1.0', '--plain-http']);
        expect(fromOci.code, fromOci.output).toBe(0);
        const fromTree = await helm([
          'template',
          'todo-backend',
          path.join(ws.root, 'charts', 'todo-backend'),
        ]);
        expect(names(fromOci.output)).toEqual(names(fromTree.output));
      });

      it('over HTTPS with a throwaway CA: refused without --ca-file, works with it', async () => {
        const out = path.join(packages, `${h.label}-tls`);
        expect(
          (await helm(['package', path.join(ws.root, 'charts', 'todo-frontend'), '--destination', out])).code,
        ).toBe(0);
        const file = path.join(out, 'todo-frontend-0.1.0.tgz');
        const repo = `oci://${secure.address}/${h.label}/charts`;
        const untrusted = await login(secure, []);
        expect(untrusted.code).not.toBe(0);
        expect(untrusted.output).toMatch(/certificate|x509|tls/i);
        const ca = ['--ca-file', secure.caFile ?? ''];
        expect((await login(secure, ca)).code).toBe(0);
        const pushed = await helm(['push', file, repo, ...ca]);
        expect(pushed.code, pushed.output).toBe(0);
        const shown = await helm(['show', 'chart', `${repo}/todo-frontend`, '--version', '0.1.0', ...ca]);
        expect(shown.code, shown.output).toBe(0);
        expect(await secure.tags(`${h.label}/charts/todo-frontend`)).toEqual(['0.1.0']);
      });
    });
  }
});
