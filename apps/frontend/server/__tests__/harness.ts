import { once } from 'node:events';
import http, { type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApiProxy } from '../api-proxy.ts';
import { createEdge } from '../edge.ts';

// Real sockets on loopback: a recording stand-in for the backend, and the frontend's edge in
// front of it (with a stand-in for Next.js), as server/main.ts wires them.

export interface Seen {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  rawHeaders: string[];
  body: Buffer;
}

export type BackendHandler = (req: IncomingMessage, res: ServerResponse, seen: Seen) => void;

export async function listen(server: http.Server): Promise<string> {
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

export async function close(server: http.Server): Promise<void> {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

/** A backend that records what reached it and answers with `handler` (default: 200 with the method). */
export async function fakeBackend(handler?: BackendHandler) {
  const seen: Seen[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const record = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        rawHeaders: req.rawHeaders,
        body: Buffer.concat(chunks),
      };
      seen.push(record);
      if (handler) return handler(req, res, record);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ method: req.method }));
    });
  });
  const url = await listen(server);
  return { url, seen, server, close: () => close(server) };
}

/** The edge (client address + /api proxy) in front of `backend`, with a recording stand-in for Next.js. */
export async function edgeServer(backend: string, options: { hops?: number; bodyLimit?: number } = {}) {
  const nextSaw: IncomingHttpHeaders[] = [];
  const logs: string[] = [];
  const bodyLimit = options.bodyLimit ?? 1024 * 1024;
  const edge = createEdge({
    hops: options.hops ?? 0,
    bodyLimit,
    proxy: createApiProxy({ backend: () => backend, bodyLimit, log: (m) => logs.push(m) }),
    next: async (req, res) => {
      nextSaw.push({ ...req.headers });
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end('next');
    },
    log: (m) => logs.push(m),
  });
  const server = http.createServer(edge.handle);
  server.on('checkContinue', edge.checkContinue);
  const url = await listen(server);
  return { url, nextSaw, logs, server, close: () => close(server) };
}

export interface RawAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  rawHeaders: string[];
  body: string;
  socketReused: boolean;
}

/** One request with node:http (full control of framing: no body, Content-Length, chunked). */
export function request(
  base: string,
  path: string,
  init: {
    method?: string;
    headers?: Record<string, string>;
    /** A body written in one go (Content-Length), or in chunks (Transfer-Encoding: chunked). */
    body?: string | Buffer;
    chunks?: readonly (string | Buffer)[];
    agent?: http.Agent;
  } = {},
): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { ...init.headers };
    if (init.body !== undefined) headers['content-length'] = String(Buffer.byteLength(init.body));
    const req = http.request(`${base}${path}`, {
      method: init.method ?? 'GET',
      headers,
      agent: init.agent ?? false,
    });
    // no body: no framing either (Node would add `Content-Length: 0` to a POST by itself)
    if (init.body === undefined && !init.chunks) {
      req.removeHeader('content-length');
      req.removeHeader('transfer-encoding');
    }
    req.on('error', reject);
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          rawHeaders: res.rawHeaders,
          body: Buffer.concat(chunks).toString(),
          socketReused: req.reusedSocket,
        }),
      );
    });
    if (init.chunks) {
      for (const chunk of init.chunks) req.write(chunk);
      req.end();
    } else req.end(init.body);
  });
}
