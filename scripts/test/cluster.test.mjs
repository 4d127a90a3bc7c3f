// @ts-check
// cluster.mjs and url.mjs: which cluster a deploy targets, and how the app is reached there.
import { describe, expect, it } from 'vitest';
import { resolveTarget } from '../lib/cluster.mjs';
import { waitForHttp } from '../lib/net.mjs';
import { minikubeNeedsTunnel, parseMinikubeProfile } from '../lib/url.mjs';
import { useTempDirs } from './helpers.mjs';

const { cfgOf } = useTempDirs();

describe('cluster target', () => {
  it('defaults to minikube with its profile as the context', () => {
    expect(resolveTarget(cfgOf({}))).toMatchObject({
      cluster: 'minikube',
      context: 'minikube',
      loader: 'minikube',
      namespace: 'todo',
    });
  });
  it('kind uses kind-<name>; current leaves the context to be read', () => {
    expect(resolveTarget(cfgOf({ CLUSTER: 'kind', KIND_CLUSTER: 'x' }))).toMatchObject({
      context: 'kind-x',
      loader: 'kind',
    });
    expect(resolveTarget(cfgOf({ CLUSTER: 'current' }))).toMatchObject({ context: null, loader: 'none' });
  });
  it('rejects unknown targets and a registry loader without a registry', () => {
    expect(() => resolveTarget(cfgOf({ CLUSTER: 'gke' }))).toThrow(/not supported/);
    expect(() => resolveTarget(cfgOf({ IMAGE_LOADER: 'registry' }))).toThrow(/IMAGE_REGISTRY/);
    expect(() => resolveTarget(cfgOf({ NAMESPACE: 'Bad_NS' }))).toThrow(/namespace/);
  });
});

describe('url', () => {
  it('needs a tunnel only for Docker/Podman drivers on macOS and Windows', () => {
    expect(minikubeNeedsTunnel('docker', 'darwin')).toBe(true);
    expect(minikubeNeedsTunnel('docker', 'win32')).toBe(true);
    expect(minikubeNeedsTunnel('docker', 'linux')).toBe(false);
    expect(minikubeNeedsTunnel('hyperkit', 'darwin')).toBe(false);
  });
  it('reads a profile from minikube profile list', () => {
    const json = JSON.stringify({
      valid: [{ Name: 'minikube', Status: 'Running', Config: { Driver: 'docker', CPUs: 2, Memory: 4096 } }],
    });
    expect(parseMinikubeProfile(json, 'minikube')).toEqual({
      name: 'minikube',
      status: 'Running',
      driver: 'docker',
      cpus: 2,
      memory: 4096,
    });
    expect(parseMinikubeProfile(json, 'other')).toBeNull();
  });
  it('waits for an HTTP answer', async () => {
    let n = 0;
    /** @type {typeof fetch} */
    const fetchImpl = async () => {
      n++;
      return new Response('', { status: n < 3 ? 503 : 200 });
    };
    const r = await waitForHttp('http://x', { timeoutMs: 2000, intervalMs: 1, fetchImpl });
    expect(r.ok).toBe(true);
    expect(n).toBe(3);
  });
});
