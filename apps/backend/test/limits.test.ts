import { once } from 'node:events';
import fs from 'node:fs';
import net from 'node:net';
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
    const chat = () => t.chat(token, { message: 'hello' });
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

  it('keys the chat limit on the user, not on how the credential is written', async () => {
    const { token, email } = await t.signUp();
    const other = await t.signUp();
    const signedIn = await t.app.inject({
      method: 'POST',
      url: '/api/auth/sign-in/email',
      remoteAddress: '10.7.7.7', // the auth limit of 127.0.0.1 is spent by the sign-ups
      payload: { email, password: 'correct-horse-battery' },
    });
    expect(signedIn.statusCode).toBe(200);
    const cookie = String(signedIn.headers['set-cookie']).split(';')[0] ?? '';
    const variants = [
      { authorization: `Bearer ${token}` },
      { cookie },
      { cookie: `junk=${'j'.repeat(300)}; ${cookie}` },
      { authorization: `bearer   ${token}` },
    ];
    const statuses: number[] = [];
    for (const headers of variants) {
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/chat',
        headers,
        payload: { message: 'hi' },
      });
      statuses.push(res.statusCode);
    }
    // two turns per minute for this user, however the credential is spelt
    expect(statuses).toEqual([200, 200, 429, 429]);
    // another user has a budget of their own
    const theirs = await t.chat(other.token, { message: 'hi' });
    expect(theirs.statusCode).toBe(200);
  });

  it('takes the client address from the socket: X-Forwarded-For resets nothing', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) {
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/auth/sign-in/email',
        remoteAddress: '10.9.9.10',
        headers: { 'x-forwarded-for': `203.0.113.${i}` },
        payload: { email: 'nobody-else@example.com', password: 'wrong-password' },
      });
      statuses.push(res.statusCode);
    }
    expect(statuses).toEqual([401, 401, 401, 429, 429]);
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

describe('behind the frontend (TRUSTED_PROXY_HOPS=1)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(pgliteVariant, {
      env: { RATE_LIMIT_AUTH_PER_MINUTE: '2', TRUSTED_PROXY_HOPS: '1', SIGN_IN_FAILURES_PER_ACCOUNT: '3' },
    });
  });
  afterAll(async () => t?.close());

  const signIn = (client: string, email: string, password = 'wrong-password') =>
    t.app.inject({
      method: 'POST',
      url: '/api/auth/sign-in/email',
      remoteAddress: '10.1.1.1', // the frontend pod
      // the frontend sends exactly one address: the client it saw
      headers: { 'x-forwarded-for': client },
      payload: { email, password },
    });

  it('limits per client address as the frontend reports it', async () => {
    const a = [
      await signIn('198.51.100.1', 'x1@example.com'),
      await signIn('198.51.100.1', 'x2@example.com'),
    ];
    expect(a.map((r) => r.statusCode)).toEqual([401, 401]);
    expect((await signIn('198.51.100.1', 'x3@example.com')).statusCode).toBe(429);
    expect((await signIn('198.51.100.2', 'x3@example.com')).statusCode).toBe(401);
  });

  it('throttles an account whatever address the attempts come from, until a sign-in succeeds', async () => {
    const { email } = await t.signUp();
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await signIn(`192.0.2.${10 + i}`, email)).statusCode);
    expect(statuses).toEqual([401, 401, 401, 429]);
    const locked = await signIn('192.0.2.50', email, 'correct-horse-battery');
    expect(locked.statusCode).toBe(429);
    expect(locked.json()).toMatchObject({ code: 'too_many_failed_sign_ins' });
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(0);
    // another account is not affected
    const { email: other } = await t.signUp();
    expect((await signIn('192.0.2.51', other, 'correct-horse-battery')).statusCode).toBe(200);
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

describe('request timeout', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(pgliteVariant, { env: { REQUEST_TIMEOUT_MS: '1000' } });
    await t.app.listen({ port: 0, host: '127.0.0.1' });
  });
  afterAll(async () => t?.close());

  it('cuts off a request whose body never arrives', async () => {
    const { port } = t.app.server.address() as import('node:net').AddressInfo;
    const socket = net.connect(port, '127.0.0.1');
    await once(socket, 'connect');
    socket.write(
      'POST /api/auth/sign-in/email HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"em',
    );
    let answer = '';
    socket.on('data', (d) => {
      answer += d.toString();
    });
    // the server answers 408 and closes; without a timeout the socket would stay open indefinitely
    await once(socket, 'close');
    expect(answer, answer).toMatch(/^HTTP\/1\.1 408/);
    expect(answer).toContain('application/problem+json');
    expect(answer).toContain('"code":"request_timeout"');
  });
});
