import { afterEach, describe, expect, it } from 'vitest';
import { apiPath } from '../edge.ts';
import { edgeServer, fakeBackend, request } from './harness.ts';

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of cleanup.splice(0)) await close();
});

async function setup(hops: number) {
  const backend = await fakeBackend();
  const edge = await edgeServer(backend.url, { hops });
  cleanup.push(edge.close, backend.close);
  return { backend, edge };
}

describe('the client address the backend and the pages see (issue 13.2)', () => {
  it('hops=0: a client-sent X-Forwarded-For never reaches the backend; the socket address does', async () => {
    const { backend, edge } = await setup(0);
    for (const spoof of ['203.0.113.1', '203.0.113.2, 198.51.100.9']) {
      const res = await request(edge.url, '/api/auth/sign-in/email', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-forwarded-for': spoof, 'x-real-ip': '203.0.113.3' },
        body: '{}',
      });
      expect(res.status).toBe(200);
      const seen = backend.seen.at(-1);
      expect(seen?.headers['x-forwarded-for']).toBe('127.0.0.1');
      expect(seen?.headers['x-real-ip']).toBeUndefined();
      // exactly one X-Forwarded-For line, holding one address
      expect(seen?.rawHeaders.filter((h) => h.toLowerCase() === 'x-forwarded-for')).toHaveLength(1);
    }
    // the pages (Next.js, which only adds its own when none was sent) see the same address
    await request(edge.url, '/sign-in', { headers: { 'x-forwarded-for': '203.0.113.1' } });
    expect(edge.nextSaw.at(-1)?.['x-forwarded-for']).toBe('127.0.0.1');
  });

  it('hops=1: the address the ingress appended is the client; what the client wrote before it is not', async () => {
    const { backend, edge } = await setup(1);
    // the client claimed 203.0.113.66; the (simulated) ingress appended the address it saw
    await request(edge.url, '/api/tasks', {
      headers: { 'x-forwarded-for': '203.0.113.66, 198.51.100.23', 'x-forwarded-proto': 'https' },
    });
    expect(backend.seen.at(-1)?.headers['x-forwarded-for']).toBe('198.51.100.23');
    expect(backend.seen.at(-1)?.headers['x-forwarded-proto']).toBe('https');
    await request(edge.url, '/', { headers: { 'x-forwarded-for': '203.0.113.66, 198.51.100.23' } });
    expect(edge.nextSaw.at(-1)?.['x-forwarded-for']).toBe('198.51.100.23');
  });
});

describe('which requests the proxy answers', () => {
  it.each([
    ['/api/tasks?status=open', '/api/tasks?status=open'],
    ['/api/auth/get-session', '/api/auth/get-session'],
    ['/api/healthz', null],
    ['/api', null],
    ['/apiary', null],
    ['/', null],
    ['/sign-in?next=%2Fapi%2Ftasks', null],
    ['/api/../mcp', null],
    ['/api/%2e%2e/docs', null],
    ['/api/tasks/../../openapi.json', null],
    ['/api/tasks/./x', '/api/tasks/x'],
  ])('%s → %s', (url, expected) => {
    expect(apiPath(url)).toBe(expected);
  });

  it('sends pages and /api/healthz to Next.js and the rest of /api to the backend', async () => {
    const { backend, edge } = await setup(0);
    expect((await request(edge.url, '/api/healthz')).body).toBe('next');
    expect((await request(edge.url, '/api/../health')).body).toBe('next');
    expect(backend.seen).toHaveLength(0);
    expect(JSON.parse((await request(edge.url, '/api/assistant')).body)).toEqual({ method: 'GET' });
    expect(backend.seen.map((s) => s.url)).toEqual(['/api/assistant']);
  });
});
