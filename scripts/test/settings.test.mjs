// @ts-check
// env.mjs and settings.mjs: the configuration read from .env and the environment, and the
// registry of settings behind it.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { helpText } from '../lib/args.mjs';
import { isSecretKey, loadConfig } from '../lib/env.mjs';
import { REPO_ROOT } from '../lib/repo.mjs';
import { DEFAULTS, SECRET_NAMES, SETTINGS } from '../lib/settings.mjs';
import { useTempDirs } from './helpers.mjs';

const { tmpdir, cfgOf } = useTempDirs();

describe('env', () => {
  it('reads .env with dotenv, lets the environment win, and collects secrets', () => {
    const root = tmpdir();
    fs.writeFileSync(
      path.join(root, '.env'),
      'NAMESPACE=fromfile\nOPENAI_API_KEY=sk-file-key-123\nDATABASE_URL=postgres://u:p%40ssword9@h/db\nEMPTY=\n',
    );
    const cfg = loadConfig({ root, env: { NAMESPACE: 'fromenv' } });
    expect(cfg.get('NAMESPACE')).toBe('fromenv');
    expect(cfg.get('CLUSTER')).toBe('minikube');
    expect(cfg.get('EMPTY')).toBeUndefined();
    expect(cfg.secrets.has('sk-file-key-123')).toBe(true);
    expect(cfg.secrets.has('p@ssword9')).toBe(true);
    expect(process.env.OPENAI_API_KEY).not.toBe('sk-file-key-123');
  });
  it('works with no .env at all', () => {
    expect(cfgOf({}).get('MINIKUBE_CPUS')).toBe('2');
  });
  it('treats credential-looking names as secrets', () => {
    expect(isSecretKey('OPENAI_API_KEY')).toBe(true);
    expect(isSecretKey('REGISTRY_TOKEN')).toBe(true);
    expect(isSecretKey('NAMESPACE')).toBe(false);
  });
});

describe('settings registry', () => {
  it('knows every setting the scripts read', () => {
    const read = new Set();
    const walk = (/** @type {string} */ dir) => {
      for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
        const p = path.join(dir, e.name);
        if (e.isDirectory() && !['node_modules', 'test'].includes(e.name)) walk(p);
        else if (e.name.endsWith('.mjs'))
          for (const m of fs.readFileSync(p, 'utf8').matchAll(/cfg\.(?:get|require)\('([A-Z0-9_]+)'\)/g))
            read.add(m[1]);
      }
    };
    walk(path.join(REPO_ROOT, 'scripts'));
    expect(read.size).toBeGreaterThan(15);
    const names = SETTINGS.map((s) => s.name);
    expect([...read].filter((n) => !names.includes(n))).toEqual([]);
  });
  it('derives the defaults and the secrets', () => {
    expect(DEFAULTS).toMatchObject({ MINIKUBE_PROFILE: 'minikube', HELM_TIMEOUT: '5m0s', NAMESPACE: 'todo' });
    expect(SECRET_NAMES).toEqual(
      expect.arrayContaining(['OPENAI_API_KEY', 'DATABASE_URL', 'BETTER_AUTH_SECRET']),
    );
    expect(cfgOf({}).get('HELM_TIMEOUT')).toBe('5m0s');
  });
  it("lists a script's settings in its help, with their defaults", () => {
    const text = helpText({ name: 'deploy', summary: 's', usage: 't' });
    expect(text).toMatch(/HELM_TIMEOUT +how long one release .* \(default: 5m0s\)/);
    expect(text).toContain('OPENAI_API_KEY (secret)');
    expect(helpText({ name: 'nothing', summary: 's', usage: 't' })).not.toContain('Environment');
  });
});
