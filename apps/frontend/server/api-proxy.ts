import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import https from 'node:https';
import { pipeline } from 'node:stream';
import type { Client } from './client-address.ts';
import { downstreamHeaders, upstreamHeaders } from './proxy-headers.ts';
import { declaredTooLarge, readBody, refuseTooLarge, sendProblem } from './request-body.ts';

// The same-origin proxy: every /api/* request (but /api/healthz) goes to BACKEND_URL and the
// answer comes back unchanged, so the browser, curl and any API client see exactly what the
// backend says: same status, same headers, same body, for every method with or without a body.
// It works on Node's own request and response (no web-stream conversion): the body a client
// sends is read first (at most BODY_LIMIT, or refused with 413 before anything is forwarded),
// then sent with its length; the answer streams back as it arrives (server-sent events too).

/** Methods that may be sent again when a kept-alive connection turned out to be closed (RFC 9110 §9.2.2). */
const IDEMPOTENT = new Set(['GET', 'HEAD', 'OPTIONS', 'TRACE', 'PUT', 'DELETE']);

/** A backend that does not accept the connection within this is down. Once connected there is no limit (event streams). */
const CONNECT_TIMEOUT_MS = 5000;

export interface ApiProxyOptions {
  /** BACKEND_URL, read on every request. */
  backend: () => string;
  /** Largest request body, in bytes. */
  bodyLimit: number;
  /** Where the proxy reports a failure (never with headers, cookies or bodies). */
  log?: (message: string) => void;
}

const agents = {
  'http:': new http.Agent({ keepAlive: true, maxSockets: 256, scheduling: 'lifo' }),
  'https:': new https.Agent({ keepAlive: true, maxSockets: 256, scheduling: 'lifo' }),
};

/** 502 in the backend's problem shape; what went wrong goes to the log, not to the client. */
function unavailable(res: ServerResponse): void {
  sendProblem(
    res,
    502,
    'backend_unavailable',
    'Backend unavailable',
    'The API server could not be reached. Please try again in a moment.',
  );
}

/**
 * The proxy: `(req, res, client, path)`, where `path` is the normalised path and query to
 * request from the backend and `client` who sent it (client-address.ts).
 */
export function createApiProxy(options: ApiProxyOptions) {
  const log = options.log ?? ((message: string) => console.error(message));

  function forward(
    req: IncomingMessage,
    res: ServerResponse,
    client: Client,
    path: string,
    body: Buffer | null,
  ) {
    const method = (req.method ?? 'GET').toUpperCase();
    let target: URL;
    try {
      target = new URL(`${options.backend()}${path}`);
    } catch {
      log(`proxy: BACKEND_URL is not a URL (${method} ${path.split('?')[0]})`);
      unavailable(res);
      return;
    }
    const secure = target.protocol === 'https:';
    const transport = secure ? https : http;
    const agent = secure ? agents['https:'] : agents['http:'];
    const headers = upstreamHeaders(req, client, body, target.host);
    let answered = false;

    const send = (attempt: number) => {
      const upstream = transport.request(target, { method, headers, agent });
      // Without a body, no framing at all: Node would add `Content-Length: 0` or an empty chunked
      // body to a POST, which the backend reads as a body of no type (415) rather than none.
      if (!body) {
        upstream.removeHeader('content-length');
        upstream.removeHeader('transfer-encoding');
      }
      const onClientGone = () => {
        if (!res.writableFinished) upstream.destroy();
      };
      res.once('close', onClientGone);

      upstream.on('socket', (socket) => {
        if (!socket.connecting) return;
        const timer = setTimeout(
          () => upstream.destroy(Object.assign(new Error('connect timeout'), { code: 'ETIMEDOUT' })),
          CONNECT_TIMEOUT_MS,
        );
        socket.once('connect', () => clearTimeout(timer));
        socket.once('close', () => clearTimeout(timer));
      });

      upstream.on('error', (error: NodeJS.ErrnoException) => {
        if (answered) return;
        res.off('close', onClientGone);
        // A kept-alive connection the backend closed just as we reused it (its idle timeout,
        // or a replica that went away): the request never got an answer, and an idempotent
        // one may be sent again on a fresh connection (Node's `reusedSocket` pattern).
        if (
          attempt === 0 &&
          upstream.reusedSocket &&
          IDEMPOTENT.has(method) &&
          (error.code === 'ECONNRESET' || error.code === 'EPIPE')
        ) {
          send(1);
          return;
        }
        if (res.destroyed || req.socket.destroyed) return; // the client left first
        log(`proxy: ${method} ${target.pathname} → backend unavailable (${error.code ?? error.message})`);
        unavailable(res);
      });

      upstream.on('response', (answer) => {
        answered = true;
        try {
          res.writeHead(answer.statusCode ?? 502, answer.statusMessage, downstreamHeaders(answer));
        } catch (error) {
          // a status line or header Node will not write (never from our backend): no half answer
          log(`proxy: ${method} ${target.pathname} → unusable answer (${(error as Error).message})`);
          answer.resume();
          unavailable(res);
          return;
        }
        // Headers go out at once (an event stream's first event may take a while).
        res.flushHeaders();
        pipeline(answer, res, (error) => {
          if (error) upstream.destroy();
        });
      });

      upstream.end(body ?? undefined);
    };
    send(0);
  }

  return function proxyApi(req: IncomingMessage, res: ServerResponse, client: Client, path: string): void {
    if (declaredTooLarge(req, options.bodyLimit)) {
      refuseTooLarge(req, res);
      return;
    }
    // RFC 9112 §6.3: a request has a body only when it says so (Content-Length or Transfer-Encoding);
    // a DELETE or a POST without either goes on without one, exactly as it came.
    const framed =
      req.headers['content-length'] !== undefined || req.headers['transfer-encoding'] !== undefined;
    if (!framed) {
      forward(req, res, client, path, null);
      return;
    }
    void readBody(req, options.bodyLimit).then((result) => {
      if (result.kind === 'too-large') refuseTooLarge(req, res);
      else if (result.kind === 'body') forward(req, res, client, path, result.body);
    });
  };
}
