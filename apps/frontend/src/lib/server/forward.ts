import http from 'node:http';
import https from 'node:https';
import { Readable } from 'node:stream';

/**
 * Same-origin proxy: forwards a request to the backend and streams the answer back.
 * Used by app/api/[...path]/route.ts; kept framework-free so it can be tested with plain Request objects.
 */

// RFC 9110 §7.6.1 connection-specific headers, plus the ones undici/fetch manage itself.
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'host',
  'content-length',
  'expect',
  'http2-settings',
]);

const SMALL_BODY = 32 * 1024;
const CONNECT_TIMEOUT_MS = 5000;

const FORWARDED = [
  'forwarded',
  'x-forwarded-host',
  'x-forwarded-proto',
  'x-forwarded-for',
  'x-forwarded-port',
  'x-real-ip',
];

export interface ClientInfo {
  /** Host the browser used (Host header), e.g. "127.0.0.1:3000". */
  host: string;
  /** "http" or "https" as the frontend saw it. */
  proto: string;
  /** Client address, when known. */
  ip?: string | undefined;
}

function stripConnectionHeaders(source: Headers, target: Headers): void {
  const listed = new Set(
    (source.get('connection') ?? '')
      .split(',')
      .map((h) => h.trim().toLowerCase())
      .filter(Boolean),
  );
  for (const name of [...target.keys()]) {
    if (HOP_BY_HOP.has(name) || listed.has(name)) target.delete(name);
  }
}

export function upstreamRequestHeaders(incoming: Headers, client: ClientInfo): Headers {
  const headers = new Headers(incoming);
  stripConnectionHeaders(incoming, headers);
  for (const name of FORWARDED) headers.delete(name);
  // Loopback/cluster hop: compression costs more CPU than it saves; the browser-facing side may compress.
  headers.set('accept-encoding', 'identity');
  headers.set('x-forwarded-host', client.host);
  headers.set('x-forwarded-proto', client.proto);
  if (client.ip) headers.set('x-forwarded-for', client.ip);
  return headers;
}

export function downstreamResponseHeaders(upstream: Headers): Headers {
  const headers = new Headers();
  for (const [name, value] of upstream) {
    if (name === 'set-cookie') continue; // appended one by one below: never join cookies with commas
    headers.set(name, value);
  }
  for (const cookie of upstream.getSetCookie()) headers.append('set-cookie', cookie);
  stripConnectionHeaders(upstream, headers);
  if ((headers.get('content-type') ?? '').startsWith('text/event-stream')) {
    // no buffering, no compression on the way to the browser
    headers.set('cache-control', 'no-cache, no-transform');
    headers.set('x-accel-buffering', 'no');
  } else if (!upstream.has('content-encoding')) {
    // Small API answers are not worth gzip's CPU (Next.js would compress anything over 1 kB);
    // `no-transform` tells its compression to leave them alone. Large ones still get compressed.
    const length = Number(upstream.get('content-length') ?? Number.NaN);
    if (Number.isFinite(length) && length < SMALL_BODY) {
      const cacheControl = headers.get('cache-control');
      if (!cacheControl?.includes('no-transform'))
        headers.set('cache-control', cacheControl ? `${cacheControl}, no-transform` : 'no-transform');
    }
  }
  return headers;
}

export function problem(status: number, code: string, title: string, detail: string): Response {
  return new Response(JSON.stringify({ type: 'about:blank', title, status, detail, code }), {
    status,
    headers: { 'content-type': 'application/problem+json', 'cache-control': 'no-store' },
  });
}

const agents = {
  'http:': new http.Agent({ keepAlive: true, maxSockets: 256, scheduling: 'lifo' }),
  'https:': new https.Agent({ keepAlive: true, maxSockets: 256, scheduling: 'lifo' }),
};

function headersFromRaw(raw: string[]): Headers {
  const headers = new Headers();
  for (let i = 0; i + 1 < raw.length; i += 2) {
    try {
      headers.append(raw[i] as string, raw[i + 1] as string);
    } catch {
      // a header value fetch's Headers refuses (invalid bytes): drop it rather than fail the response
    }
  }
  return headers;
}

/**
 * Forwards with node:http on a keep-alive agent (lower overhead than fetch, no automatic decompression, so
 * whatever the backend sends passes through byte for byte, streamed both ways).
 */
export function forward(request: Request, backend: string, client: ClientInfo): Promise<Response> {
  const url = new URL(request.url);
  const target = new URL(`${backend}${url.pathname}${url.search}`);
  const method = request.method.toUpperCase();
  const hasBody = method !== 'GET' && method !== 'HEAD' && request.body !== null;
  const headers: Record<string, string> = {};
  for (const [name, value] of upstreamRequestHeaders(request.headers, client)) headers[name] = value;
  if (hasBody) {
    const length = request.headers.get('content-length');
    if (length && /^\d+$/.test(length)) headers['content-length'] = length;
    else headers['transfer-encoding'] = 'chunked';
  }

  return new Promise<Response>((resolve) => {
    const transport = target.protocol === 'https:' ? https : http;
    const agent = agents[target.protocol as 'http:' | 'https:'];
    const send = (attempt: number) => {
      const upstream = transport.request(target, { method, headers, agent });
      let settled = false;
      const fail = (error: Error) => {
        if (settled) return;
        settled = true;
        request.signal.removeEventListener('abort', onAbort);
        // A kept-alive socket the backend closed just as we reused it (its idle timeout, or a
        // replica that went away): the request never reached the backend, so sending it again
        // on a fresh connection is safe when there is no body to replay (Node's documented
        // pattern: `request.reusedSocket` and ECONNRESET).
        const code = (error as NodeJS.ErrnoException).code;
        if (
          attempt === 0 &&
          !hasBody &&
          upstream.reusedSocket &&
          (code === 'ECONNRESET' || code === 'EPIPE')
        ) {
          send(1);
          return;
        }
        if (request.signal.aborted) {
          resolve(new Response(null, { status: 499 }));
          return;
        }
        resolve(
          problem(
            502,
            'backend_unavailable',
            'Backend unavailable',
            `The API server could not be reached (${code ?? error.message}). Please try again in a moment.`,
          ),
        );
      };
      upstream.on('error', fail);
      // A backend that does not even accept the connection within CONNECT_TIMEOUT_MS counts as down. Once
      // connected there is no idle limit: an event stream may be quiet while the assistant thinks.
      upstream.on('socket', (socket) => {
        if (!socket.connecting) return;
        const timer = setTimeout(() => {
          const error = Object.assign(new Error('connect timeout'), { code: 'ETIMEDOUT' });
          upstream.destroy(error);
        }, CONNECT_TIMEOUT_MS);
        socket.once('connect', () => clearTimeout(timer));
        socket.once('close', () => clearTimeout(timer));
      });
      const onAbort = () => upstream.destroy(new Error('client aborted'));
      request.signal.addEventListener('abort', onAbort, { once: true });
      upstream.on('response', (res) => {
        settled = true;
        res.on('close', () => request.signal.removeEventListener('abort', onAbort));
        const status = res.statusCode ?? 502;
        const init = {
          status,
          statusText: res.statusMessage ?? '',
          headers: downstreamResponseHeaders(headersFromRaw(res.rawHeaders)),
        };
        if (method === 'HEAD' || [101, 204, 205, 304].includes(status)) {
          res.resume();
          resolve(new Response(null, init));
          return;
        }
        const length = Number(res.headers['content-length'] ?? Number.NaN);
        if (Number.isFinite(length) && length <= SMALL_BODY) {
          // a small answer of known size (most API calls): collect it, cheaper than a web stream per response
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => resolve(new Response(Buffer.concat(chunks), init)));
          res.on('error', () =>
            resolve(problem(502, 'backend_unavailable', 'Backend unavailable', 'The answer was cut off.')),
          );
          return;
        }
        resolve(new Response(Readable.toWeb(res) as ReadableStream<Uint8Array>, init));
      });
      if (hasBody && request.body) {
        Readable.fromWeb(request.body as import('node:stream/web').ReadableStream<Uint8Array>)
          .on('error', (error) => upstream.destroy(error))
          .pipe(upstream);
      } else {
        upstream.end();
      }
    };
    send(0);
  });
}
