// @vitest-environment node
import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { forward } from '../server/forward';

let server: http.Server;
let backend: string;
const seen: { headers: http.IncomingHttpHeaders; body: string; method: string; url: string }[] = [];

beforeAll(async () => {
  server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => {
      body += c.toString();
    });
    req.on('end', () => {
      seen.push({ headers: req.headers, body, method: req.method ?? '', url: req.url ?? '' });
      if (req.url === '/api/sse') {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        res.write('event: conversation\ndata: {"conversationId":"c"}\n\n');
        setTimeout(() => res.end('event: done\ndata: {}\n\n'), 300);
        return;
      }
      if (req.url === '/api/empty') {
        res.writeHead(204);
        res.end();
        return;
      }
      res.writeHead(201, [
        ['content-type', 'application/json'],
        ['set-cookie', 'a=1; Path=/; HttpOnly'],
        ['set-cookie', 'b=2; Path=/; Expires=Wed, 21 Oct 2026 07:28:00 GMT'],
        ['connection', 'keep-alive, x-secret'],
        ['x-secret', 'hop'],
      ]);
      res.end(JSON.stringify({ ok: true }));
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  backend = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => {
  server.close();
});

const client = { host: 'app.example:3000', proto: 'http', ip: '10.0.0.7' };

describe('forward', () => {
  it('forwards method, path, query, body and cookies; overwrites X-Forwarded-*; strips hop-by-hop', async () => {
    const req = new Request('http://localhost:3000/api/tasks?status=open', {
      method: 'POST',
      headers: {
        cookie: 'better-auth.session_token=abc',
        'content-type': 'application/json',
        'x-forwarded-host': 'evil.example',
        'x-forwarded-for': '6.6.6.6',
        'proxy-authorization': 'secret',
        origin: 'http://app.example:3000',
      },
      body: JSON.stringify({ title: 'buy milk' }),
    });
    const res = await forward(req, backend, client);
    expect(res.status).toBe(201);
    expect(res.headers.getSetCookie()).toEqual([
      'a=1; Path=/; HttpOnly',
      'b=2; Path=/; Expires=Wed, 21 Oct 2026 07:28:00 GMT',
    ]);
    expect(res.headers.get('x-secret')).toBeNull();
    const last = seen.at(-1);
    expect(last?.method).toBe('POST');
    expect(last?.url).toBe('/api/tasks?status=open');
    expect(last?.body).toBe('{"title":"buy milk"}');
    expect(last?.headers.cookie).toBe('better-auth.session_token=abc');
    expect(last?.headers.origin).toBe('http://app.example:3000');
    expect(last?.headers['x-forwarded-host']).toBe('app.example:3000');
    expect(last?.headers['x-forwarded-proto']).toBe('http');
    expect(last?.headers['x-forwarded-for']).toBe('10.0.0.7');
    expect(last?.headers['proxy-authorization']).toBeUndefined();
  });

  it('streams server-sent events: the first event arrives before the stream ends', async () => {
    const res = await forward(new Request('http://localhost:3000/api/sse'), backend, client);
    expect(res.headers.get('cache-control')).toBe('no-cache, no-transform');
    const reader = res.body?.getReader();
    const started = Date.now();
    const first = await reader?.read();
    expect(new TextDecoder().decode(first?.value)).toContain('event: conversation');
    expect(Date.now() - started).toBeLessThan(250);
    let rest = '';
    for (;;) {
      const chunk = await reader?.read();
      if (!chunk || chunk.done) break;
      rest += new TextDecoder().decode(chunk.value);
    }
    expect(rest).toContain('event: done');
  });

  it('passes 204 without a body', async () => {
    const res = await forward(
      new Request('http://localhost:3000/api/empty', { method: 'DELETE' }),
      backend,
      client,
    );
    expect(res.status).toBe(204);
    expect(await res.text()).toBe('');
  });

  it('answers a JSON 502 problem when the backend is down', async () => {
    const res = await forward(new Request('http://localhost:3000/api/tasks'), 'http://127.0.0.1:9', client);
    expect(res.status).toBe(502);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    expect(await res.json()).toMatchObject({ status: 502, code: 'backend_unavailable' });
  });

  it('sends a bodiless request again when the backend closed the kept-alive socket it reused', async () => {
    // every connection serves one request; the next one on it is cut off, like a backend whose
    // keep-alive timeout fired just as the proxy reused the socket
    const served = new WeakMap<object, number>();
    const flaky = http.createServer((req, res) => {
      const n = (served.get(req.socket) ?? 0) + 1;
      served.set(req.socket, n);
      if (n > 1) {
        req.socket.destroy();
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ method: req.method }));
    });
    flaky.listen(0, '127.0.0.1');
    await once(flaky, 'listening');
    const base = `http://127.0.0.1:${(flaky.address() as AddressInfo).port}`;
    try {
      const first = await forward(new Request('http://localhost:3000/api/tasks'), base, client);
      expect(first.status).toBe(200);
      await first.text();
      const again = await forward(new Request('http://localhost:3000/api/tasks'), base, client);
      expect(again.status).toBe(200);
      expect(await again.json()).toEqual({ method: 'GET' });
      // a request with a body is not replayed (the backend may have read it): it reuses the one
      // kept-alive socket left, is cut off, and the user gets the 502 problem
      const post = await forward(
        new Request('http://localhost:3000/api/tasks', { method: 'POST', body: '{"title":"x"}' }),
        base,
        client,
      );
      expect(post.status).toBe(502);
    } finally {
      flaky.close();
      flaky.closeAllConnections();
    }
  });
});
