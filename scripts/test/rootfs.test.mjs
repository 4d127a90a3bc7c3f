// @ts-check
// rootfs.mjs: paths inside a root filesystem, resolved like a chroot.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { inRootfs } from '../lib/rootfs.mjs';
import { useTempDirs } from './helpers.mjs';

const { tmpdir } = useTempDirs();

describe('rootfs paths', () => {
  // the layout of a Debian root: absolute and relative links that must stay inside it
  const root = tmpdir();
  fs.mkdirSync(path.join(root, 'run'));
  fs.mkdirSync(path.join(root, 'usr/bin'), { recursive: true });
  fs.mkdirSync(path.join(root, 'var'));
  fs.symlinkSync('/run', path.join(root, 'var/run'));
  fs.symlinkSync('usr/bin', path.join(root, 'bin'));
  fs.symlinkSync('../../../../etc', path.join(root, 'usr/bin/escape'));

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
