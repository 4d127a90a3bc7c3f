// @ts-check
import fs from 'node:fs/promises';
import path from 'node:path';

const MAX_SYMLINKS = 40;

/**
 * The host path of `rel` inside a root filesystem, resolving symlinks the way a chroot would.
 * A Debian root has absolute links such as `var/run -> /run`; a plain `path.join(root, rel)`
 * followed by chown or chmod would act on the host's `/run` instead of the image's.
 * Components that do not exist yet are appended as they are (for mkdir or writeFile).
 * @param {string} root absolute path of the root filesystem
 * @param {string} rel path inside it ('/etc/x' and 'etc/x' are the same)
 * @returns {Promise<string>}
 */
export async function inRootfs(root, rel) {
  const top = path.resolve(root);
  const pending = rel.split('/').filter((p) => p !== '' && p !== '.');
  let current = top;
  let exists = true;
  let links = 0;
  while (pending.length > 0) {
    const part = /** @type {string} */ (pending.shift());
    if (part === '..') {
      current = current === top ? top : path.dirname(current);
      continue;
    }
    const next = path.join(current, part);
    if (!exists) {
      current = next;
      continue;
    }
    const stat = await fs.lstat(next).catch((/** @type {NodeJS.ErrnoException} */ e) => {
      if (e.code === 'ENOENT') return null;
      throw e;
    });
    if (stat === null) {
      exists = false;
      current = next;
    } else if (stat.isSymbolicLink()) {
      links += 1;
      if (links > MAX_SYMLINKS) throw new Error(`too many symlinks resolving ${rel} in ${root}`);
      const target = await fs.readlink(next);
      pending.unshift(...target.split('/').filter((p) => p !== '' && p !== '.'));
      if (target.startsWith('/')) current = top;
    } else {
      current = next;
    }
  }
  return current;
}
