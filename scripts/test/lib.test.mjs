// @ts-check
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { helpText, parseCli } from '../lib/args.mjs';
import { onCleanup, runCleanups, sweepStaleTempDirs, withSecretFile } from '../lib/cleanup.mjs';
import { resolveTarget } from '../lib/cluster.mjs';
import {
  clusterImageRef,
  listingHasImage,
  normalizeImageRef,
  readImageTag,
  splitImageRef,
} from '../lib/cluster-images.mjs';
import { analyzePod } from '../lib/diagnose.mjs';
import { archiveEntries, canonicalJson, chartFiles, deployDigest } from '../lib/digest.mjs';
import { versionIn } from '../lib/doctor/tools.mjs';
import { isSecretKey, loadConfig } from '../lib/env.mjs';
import { ScriptError } from '../lib/errors.mjs';
import { createRunner } from '../lib/exec.mjs';
import { safetyFlags, upgradeArgs } from '../lib/helm.mjs';
import { createLog, formatCommand, formatDuration, redact } from '../lib/log.mjs';
import { waitForHttp } from '../lib/net.mjs';
import { inRootfs } from '../lib/rootfs.mjs';
import { minikubeNeedsTunnel, parseMinikubeProfile } from '../lib/url.mjs';
import { chartValues, nest, postgresImageToLoad, splitList } from '../lib/values.mjs';

const made = /** @type {string[]} */ ([]);
function tmpdir() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'scripts-test-'));
  made.push(dir);
  return dir;
}
afterAll(() => {
  for (const d of made) fs.rmSync(d, { recursive: true, force: true });
});

/** A sink that records what the logger writes. */
function sink() {
  const lines = /** @type {string[]} */ ([]);
  return { lines, write: (/** @type {string} */ s) => lines.push(s) };
}

/** @param {Record<string, string>} vars */
function cfgOf(vars, root = tmpdir()) {
  return loadConfig({ root, env: vars });
}

describe('log', () => {
  it('redacts every secret, longest first, and ignores very short values', () => {
    expect(redact('key=abcd1234 and abcd', ['abcd', 'abcd1234'])).toBe('key=*** and ***');
    expect(redact('a b c', ['b'])).toBe('a b c');
  });

  it('formats durations and shell-quotes commands for display', () => {
    expect(formatDuration(1234)).toBe('1.23s');
    expect(formatDuration(65_000)).toBe('1m05s');
    expect(formatCommand('helm', ['upgrade', 'a b', "it's"])).toBe(`helm upgrade 'a b' 'it'\\''s'`);
  });

  it('prints a start and a timed end line per step, with a note', async () => {
    const out = sink();
    const log = createLog({ out, err: out, color: false });
    const r = await log.step(
      'load image',
      async () => 42,
      (n) => `got ${n}`,
    );
    expect(r).toBe(42);
    expect(out.lines[0]).toBe('▸ load image\n');
    expect(out.lines[1]).toMatch(/^✓ load image \(\d\.\d\ds\) — got 42\n$/);
  });

  it('marks a failed step and rethrows', async () => {
    const out = sink();
    const log = createLog({ out, err: out, color: false });
    await expect(log.step('x', () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(out.lines[1]).toMatch(/^✗ x \(/);
  });

  it('never prints a registered secret', () => {
    const out = sink();
    const log = createLog({ out, err: out, color: false });
    log.addSecret('sk-very-secret');
    log.command('helm', ['--set', 'x=sk-very-secret']);
    log.problem('failed with sk-very-secret');
    expect(out.lines.join('')).not.toContain('sk-very-secret');
  });
});

describe('args', () => {
  const spec = {
    name: 't',
    summary: 's',
    usage: 't <chart>',
    positionals: [{ name: 'chart', description: 'c', required: true, choices: ['a', 'b'] }],
    options: { yes: /** @type {const} */ ({ type: 'boolean', description: 'y' }) },
  };
  it('parses --dry-run, --verbose and own options', () => {
    const r = parseCli(spec, ['a', '--dry-run', '--yes']);
    expect(r).toMatchObject({ dryRun: true, verbose: false, positionals: ['a'] });
    expect(r.values.yes).toBe(true);
  });
  it('rejects unknown options, missing and invalid arguments with a usage error', () => {
    expect(() => parseCli(spec, ['a', '--nope'])).toThrow(ScriptError);
    expect(() => parseCli(spec, [])).toThrow(/missing argument <chart>/);
    expect(() => parseCli(spec, ['c'])).toThrow(/expected one of a, b/);
    try {
      parseCli(spec, ['c']);
    } catch (e) {
      expect(/** @type {ScriptError} */ (e).exitCode).toBe(2);
    }
  });
  it('--help skips argument validation and the help text lists the common options', () => {
    expect(parseCli(spec, ['--help']).help).toBe(true);
    const text = helpText(spec);
    expect(text).toContain('--dry-run');
    expect(text).toContain('Usage: t <chart>');
  });
});

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

describe('helm', () => {
  it('parses versions and picks the safety flags by major', () => {
    expect(versionIn('v3.18.0+gcc58e3f')).toBe('3.18.0');
    expect(versionIn('kind v0.20.0 go1.20.4 linux/amd64')).toBe('0.20.0');
    expect(safetyFlags(3)).toEqual(['--wait', '--atomic']);
    expect(safetyFlags(4)).toEqual(['--wait=watcher', '--rollback-on-failure']);
  });
  it('builds the upgrade command with strings, JSON values and the values file', () => {
    const target = resolveTarget(cfgOf({}));
    const args = upgradeArgs({
      release: 'todo-backend',
      chartPath: 'charts/todo-backend',
      target,
      major: 3,
      timeout: '5m0s',
      digest: 'abc',
      set: { 'image.tag': '123456789012', trustedOrigins: ['http://a', 'http://b'], 'x.y': 'a,b' },
      valuesFiles: ['/tmp/v.json'],
    });
    expect(args.join(' ')).toBe(
      'upgrade --install todo-backend charts/todo-backend --kube-context minikube --namespace todo --create-namespace --wait --atomic --timeout 5m0s --history-max 10 --labels todo-deploy-digest=abc --values /tmp/v.json --set-string image.tag=123456789012 --set-json trustedOrigins=["http://a","http://b"] --set-string x.y=a\\,b',
    );
  });
});

describe('digest', () => {
  it('changes with a chart file, a value or a secret, and ignores package.json/node_modules', () => {
    const dir = tmpdir();
    fs.writeFileSync(path.join(dir, 'Chart.yaml'), 'name: x\n');
    fs.mkdirSync(path.join(dir, 'templates'));
    fs.writeFileSync(path.join(dir, 'templates/a.yaml'), 'kind: A\n');
    fs.mkdirSync(path.join(dir, 'node_modules'));
    fs.writeFileSync(path.join(dir, 'node_modules/x'), '1');
    fs.writeFileSync(path.join(dir, 'package.json'), '{}');
    expect(chartFiles(dir)).toEqual(['Chart.yaml', 'templates/a.yaml']);
    const base = deployDigest({ chartDir: dir, values: { a: '1' }, secretValues: { s: 'x' } });
    expect(base).toMatch(/^[0-9a-f]{32}$/);
    expect(deployDigest({ chartDir: dir, values: { a: '1' }, secretValues: { s: 'x' } })).toBe(base);
    expect(deployDigest({ chartDir: dir, values: { a: '2' }, secretValues: { s: 'x' } })).not.toBe(base);
    expect(deployDigest({ chartDir: dir, values: { a: '1' }, secretValues: { s: 'y' } })).not.toBe(base);
    fs.writeFileSync(path.join(dir, 'package.json'), '{"version":"2"}');
    expect(deployDigest({ chartDir: dir, values: { a: '1' }, secretValues: { s: 'x' } })).toBe(base);
    fs.writeFileSync(path.join(dir, 'templates/a.yaml'), 'kind: B\n');
    expect(deployDigest({ chartDir: dir, values: { a: '1' }, secretValues: { s: 'x' } })).not.toBe(base);
  });
  it('counts a packaged dependency by its files, not its archive bytes, and ignores Chart.lock', () => {
    const dir = tmpdir();
    fs.writeFileSync(path.join(dir, 'Chart.yaml'), 'name: x\n');
    fs.mkdirSync(path.join(dir, 'charts'));
    const lib = path.join(tmpdir(), 'lib');
    fs.mkdirSync(path.join(lib, 'templates'), { recursive: true });
    fs.writeFileSync(path.join(lib, 'Chart.yaml'), 'name: lib\n');
    fs.writeFileSync(path.join(lib, 'templates', '_a.tpl'), '{{- define "a" }}a{{ end }}\n');
    /** What `helm dependency update` does: package the library into charts/, write Chart.lock. */
    const pack = (/** @type {number} */ mtime) => {
      for (const f of ['Chart.yaml', 'templates/_a.tpl']) fs.utimesSync(path.join(lib, f), mtime, mtime);
      const tgz = path.join(dir, 'charts', 'lib-0.1.0.tgz');
      const r = spawnSync('tar', ['-czf', tgz, '-C', path.dirname(lib), 'lib'], { encoding: 'utf8' });
      expect(r.status, r.stderr).toBe(0);
      fs.writeFileSync(
        path.join(dir, 'Chart.lock'),
        `generated: "${new Date(mtime * 1000).toISOString()}"\n`,
      );
      return fs.readFileSync(tgz);
    };
    const digest = () => deployDigest({ chartDir: dir, values: {}, secretValues: {} });
    const first = pack(1_700_000_000);
    const base = digest();
    expect(archiveEntries(first).map(([name, body]) => [name, body.toString()])).toEqual([
      ['lib/Chart.yaml', 'name: lib\n'],
      ['lib/templates/_a.tpl', '{{- define "a" }}a{{ end }}\n'],
    ]);
    expect(pack(1_800_000_000).equals(first)).toBe(false);
    expect(digest()).toBe(base);
    fs.writeFileSync(path.join(lib, 'templates', '_a.tpl'), '{{- define "a" }}b{{ end }}\n');
    pack(1_800_000_000);
    expect(digest()).not.toBe(base);
  });
  it('canonical JSON sorts keys', () => {
    expect(canonicalJson({ b: 1, a: [{ d: 1, c: 2 }] })).toBe('{"a":[{"c":2,"d":1}],"b":1}');
  });
});

describe('values', () => {
  it('nests dotted keys and splits lists', () => {
    expect(nest({ 'openai.apiKey': 'k', 'auth.secret': 's', x: 'y' })).toEqual({
      openai: { apiKey: 'k' },
      auth: { secret: 's' },
      x: 'y',
    });
    expect(splitList(' a, b,,c ')).toEqual(['a', 'b', 'c']);
  });
  it('puts secrets apart from the command-line values', () => {
    const root = tmpdir();
    fs.mkdirSync(path.join(root, 'apps/backend/.image'), { recursive: true });
    fs.writeFileSync(path.join(root, 'apps/backend/.image/tag'), 'todo-backend:0123456789ab\n');
    const cfg = cfgOf(
      {
        OPENAI_API_KEY: 'sk-1234',
        DATABASE_URL: 'postgres://u:p@h/d',
        TRUSTED_ORIGINS: 'http://a,http://b',
        OPENAI_MODEL: 'm',
      },
      root,
    );
    const v = chartValues('todo-backend', cfg, resolveTarget(cfg), { root });
    expect(v.set).toEqual({
      'image.repository': 'todo-backend',
      'image.tag': '0123456789ab',
      'openai.model': 'm',
      trustedOrigins: ['http://a', 'http://b'],
    });
    expect(v.secret).toEqual({ 'openai.apiKey': 'sk-1234', 'database.url': 'postgres://u:p@h/d' });
    expect(JSON.stringify(v.set)).not.toContain('sk-1234');
    // APP_URL is where users reach the app: the backend's public URL (https: Secure cookies)
    const behindIngress = cfgOf({ APP_URL: 'https://todo.example.com/board' }, root);
    expect(
      chartValues('todo-backend', behindIngress, resolveTarget(behindIngress), { root }).set,
    ).toMatchObject({
      publicUrl: 'https://todo.example.com',
    });
    const wrong = cfgOf({ APP_URL: 'todo.example.com' }, root);
    expect(() => chartValues('todo-backend', wrong, resolveTarget(wrong), { root })).toThrow(/APP_URL/);
  });
  it('loads only local-only PostgreSQL images', () => {
    expect(postgresImageToLoad(cfgOf({ POSTGRES_IMAGE: 'todo-local/postgres:17-trixie' }))).toBe(
      'todo-local/postgres:17-trixie',
    );
    expect(postgresImageToLoad(cfgOf({ POSTGRES_IMAGE: 'postgres:17-bookworm' }))).toBeNull();
    expect(postgresImageToLoad(cfgOf({ POSTGRES_IMAGE: 'postgres:17', LOAD_POSTGRES_IMAGE: 'true' }))).toBe(
      'postgres:17',
    );
  });
});

describe('secret files and cleanup', () => {
  it('writes a 0600 file in a 0700 folder and removes it afterwards, also on error', async () => {
    let seen = '';
    await withSecretFile('values.json', '{"a":"s3cret"}', async (file) => {
      seen = file;
      expect(fs.statSync(file).mode & 0o777).toBe(0o600);
      expect(fs.statSync(path.dirname(file)).mode & 0o777).toBe(0o700);
    });
    expect(fs.existsSync(seen)).toBe(false);
    await expect(
      withSecretFile('v', 'x', async (file) => {
        seen = file;
        throw new Error('fail');
      }),
    ).rejects.toThrow('fail');
    expect(fs.existsSync(seen)).toBe(false);
  });
  it('sweeps folders of dead processes only', () => {
    const dir = tmpdir();
    fs.mkdirSync(path.join(dir, 'todo-secrets-999999999-abc'));
    fs.mkdirSync(path.join(dir, `todo-secrets-${process.pid}-abc`));
    expect(sweepStaleTempDirs(dir)).toBe(1);
    expect(fs.readdirSync(dir)).toEqual([`todo-secrets-${process.pid}-abc`]);
  });
  it('runs registered cleanups once', () => {
    let n = 0;
    onCleanup(() => n++);
    runCleanups();
    runCleanups();
    expect(n).toBe(1);
  });
});

describe('rootfs paths', () => {
  // the layout of a Debian root: absolute and relative links that must stay inside it
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'rootfs-test-'));
  fs.mkdirSync(path.join(root, 'run'));
  fs.mkdirSync(path.join(root, 'usr/bin'), { recursive: true });
  fs.mkdirSync(path.join(root, 'var'));
  fs.symlinkSync('/run', path.join(root, 'var/run'));
  fs.symlinkSync('usr/bin', path.join(root, 'bin'));
  fs.symlinkSync('../../../../etc', path.join(root, 'usr/bin/escape'));
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  it('resolves an absolute link against the root, never the host', async () => {
    expect(await inRootfs(root, 'var/run/postgresql')).toBe(path.join(root, 'run/postgresql'));
  });
  it('follows relative links and keeps missing components', async () => {
    expect(await inRootfs(root, '/bin/new/file')).toBe(path.join(root, 'usr/bin/new/file'));
  });
  it('clamps .. at the root like a chroot', async () => {
    expect(await inRootfs(root, 'bin/escape/passwd')).toBe(path.join(root, 'etc/passwd'));
    expect(await inRootfs(root, '../../etc/shadow')).toBe(path.join(root, 'etc/shadow'));
  });
  it('stops on a symlink loop', async () => {
    fs.symlinkSync('loop', path.join(root, 'loop'));
    await expect(inRootfs(root, 'loop/x')).rejects.toThrow(/too many symlinks/);
  });
});

describe('runner', () => {
  it('dry-run prints and runs nothing', async () => {
    const out = sink();
    const log = createLog({ out, err: out, color: false });
    const r = await createRunner({ dryRun: true, log }).run('rm', ['-rf', '/nonexistent-for-test']);
    expect(r).toMatchObject({ ok: true, dry: true });
    expect(out.lines.join('')).toContain('[dry-run] $ rm -rf /nonexistent-for-test');
  });
  it('runs commands with arguments passed verbatim and reports missing tools', async () => {
    const log = createLog({ out: sink(), err: sink(), color: false });
    const runner = createRunner({ log });
    const r = await runner.run('printf', ['%s|', 'a b', '$(echo no)']);
    expect(r.stdout).toBe('a b|$(echo no)|');
    const m = await runner.run('definitely-not-a-tool-xyz', []);
    expect(m.missing).toBe(true);
  });
});

describe('diagnose', () => {
  /** @param {any} status @param {any[]} [events] @param {string[]} [logs] */
  const cause = (status, events = [], logs = []) =>
    analyzePod(
      { metadata: { name: 'p' }, spec: { containers: [{ image: 'todo-backend:1' }] }, status },
      events,
      logs,
    ).cause;
  it('names the probable cause in plain words', () => {
    expect(
      cause({
        phase: 'Pending',
        containerStatuses: [{ state: { waiting: { reason: 'ErrImageNeverPull' } } }],
      }),
    ).toMatch(/image not loaded/);
    expect(
      cause(
        { phase: 'Running', containerStatuses: [{ state: { waiting: { reason: 'CrashLoopBackOff' } } }] },
        [],
        ['Error: DATABASE_URL must be set'],
      ),
    ).toMatch(/variable is missing/);
    expect(
      cause({
        phase: 'Running',
        containerStatuses: [{ state: { waiting: { reason: 'CrashLoopBackOff' } } }],
      }),
    ).toMatch(/keeps crashing/);
    expect(
      cause({
        phase: 'Pending',
        conditions: [
          { type: 'PodScheduled', status: 'False', message: '0/1 nodes are available: 1 Insufficient cpu.' },
        ],
      }),
    ).toMatch(/not enough free CPU or memory/);
    expect(
      cause({ phase: 'Running', containerStatuses: [{ state: { running: {} } }] }, [
        { reason: 'Unhealthy', message: 'Readiness probe failed' },
      ]),
    ).toMatch(/probe fails/);
    expect(
      cause({
        phase: 'Running',
        containerStatuses: [{ lastState: { terminated: { reason: 'OOMKilled' } } }],
      }),
    ).toMatch(/OOMKilled/);
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

describe('runner timeouts', () => {
  it('stops a command that does not answer in time and says so', async () => {
    const log = createLog({ out: sink(), err: sink(), color: false });
    const r = await createRunner({ log }).run('sleep', ['5'], { timeoutMs: 200 });
    expect(r.ok).toBe(false);
    expect(r.stderr).toMatch(/no answer within 0s|no answer within/);
  });
  it('pipes one command into another and fails when the first fails', async () => {
    const log = createLog({ out: sink(), err: sink(), color: false });
    const runner = createRunner({ log });
    const ok = await runner.pipe(['printf', ['a\\nb\\n']], ['wc', ['-l']]);
    expect(ok.ok).toBe(true);
    expect(ok.stdout.trim()).toBe('2');
    const bad = await runner.pipe(['false', []], ['cat', []]);
    expect(bad.ok).toBe(false);
  });
});

/**
 * A runner that answers from a table instead of running anything, and records the calls.
 * @param {Record<string, Partial<import('../lib/exec.mjs').RunResult>>} answers keyed by "bin arg0 arg1…" prefixes
 */
function fakeRunner(answers) {
  const calls = /** @type {string[]} */ ([]);
  const answer = (/** @type {string} */ cmd) => {
    const key = Object.keys(answers)
      .filter((k) => cmd.startsWith(k))
      .sort((a, b) => b.length - a.length)[0];
    return {
      ok: true,
      exitCode: 0,
      stdout: '',
      stderr: '',
      dry: false,
      missing: false,
      ...(key ? answers[key] : {}),
    };
  };
  return {
    calls,
    dryRun: false,
    log: createLog({ out: sink(), err: sink(), color: false }),
    /** @param {string} bin @param {readonly string[]} args */
    async run(bin, args) {
      const cmd = [bin, ...args].join(' ');
      calls.push(cmd);
      return answer(cmd);
    },
    /** @param {[string, readonly string[]]} a @param {[string, readonly string[]]} b */
    async pipe(a, b) {
      const cmd = `${[a[0], ...a[1]].join(' ')} | ${[b[0], ...b[1]].join(' ')}`;
      calls.push(cmd);
      return answer(cmd);
    },
  };
}

describe('ensureImage per loader', async () => {
  const { ensureImage } = await import('../lib/cluster-images.mjs');
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
    expect(r2.calls).toContain('minikube -p minikube image load todo-backend:aaa');
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
      'minikube -p minikube image load': {
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

describe('diagnose.collect', async () => {
  const { collect } = await import('../lib/diagnose.mjs');
  it('reads pods, then events and logs only for pods that are not Ready', async () => {
    const t = resolveTarget(cfgOf({}));
    const pods = {
      items: [
        {
          metadata: { name: 'ok-1' },
          status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] },
        },
        {
          metadata: { name: 'bad-1' },
          status: {
            phase: 'Running',
            conditions: [{ type: 'Ready', status: 'False' }],
            containerStatuses: [{ restartCount: 2, state: { waiting: { reason: 'CrashLoopBackOff' } } }],
          },
        },
      ],
    };
    const r = fakeRunner({
      'kubectl --context minikube --namespace todo get pods': { stdout: JSON.stringify(pods) },
      'kubectl --context minikube --namespace todo logs bad-1': {
        stdout: 'Error: BETTER_AUTH_SECRET is required\n',
      },
    });
    const d = await collect(t, /** @type {any} */ (r), { release: 'todo-backend' });
    expect(d.podCount).toBe(2);
    expect(d.findings.map((f) => f.pod)).toEqual(['bad-1']);
    expect(d.findings[0]?.cause).toMatch(/variable is missing/);
    expect(r.calls[0]).toContain('--selector app.kubernetes.io/instance=todo-backend');
    expect(r.calls.some((c) => c.includes('logs bad-1') && c.includes('--previous'))).toBe(true);
    expect(r.calls.some((c) => c.includes('logs ok-1'))).toBe(false);
  });
});

describe('settings registry', async () => {
  const { SETTINGS, DEFAULTS, SECRET_NAMES } = await import('../lib/settings.mjs');
  const { REPO_ROOT } = await import('../lib/repo.mjs');
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

describe('deploy order (charts/*/package.json)', async () => {
  const { deployOrder } = await import('../lib/repo.mjs');
  it('orders the application charts after the charts they depend on, with the app each one runs', () => {
    const root = tmpdir();
    const pkg = (/** @type {string} */ dir, /** @type {object} */ json) => {
      fs.mkdirSync(path.join(root, dir), { recursive: true });
      fs.writeFileSync(path.join(root, dir, 'package.json'), JSON.stringify(json));
    };
    const chart = (/** @type {string} */ dir, /** @type {string} */ type) =>
      fs.writeFileSync(
        path.join(root, dir, 'Chart.yaml'),
        `apiVersion: v2\nname: x\n${type}version: 0.1.0\n`,
      );
    pkg('apps/site', {});
    pkg('charts/lib', { name: 'lib' });
    chart('charts/lib', 'type: library\n');
    pkg('charts/web', {
      devDependencies: { site: 'workspace:*', db: 'workspace:*', lib: 'workspace:*' },
    });
    chart('charts/web', 'type: application\n');
    pkg('charts/db', { devDependencies: { tool: '^1.0.0' } });
    chart('charts/db', ''); // no type: an application chart, as Helm reads it
    pkg('charts/notes', {}); // no Chart.yaml: not a chart
    expect(deployOrder(root)).toEqual([
      { name: 'db', app: null, after: [] },
      { name: 'web', app: 'site', after: ['db'] },
    ]);
  });
  it('is postgres → backend → frontend in this repository', () => {
    expect(deployOrder().map((c) => `${c.name}:${c.app}`)).toEqual([
      'todo-postgres:null',
      'todo-backend:backend',
      'todo-frontend:frontend',
    ]);
  });
});

describe('command line', () => {
  it('takes repeated and negated options', () => {
    const spec = {
      name: 't',
      summary: 's',
      usage: 't',
      options: {
        only: /** @type {const} */ ({ type: 'string', multiple: true, description: 'o' }),
        pull: /** @type {const} */ ({ type: 'boolean', default: true, description: 'p' }),
      },
    };
    const r = parseCli(spec, ['--only', 'a', '--only', 'b', '--no-pull']);
    expect(r.values).toMatchObject({ only: ['a', 'b'], pull: false });
    expect(parseCli(spec, []).values.pull).toBe(true);
    expect(() => parseCli(spec, ['--frob'])).toThrow(/unknown option --frob: run with --help/);
  });
});

describe('services', async () => {
  const { startService } = await import('../lib/service.mjs');
  it('waits for a line of output and stops the whole process group', async () => {
    const s = startService('sleeper', 'sh', ['-c', 'echo listening on http://x:1; sleep 30']);
    const [url] = await s.waitForOutput(/http:\/\/\S+/, 5000);
    expect(url).toBe('http://x:1');
    await s.stop(1000);
    expect(s.exited()).toBe(true);
    expect(s.log()).toContain('listening');
  });
});
