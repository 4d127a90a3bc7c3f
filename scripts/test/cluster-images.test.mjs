// @ts-check
// cluster-images.mjs: image references, and loading an image into the cluster per loader.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveTarget } from '../lib/cluster.mjs';
import {
  clusterImageRef,
  ensureImage,
  imageFileName,
  listingHasImage,
  normalizeImageRef,
  readImageTag,
  splitImageRef,
} from '../lib/cluster-images.mjs';
import { fakeRunner, useTempDirs } from './helpers.mjs';

const { tmpdir, cfgOf } = useTempDirs();

describe('image references', () => {
  it('splits and normalizes references', () => {
    expect(splitImageRef('localhost:5000/todo-backend:abc')).toEqual({
      repository: 'localhost:5000/todo-backend',
      tag: 'abc',
    });
    expect(splitImageRef('todo-local/postgres')).toEqual({
      repository: 'todo-local/postgres',
      tag: 'latest',
    });
    expect(normalizeImageRef('todo-backend:abc')).toBe('docker.io/library/todo-backend:abc');
    expect(normalizeImageRef('todo-local/postgres:15')).toBe('docker.io/todo-local/postgres:15');
  });
  it('finds an image in minikube, crictl JSON and ctr listings', () => {
    expect(listingHasImage('docker.io/library/todo-backend:abc\n', 'todo-backend:abc')).toBe(true);
    expect(listingHasImage('docker.io/library/todo-backend:abd\n', 'todo-backend:abc')).toBe(false);
    expect(
      listingHasImage('{"images":[{"repoTags":["docker.io/library/todo-frontend:1"]}]}', 'todo-frontend:1'),
    ).toBe(true);
    expect(
      listingHasImage('IMAGE TAG ID SIZE\ndocker.io/library/todo-frontend 1 abc 10MB', 'todo-frontend:1'),
    ).toBe(true);
  });
  it('reads the tag file and refuses latest', () => {
    const root = tmpdir();
    expect(() => readImageTag('backend', root)).toThrow(/pnpm turbo image --filter backend/);
    fs.mkdirSync(path.join(root, 'apps/backend/.image'), { recursive: true });
    fs.writeFileSync(path.join(root, 'apps/backend/.image/tag'), 'todo-backend:0123456789ab\n');
    expect(readImageTag('backend', root)).toBe('todo-backend:0123456789ab');
    fs.writeFileSync(path.join(root, 'apps/backend/.image/tag'), 'todo-backend:latest\n');
    expect(() => readImageTag('backend', root)).toThrow(/content hash/);
  });
  it('prefixes the registry for IMAGE_LOADER=registry', () => {
    const t = resolveTarget(cfgOf({ IMAGE_LOADER: 'registry', IMAGE_REGISTRY: 'reg:5000/' }));
    expect(clusterImageRef(t, 'todo-backend:1')).toBe('reg:5000/todo-backend:1');
  });
});

describe('ensureImage per loader', () => {
  it('minikube: loads only a missing tag', async () => {
    const t = resolveTarget(cfgOf({}));
    const r1 = fakeRunner({
      'minikube -p minikube image ls': { stdout: 'docker.io/library/todo-backend:aaa\n' },
    });
    expect(await ensureImage(t, /** @type {any} */ (r1), 'todo-backend:aaa')).toMatch(
      /already in the cluster/,
    );
    expect(r1.calls.some((c) => c.includes('image load'))).toBe(false);
    const r2 = fakeRunner({
      'minikube -p minikube image ls': { stdout: 'docker.io/library/todo-backend:old\n' },
    });
    expect(await ensureImage(t, /** @type {any} */ (r2), 'todo-backend:aaa')).toBe('loaded todo-backend:aaa');
    const [save, load] = r2.calls.slice(1);
    const tarball = /^docker save --output (\S+\/todo-backend\.tar) todo-backend:aaa$/.exec(save ?? '')?.[1];
    expect(tarball, save).toBeDefined();
    expect(load).toBe(`minikube -p minikube image load ${tarball}`);
  });
  it('minikube: the tarball is ours, in a private folder that is gone afterwards, also on failure', async () => {
    const t = resolveTarget(cfgOf({}));
    for (const ok of [true, false]) {
      /** @type {string[]} */
      const seen = [];
      const r = fakeRunner({
        'minikube -p minikube image load': { ok, exitCode: ok ? 0 : 1, stderr: 'boom' },
      });
      const run = r.run;
      r.run = async (bin, args) => {
        const tarball = bin === 'docker' && args[0] === 'save' ? args[2] : undefined;
        if (tarball) {
          const dir = path.dirname(tarball);
          seen.push(dir);
          expect(path.basename(dir)).toMatch(new RegExp(`^todo-image-${process.pid}-`));
          expect(fs.statSync(dir).mode & 0o777).toBe(0o700);
        }
        return run(bin, args);
      };
      const loading = ensureImage(t, /** @type {any} */ (r), 'todo-local/postgres:17-trixie');
      if (ok) await loading;
      else await expect(loading).rejects.toThrow(/boom/);
      expect(seen).toHaveLength(1);
      expect(r.calls.at(-2)).toMatch(/\/postgres\.tar todo-local\/postgres:17-trixie$/);
      expect(fs.existsSync(seen[0] ?? '')).toBe(false);
    }
  });
  it('names the tarball after the image, without registry, tag or digest', () => {
    expect(imageFileName('localhost:5000/acme/todo-backend:abc')).toBe('todo-backend');
    expect(imageFileName('todo-frontend@sha256:0123')).toBe('todo-frontend');
    expect(imageFileName('postgres')).toBe('postgres');
  });
  it('kind: checks every node and loads into the named cluster', async () => {
    const t = resolveTarget(cfgOf({ CLUSTER: 'kind', KIND_CLUSTER: 'dev' }));
    const r = fakeRunner({
      'kind get nodes': { stdout: 'dev-control-plane\ndev-worker\n' },
      'docker exec dev-worker': { stdout: '{"images":[]}' },
    });
    await ensureImage(t, /** @type {any} */ (r), 'todo-frontend:bbb');
    expect(r.calls).toContain('kind load docker-image todo-frontend:bbb --name dev');
  });
  it('containerd: docker save | ctr import into k8s.io through the configured socket', async () => {
    const t = resolveTarget(
      cfgOf({ CLUSTER: 'current', IMAGE_LOADER: 'containerd', CONTAINERD_ADDRESS: '/x.sock' }),
    );
    const r = fakeRunner({});
    await ensureImage(t, /** @type {any} */ (r), 'todo-frontend:bbb');
    expect(r.calls).toEqual([
      'ctr --address /x.sock --namespace k8s.io images ls --quiet',
      'docker save todo-frontend:bbb | ctr --address /x.sock --namespace k8s.io images import -',
    ]);
  });
  it('a failed load names the cause and the fix', async () => {
    const t = resolveTarget(cfgOf({}));
    const r = fakeRunner({
      'docker save --output': {
        ok: false,
        exitCode: 1,
        stderr: 'Error: No such image: todo-backend:aaa',
      },
    });
    await expect(ensureImage(t, /** @type {any} */ (r), 'todo-backend:aaa')).rejects.toThrow(
      /pnpm turbo image --force/,
    );
  });
  it('none: asks nothing', async () => {
    const t = resolveTarget(cfgOf({ CLUSTER: 'current' }));
    const r = fakeRunner({});
    expect(await ensureImage(t, /** @type {any} */ (r), 'x:1')).toMatch(/IMAGE_LOADER=none/);
    expect(r.calls).toEqual([]);
  });
});
