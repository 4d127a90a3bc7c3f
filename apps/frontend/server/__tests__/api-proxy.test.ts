import { once } from 'node:events';
import http from 'node:http';
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { close, edgeServer, fakeBackend, listen, request } from './harness.ts';

// The same-origin proxy must be transparent (issue 13.8): what the backend answers is what the
// client gets, for every method with or without a body; its own body limit is a 413 before
// anything reaches the backend, and the connection stays usable.

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0)) await fn();
});

async function setup(handler?: Parameters<typeof fakeBackend>[0], bodyLimit?: number) {
  const backend = await fakeBackend(handler);
  const edge = await edgeServer(backend.url, bodyLimit ? { bodyLimit } : {});
  cleanup.push(edge.close, backend.close);
  return { backend, edge };
}

const framing = (headers: http.IncomingHttpHeaders) => ({
  length: headers['content-length'],
  chunked: headers['transfer-encoding'],
});

describe('requests reach the backend as the client sent them', () => {
  it('forwards method, path, query, body and cookies; replaces Host and forwarding; drops hop-by-hop', async () => {
    const { backend, edge } = await setup();
    await request(edge.url, '/api/tasks?status=open&q=milk', {
      method: 'POST',
      headers: {
        cookie: 'better-auth.session_token=abc',
        'content-type': 'application/json',
        origin: 'http://app.example:3000',
        host: 'app.example:3000',
        'x-forwarded-host': 'evil.example',
        'proxy-authorization': 'secret',
        connection: 'keep-alive, x-hop',
        'x-hop': 'connection-level',
        'x-custom': 'kept',
      },
      body: '{"title":"buy milk"}',
    });
    const seen = backend.seen.at(-1);
    expect(seen).toMatchObject({
      method: 'POST',
      url: '/api/tasks?status=open&q=milk',
      body: Buffer.from('{"title":"buy milk"}'),
    });
    expect(seen?.headers).toMatchObject({
      host: new URL(backend.url).host,
      cookie: 'better-auth.session_token=abc',
      origin: 'http://app.example:3000',
      'content-type': 'application/json',
      'content-length': '20',
      'x-forwarded-host': 'app.example:3000',
      'x-forwarded-proto': 'http',
      'x-forwarded-for': '127.0.0.1',
      'x-custom': 'kept',
    });
    expect(seen?.headers['proxy-authorization']).toBeUndefined();
    expect(seen?.headers['x-hop']).toBeUndefined();
  });

  it.each([
    ['DELETE without a body', 'DELETE', {}, { length: undefined, chunked: undefined }, ''],
    ['POST without a body', 'POST', {}, { length: undefined, chunked: undefined }, ''],
    ['PATCH without a body', 'PATCH', {}, { length: undefined, chunked: undefined }, ''],
    ['POST with Content-Length: 0', 'POST', { body: '' }, { length: '0', chunked: undefined }, ''],
    [
      'POST with a body',
      'POST',
      { body: '{"completed":true}' },
      { length: '18', chunked: undefined },
      '{"completed":true}',
    ],
    [
      'PATCH with a chunked body',
      'PATCH',
      { chunks: ['{"title":', '"x"}'] },
      { length: '13', chunked: undefined },
      '{"title":"x"}',
    ],
  ] as const)('%s', async (_name, method, init, expected, body) => {
    const { backend, edge } = await setup();
    const res = await request(edge.url, '/api/tasks/t1', { method, ...init });
    expect(res.status).toBe(200);
    const seen = backend.seen.at(-1);
    expect(framing(seen?.headers ?? {})).toEqual(expected);
    expect(seen?.body.toString()).toBe(body);
  });

  it('keeps repeated request headers repeated', async () => {
    const { backend, edge } = await setup();
    const socket = net.connect(Number(new URL(edge.url).port), '127.0.0.1');
    socket.end(
      'GET /api/tasks HTTP/1.1\r\nHost: a\r\nAccept: a/b\r\nAccept: c/d\r\nConnection: close\r\n\r\n',
    );
    await once(socket, 'close');
    expect(backend.seen.at(-1)?.rawHeaders.filter((h) => h === 'a/b' || h === 'c/d')).toEqual(['a/b', 'c/d']);
  });
});

describe('answers come back as the backend sent them', () => {
  it('passes status, problem bodies, every Set-Cookie, and drops connection-level headers', async () => {
    const { edge } = await setup((_req, res) => {
      res.writeHead(415, 'Unsupported Media Type', [
        ['content-type', 'application/problem+json; charset=utf-8'],
        ['set-cookie', 'a=1; Path=/; HttpOnly'],
        ['set-cookie', 'b=2; Path=/; Expires=Wed, 21 Oct 2026 07:28:00 GMT'],
        ['connection', 'keep-alive, x-secret'],
        ['x-secret', 'hop'],
        ['x-request-id', 'r1'],
      ]);
      res.end('{"status":415,"code":"unsupported_media_type"}');
    });
    const res = await request(edge.url, '/api/tasks', {
      method: 'POST',
      body: 'x',
      headers: { 'content-type': 'text/plain' },
    });
    expect(res.status).toBe(415);
    expect(res.headers['content-type']).toBe('application/problem+json; charset=utf-8');
    expect(res.headers['set-cookie']).toEqual([
      'a=1; Path=/; HttpOnly',
      'b=2; Path=/; Expires=Wed, 21 Oct 2026 07:28:00 GMT',
    ]);
    expect(res.headers['x-secret']).toBeUndefined();
    expect(res.headers['x-request-id']).toBe('r1');
    expect(JSON.parse(res.body)).toEqual({ status: 415, code: 'unsupported_media_type' });
  });

  it('passes 204 and HEAD answers without a body', async () => {
    const { edge } = await setup((req, res) => {
      res.writeHead(req.method === 'HEAD' ? 200 : 204, {
        'content-type': 'application/json',
        'content-length': '2',
      });
      res.end(req.method === 'HEAD' ? undefined : undefined);
    });
    expect(await request(edge.url, '/api/tasks/t1', { method: 'DELETE' })).toMatchObject({
      status: 204,
      body: '',
    });
    expect(await request(edge.url, '/api/tasks', { method: 'HEAD' })).toMatchObject({
      status: 200,
      body: '',
    });
  });

  it('streams server-sent events: the first event arrives while the backend still holds the stream open', async () => {
    let finish: () => void = () => {};
    const { edge } = await setup((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
      res.write('event: conversation\ndata: {"conversationId":"c"}\n\n');
      finish = () => res.end('event: done\ndata: {}\n\n');
    });
    const req = http.request(`${edge.url}/api/chat`, { method: 'POST', agent: false });
    req.end();
    const [res] = (await once(req, 'response')) as [http.IncomingMessage];
    expect(res.headers['cache-control']).toBe('no-cache, no-transform');
    expect(res.headers['x-accel-buffering']).toBe('no');
    const [first] = (await once(res, 'data')) as [Buffer];
    expect(first.toString()).toContain('event: conversation');
    // only now does the backend end the stream
    finish();
    let rest = '';
    for await (const chunk of res) rest += String(chunk);
    expect(rest).toContain('event: done');
  });
});

describe('when the backend cannot answer', () => {
  it('answers 502 problem+json with a generic message (the cause goes to the log only)', async () => {
    const down = http.createServer();
    const url = await listen(down);
    await close(down);
    const edge = await edgeServer(url);
    cleanup.push(edge.close);
    const res = await request(edge.url, '/api/tasks');
    expect(res.status).toBe(502);
    expect(res.headers['content-type']).toBe('application/problem+json; charset=utf-8');
    const problem = JSON.parse(res.body) as Record<string, unknown>;
    expect(problem).toMatchObject({ status: 502, code: 'backend_unavailable' });
    expect(JSON.stringify(problem)).not.toMatch(/ECONNREFUSED|127\.0\.0\.1/);
    expect(edge.logs.join('\n')).toContain('ECONNREFUSED');
  });

  it('answers 502 instead of failing when BACKEND_URL is not a URL', async () => {
    const edge = await edgeServer('not a url');
    cleanup.push(edge.close);
    const res = await request(edge.url, '/api/tasks');
    expect(res.status).toBe(502);
    expect(JSON.parse(res.body)).toMatchObject({ code: 'backend_unavailable' });
    expect((await request(edge.url, '/api/tasks')).status).toBe(502);
  });

  it('sends an idempotent request again when the backend closed the kept-alive socket it reused; never a POST', async () => {
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
      req.resume();
      req.on('end', () => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ method: req.method }));
      });
    });
    const url = await listen(flaky);
    const edge = await edgeServer(url);
    cleanup.push(edge.close, () => close(flaky));
    expect((await request(edge.url, '/api/tasks')).status).toBe(200);
    const again = await request(edge.url, '/api/tasks');
    expect(again.status).toBe(200);
    expect(JSON.parse(again.body)).toEqual({ method: 'GET' });
    // a POST may have been acted on: it is not replayed, the user gets the 502 problem
    const post = await request(edge.url, '/api/tasks', { method: 'POST', body: '{"title":"x"}' });
    expect(post.status).toBe(502);
  });
});
