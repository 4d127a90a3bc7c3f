import { once } from 'node:events';
import http from 'node:http';
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { edgeServer, fakeBackend, request } from './harness.ts';

// The proxy's body limit (issue 13.8): a body over 1 MiB (the backend's own limit) is answered
// with the backend's 413 problem before anything reaches the backend, and the connection stays
// usable (a 3 MB body used to come back as 502 "Backend unavailable (EPIPE)").

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0)) await fn();
});

async function setup(bodyLimit?: number) {
  const backend = await fakeBackend();
  const edge = await edgeServer(backend.url, bodyLimit ? { bodyLimit } : {});
  cleanup.push(edge.close, backend.close);
  return { backend, edge };
}

const MiB = 1024 * 1024;

describe('the body limit (1 MiB, the backend’s own)', () => {
  it('answers a 3 MB body with the backend’s 413 problem, forwards nothing, and keeps the connection usable', async () => {
    const { backend, edge } = await setup();
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    cleanup.push(async () => agent.destroy());
    const big = Buffer.alloc(3 * MiB, 'a');
    const refused = await request(edge.url, '/api/tasks', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: big,
      agent,
    });
    expect(refused.status).toBe(413);
    expect(refused.headers['content-type']).toBe('application/problem+json; charset=utf-8');
    expect(JSON.parse(refused.body)).toEqual({
      type: 'https://todo-chatbot.dev/problems/payload-too-large',
      title: 'Payload Too Large',
      status: 413,
      detail: 'request body is too large',
      code: 'payload_too_large',
    });
    // the next request goes over the very same connection
    const next = await request(edge.url, '/api/tasks', { agent });
    expect(next.status).toBe(200);
    expect(next.socketReused).toBe(true);
    expect(backend.seen.map((s) => `${s.method} ${s.url}`)).toEqual(['GET /api/tasks']);
  });

  it('refuses a chunked body as soon as it passes the limit', async () => {
    const { backend, edge } = await setup();
    const chunk = Buffer.alloc(256 * 1024, 'b');
    const refused = await request(edge.url, '/api/tasks', { method: 'POST', chunks: Array(12).fill(chunk) });
    expect(refused.status).toBe(413);
    expect(JSON.parse(refused.body)).toMatchObject({ code: 'payload_too_large' });
    expect(backend.seen).toHaveLength(0);
  });

  it('forwards a body of exactly the limit, and refuses one byte more', async () => {
    const { backend, edge } = await setup(1000);
    expect((await request(edge.url, '/api/x', { method: 'PUT', body: Buffer.alloc(1000, 'c') })).status).toBe(
      200,
    );
    expect((await request(edge.url, '/api/x', { method: 'PUT', body: Buffer.alloc(1001, 'c') })).status).toBe(
      413,
    );
    expect(
      (await request(edge.url, '/api/x', { method: 'PUT', chunks: [Buffer.alloc(1001, 'c')] })).status,
    ).toBe(413);
    expect(backend.seen.map((s) => s.body.length)).toEqual([1000]);
  });

  it('answers `Expect: 100-continue` with 413 before the client sends the body, and closes', async () => {
    const { backend, edge } = await setup();
    const socket = net.connect(Number(new URL(edge.url).port), '127.0.0.1');
    let answer = '';
    socket.on('data', (chunk: Buffer) => {
      answer += chunk.toString();
    });
    socket.write(
      `POST /api/tasks HTTP/1.1\r\nHost: a\r\nContent-Type: application/json\r\nContent-Length: ${3 * MiB}\r\nExpect: 100-continue\r\n\r\n`,
    );
    await once(socket, 'close');
    expect(answer).toMatch(/^HTTP\/1\.1 413 /);
    expect(answer).not.toContain('100 Continue');
    expect(answer.toLowerCase()).toContain('connection: close');
    expect(backend.seen).toHaveLength(0);
  });

  it('invites a body within the limit with 100 Continue and forwards it', async () => {
    const { backend, edge } = await setup();
    const req = http.request(`${edge.url}/api/tasks`, {
      method: 'POST',
      agent: false,
      headers: { expect: '100-continue', 'content-type': 'application/json', 'content-length': '2' },
    });
    req.on('continue', () => req.end('{}'));
    const [res] = (await once(req, 'response')) as [http.IncomingMessage];
    res.resume();
    expect(res.statusCode).toBe(200);
    expect(backend.seen.at(-1)?.body.toString()).toBe('{}');
  });
});
