// @ts-check
// cleanup.mjs: secret files and the cleanups that remove them.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { onCleanup, runCleanups, sweepStaleTempDirs, withSecretFile } from '../lib/cleanup.mjs';
import { useTempDirs } from './helpers.mjs';

const { tmpdir } = useTempDirs();

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
    fs.mkdirSync(path.join(dir, 'todo-image-999999999-abc'));
    fs.mkdirSync(path.join(dir, `todo-secrets-${process.pid}-abc`));
    fs.mkdirSync(path.join(dir, 'todo-other-999999999-abc'));
    expect(sweepStaleTempDirs(dir)).toBe(2);
    expect(fs.readdirSync(dir).sort()).toEqual([
      'todo-other-999999999-abc',
      `todo-secrets-${process.pid}-abc`,
    ]);
  });
  it('runs registered cleanups once', () => {
    let n = 0;
    onCleanup(() => n++);
    runCleanups();
    runCleanups();
    expect(n).toBe(1);
  });
});
