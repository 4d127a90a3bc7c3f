// @ts-check
// One stand-in build at a time per cache folder (turbo runs the apps' image tasks in parallel,
// and both may need the node stand-in): an exclusive lock file holding the owner's pid; a lock
// whose process is gone is taken over. Kept by hand: the staleness test is "is that pid alive",
// which mtime-based lock libraries do not offer.
import { fs, path } from 'zx';
import { ScriptError } from '../errors.mjs';

/**
 * @param {string} cacheDir
 * @param {import('../log.mjs').Log} log
 * @returns {Promise<() => Promise<void>>} release
 */
export async function lock(cacheDir, log) {
  const file = path.join(cacheDir, '.lock');
  const deadline = Date.now() + 30 * 60_000;
  let announced = false;
  for (;;) {
    try {
      const fd = await fs.promises.open(file, 'wx');
      await fd.writeFile(String(process.pid));
      await fd.close();
      return async () => {
        await fs.remove(file);
      };
    } catch (error) {
      if (/** @type {NodeJS.ErrnoException} */ (error).code !== 'EEXIST') throw error;
    }
    const owner = Number.parseInt(await fs.readFile(file, 'utf8').catch(() => ''), 10);
    let alive = false;
    try {
      if (owner > 0) {
        process.kill(owner, 0);
        alive = true;
      }
    } catch {
      alive = false;
    }
    if (!alive) {
      await fs.remove(file);
      continue;
    }
    if (Date.now() > deadline)
      throw new ScriptError(
        `another base-image build (pid ${owner}) holds ${file} for 30 minutes`,
        undefined,
        `wait for it, or remove ${file} if that process is gone`,
      );
    if (!announced) {
      log.detail(`another base-image build (pid ${owner}) is running: waiting for it`);
      announced = true;
    }
    await new Promise((r) => setTimeout(r, 2000));
  }
}
