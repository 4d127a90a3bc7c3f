// @ts-check
// doctor's disk check: free space in the temp folder, where an image load writes the image's
// tarball. A warning, not a blocker: a full disk shows up later as minikube's InsufficientStorage.
import fs from 'node:fs';
import os from 'node:os';

const MIN_FREE_GIB = 2;

/**
 * @param {string} [dir]
 * @param {(dir: string) => { bavail: number, bsize: number }} [statfs]
 * @returns {import('./tools.mjs').Check}
 */
export function checkDisk(dir = os.tmpdir(), statfs = fs.statfsSync) {
  let gib;
  try {
    const s = statfs(dir);
    gib = (s.bavail * s.bsize) / 1024 ** 3;
  } catch (e) {
    return {
      name: 'disk',
      ok: true,
      message: `disk: free space in ${dir} not known (${e instanceof Error ? e.message : e})`,
    };
  }
  if (gib < MIN_FREE_GIB)
    return {
      name: 'disk',
      ok: false,
      message: `only ${gib.toFixed(1)} GiB free in ${dir}: an image load writes the image there (up to 0.5 GB), and a full disk stops the cluster. Free space (e.g. \`docker image prune\`, \`docker builder prune\`), or point TMPDIR at a disk with room`,
    };
  return { name: 'disk', ok: true, message: `${gib.toFixed(1)} GiB free in ${dir}` };
}
