// The decisions behind the registry path, charts as OCI artifacts and releases, as pure functions:
// which registries Helm talks plain HTTP to, what CHART_SOURCE accepts, which values carry the
// registry's credentials and the database's CA, how a released chart pins its image, and the one
// version of a release. test/registry runs them against a real registry.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { chartSource, helmRegistryFlags } from '../lib/chart-source.mjs';
import { resolveTarget } from '../lib/cluster.mjs';
import { isLoopbackHost } from '../lib/net.mjs';
import { pinImage, releaseVersion } from '../lib/release.mjs';
import { chartValues, pullSecretValues, registryHost } from '../lib/values.mjs';
import { useTempDirs } from './helpers.mjs';

/** Configuration from these variables only (no .env, no process environment). */
const { cfgOf } = useTempDirs();

describe('registries and chart sources', () => {
  it('loopback registries are plain HTTP by default, others not, and REGISTRY_PLAIN_HTTP decides when set', () => {
    for (const h of ['localhost:5000', '127.0.0.1:5000', '127.1.2.3', '[::1]:5000', 'localhost'])
      expect(isLoopbackHost(h), h).toBe(true);
    for (const h of ['ghcr.io', 'registry.local:5000', 'localhost.example.com', '10.0.0.1:5000'])
      expect(isLoopbackHost(h), h).toBe(false);
    expect(helmRegistryFlags(cfgOf({}), 'oci://localhost:5000/charts')).toEqual(['--plain-http']);
    expect(helmRegistryFlags(cfgOf({}), 'oci://ghcr.io/acme')).toEqual([]);
    expect(helmRegistryFlags(cfgOf({ REGISTRY_PLAIN_HTTP: 'false' }), 'oci://localhost:5000')).toEqual([]);
    expect(helmRegistryFlags(cfgOf({ REGISTRY_PLAIN_HTTP: 'true' }), 'oci://reg.lan:5000')).toEqual([
      '--plain-http',
    ]);
    expect(() => helmRegistryFlags(cfgOf({ REGISTRY_CA_FILE: '/nonexistent/ca.crt' }), 'oci://x')).toThrow(
      /REGISTRY_CA_FILE/,
    );
  });

  it('CHART_SOURCE is an oci:// repository (a trailing slash is dropped), or unset', () => {
    expect(chartSource(cfgOf({}))).toBeNull();
    expect(chartSource(cfgOf({ CHART_SOURCE: 'oci://ghcr.io/acme/charts/' }))).toBe(
      'oci://ghcr.io/acme/charts',
    );
    expect(() => chartSource(cfgOf({ CHART_SOURCE: 'https://charts.example.com' }))).toThrow(
      /not an OCI repository/,
    );
    expect(() => chartSource(cfgOf({ CHART_SOURCE: 'ghcr.io/acme' }))).toThrow(/oci:\/\//);
  });

  it('registry credentials: for the host of IMAGE_REGISTRY, both or neither', () => {
    expect(registryHost('ghcr.io/acme/x')).toBe('ghcr.io');
    expect(registryHost('oci://localhost:5000/charts')).toBe('localhost:5000');
    expect(pullSecretValues(cfgOf({ IMAGE_REGISTRY: 'ghcr.io/acme' }))).toEqual({});
    expect(
      pullSecretValues(
        cfgOf({ IMAGE_REGISTRY: 'ghcr.io/acme', REGISTRY_USERNAME: 'ci', REGISTRY_PASSWORD: 'pw' }),
      ),
    ).toEqual({
      'imageCredentials.registry': 'ghcr.io',
      'imageCredentials.username': 'ci',
      'imageCredentials.password': 'pw',
    });
    expect(() => resolveTarget(cfgOf({ REGISTRY_USERNAME: 'ci' }))).toThrow(/go together/);
    expect(
      resolveTarget(
        cfgOf({
          IMAGE_LOADER: 'registry',
          IMAGE_REGISTRY: 'r:5000',
          REGISTRY_USERNAME: 'u',
          REGISTRY_PASSWORD: 'p',
        }),
      ).registryAuth,
    ).toEqual({ username: 'u', password: 'p' });
  });

  it('a released chart: no app image values from this tree; the credentials and the CA stay out of the command line', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'values-'));
    try {
      const ca = path.join(root, 'ca.crt');
      fs.writeFileSync(ca, '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n');
      const cfg = cfgOf({
        CLUSTER: 'current',
        IMAGE_LOADER: 'registry',
        IMAGE_REGISTRY: 'localhost:5000',
        REGISTRY_USERNAME: 'ci',
        REGISTRY_PASSWORD: 'pw',
        DATABASE_URL: 'postgres://u:p@db/x?sslmode=verify-full',
        PGSSLROOTCERT: ca,
      });
      const v = chartValues('todo-backend', cfg, resolveTarget(cfg), { root, released: true });
      expect(v.images).toEqual([]);
      expect(v.set).not.toHaveProperty('image.repository');
      expect(Object.keys(v.secret).sort()).toEqual([
        'database.tls.caCert',
        'database.url',
        'imageCredentials.password',
        'imageCredentials.registry',
        'imageCredentials.username',
      ]);
      expect(JSON.stringify(v.set)).not.toMatch(/pw|BEGIN CERTIFICATE/);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});

describe('releases', () => {
  it('pins the released image in values.yaml and keeps its comments', () => {
    const text = [
      'image:',
      '  ## @param image.repository Backend image repository',
      '  ##',
      '  repository: todo-backend',
      '  ## @param image.tag Image tag',
      '  tag: ""',
      '  pullPolicy: IfNotPresent',
      '',
    ].join('\n');
    const out = pinImage(text, { repository: 'ghcr.io/acme/todo-backend', tag: '0123456789ab' });
    expect(out).toContain('repository: ghcr.io/acme/todo-backend');
    expect(out).toContain('tag: "0123456789ab"');
    expect(out).toContain('## @param image.tag Image tag');
    expect(out).toContain('pullPolicy: IfNotPresent');
  });

  it('the release version is the one every app and chart carries (this repository: in step)', () => {
    expect(releaseVersion()).toMatch(/^\d+\.\d+\.\d+/);
  });
});
