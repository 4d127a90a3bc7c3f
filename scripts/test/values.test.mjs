// @ts-check
// values.mjs: the chart values a deploy sets, secrets kept apart.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveTarget } from '../lib/cluster.mjs';
import { chartValues, nest, postgresImageToLoad, splitList } from '../lib/values.mjs';
import { useTempDirs } from './helpers.mjs';

const { tmpdir, cfgOf } = useTempDirs();

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
