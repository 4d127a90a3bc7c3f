// @ts-check
// npm packages of the node stand-in: which version a range means, and its tarball (cached).
import semver from 'semver';
import { fs, path } from 'zx';
import { ScriptError } from '../errors.mjs';

/**
 * The highest release (no pre-release) matching a range (`24`, `24.21`, an exact version).
 * @param {string[]} versions
 * @param {string} range
 */
export function pickVersion(versions, range) {
  return semver.maxSatisfying(versions, range) ?? undefined;
}

/**
 * @param {import('../exec.mjs').Runner} runner
 * @param {string} spec npm package spec, `name@range`
 * @returns {Promise<string>} the exact version the registry resolves it to
 */
export async function npmResolve(runner, spec) {
  const r = await runner.run('npm', ['view', spec, 'version', '--json']);
  if (!r.ok) {
    throw new ScriptError(
      `npm cannot resolve ${spec}: ${r.stderr.trim().split('\n').at(-1)}`,
      undefined,
      'check that npm reaches its registry (npm ping) and that its cafile trusts the proxy CA',
    );
  }
  const parsed = JSON.parse(r.stdout || 'null');
  const versions = (Array.isArray(parsed) ? parsed : [parsed]).map(String);
  const at = spec.lastIndexOf('@');
  const range = at > 0 ? spec.slice(at + 1) : '';
  const picked =
    (range && semver.validRange(range) ? pickVersion(versions, range) : undefined) ?? versions.at(-1);
  if (!picked) throw new ScriptError(`npm has no version for ${spec}`);
  return picked;
}

/**
 * Downloads an npm package tarball into the cache (once) and returns its path.
 * @param {import('../exec.mjs').Runner} runner
 * @param {{ name: string, version: string, cacheDir: string }} o `version` is exact
 */
export async function npmTarball(runner, o) {
  const dir = path.join(o.cacheDir, 'npm');
  await fs.mkdirp(dir);
  const file = path.join(dir, `${o.name.replace('/', '-').replace('@', '')}-${o.version}.tgz`);
  if (await fs.pathExists(file)) return file;
  const tmp = await fs.mkdtemp(path.join(dir, '.pack-'));
  try {
    const r = await runner.run('npm', ['pack', `${o.name}@${o.version}`, '--json'], {
      cwd: tmp,
      change: true,
    });
    if (!r.ok) throw new ScriptError(`npm pack ${o.name}@${o.version} failed: ${r.stderr.trim()}`);
    const [packed] = JSON.parse(r.stdout);
    await fs.move(path.join(tmp, packed.filename), file, { overwrite: true });
  } finally {
    await fs.remove(tmp);
  }
  return file;
}
