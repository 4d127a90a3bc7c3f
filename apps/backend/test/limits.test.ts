import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveAuthSecret } from '../src/auth/secret.js';
import { ConfigError, loadConfig } from '../src/config.js';
import { createTestApp, type TestApp } from './helpers/app.js';
import { pgliteVariant } from './helpers/pglite.js';

describe('rate limits and CORS', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(pgliteVariant, {
      env: {
        RATE_LIMIT_CHAT_PER_MINUTE: '2',
        RATE_LIMIT_AUTH_PER_MINUTE: '3',
        CORS_ORIGINS: 'http://app.example',
      },
    });
  });
  afterAll(async () => t?.close());

  it('limits /api/chat per session with a 429 problem', async () => {
    const { token } = await t.signUp('limits@example.com');
    const chat = () =>
      t.app.inject({
        method: 'POST',
        url: '/api/chat',
        headers: t.auth(token),
        payload: { message: 'hello' },
      });
    expect((await chat()).statusCode).toBe(200);
    expect((await chat()).statusCode).toBe(200);
    const limited = await chat();
    expect(limited.statusCode).toBe(429);
    expect(limited.headers['content-type']).toContain('application/problem+json');
    expect(limited.json().code).toBe('rate_limited');
    expect(limited.headers['retry-after']).toBeTruthy();
  });

  it('limits /api/auth/* per client', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) {
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/auth/sign-in/email',
        remoteAddress: '10.9.9.9',
        payload: { email: 'nobody@example.com', password: 'wrong-password' },
      });
      statuses.push(res.statusCode);
    }
    // the sign-up in the previous test came from another address
    expect(statuses.slice(0, 3).every((s) => s === 401)).toBe(true);
    expect(statuses[3]).toBe(429);
  });

  it('answers CORS only for configured origins', async () => {
    const ok = await t.app.inject({
      method: 'OPTIONS',
      url: '/api/tasks',
      headers: { origin: 'http://app.example', 'access-control-request-method': 'GET' },
    });
    expect(ok.headers['access-control-allow-origin']).toBe('http://app.example');
    const no = await t.app.inject({
      method: 'OPTIONS',
      url: '/api/tasks',
      headers: { origin: 'http://evil.example', 'access-control-request-method': 'GET' },
    });
    expect(no.headers['access-control-allow-origin']).toBeUndefined();
  });
});

describe('auth secret', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'backend-secret-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('is generated once in development and kept in DATA_DIR', () => {
    const config = loadConfig({ NODE_ENV: 'development', DATA_DIR: dir });
    const first = resolveAuthSecret(config);
    expect(first.length).toBeGreaterThanOrEqual(32);
    expect(resolveAuthSecret(config)).toBe(first);
    expect(fs.statSync(path.join(dir, 'auth-secret')).mode & 0o777).toBe(0o600);
  });

  it('is required in production', () => {
    expect(() => resolveAuthSecret(loadConfig({ NODE_ENV: 'production', DATA_DIR: dir }))).toThrow(
      ConfigError,
    );
    expect(() =>
      resolveAuthSecret(loadConfig({ NODE_ENV: 'production', BETTER_AUTH_SECRET: 'short' })),
    ).toThrow(/at least 32/);
    const secret = 's'.repeat(40);
    expect(resolveAuthSecret(loadConfig({ NODE_ENV: 'production', BETTER_AUTH_SECRET: secret }))).toBe(
      secret,
    );
  });

  it('rejects a DATABASE_URL of an unknown kind', () => {
    expect(() => loadConfig({ DATABASE_URL: 'mysql://x' })).toThrow(ConfigError);
  });
});
