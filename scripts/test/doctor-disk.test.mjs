// @ts-check
// doctor's disk check: a warning below 2 GiB free in the temp folder, never a blocker.
import os from 'node:os';
import { describe, expect, it } from 'vitest';
import { checkDisk } from '../lib/doctor/disk.mjs';

const GiB = 1024 ** 3;
const statfsOf = (/** @type {number} */ free) => () => ({ bavail: free / 4096, bsize: 4096 });

describe('doctor: disk', () => {
  it('passes with room, and says how much', () => {
    expect(checkDisk('/tmp', statfsOf(20 * GiB))).toEqual({
      name: 'disk',
      ok: true,
      message: '20.0 GiB free in /tmp',
    });
  });
  it('warns below 2 GiB, with what to do', () => {
    const c = checkDisk('/tmp', statfsOf(1.5 * GiB));
    expect(c.ok).toBe(false);
    expect(c.blocker).toBeUndefined();
    expect(c.message).toMatch(/^only 1\.5 GiB free in \/tmp: .*docker image prune.*TMPDIR/);
  });
  it('reads the real temp folder', () => {
    expect(checkDisk().message).toContain(os.tmpdir());
  });
  it('a folder it cannot read is not a problem', () => {
    const c = checkDisk('/nowhere', () => {
      throw new Error('ENOENT');
    });
    expect(c).toMatchObject({ ok: true, message: 'disk: free space in /nowhere not known (ENOENT)' });
  });
});
