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
  // The backend must not compress: fetch would decode it and the browser would decode it again.
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
  if (upstream.has('content-encoding')) {
    // fetch already decoded the body, so these would now lie
    headers.delete('content-encoding');
    headers.delete('content-length');
  }
  if ((headers.get('content-type') ?? '').startsWith('text/event-stream')) {
    // no buffering, no compression on the way to the browser
    headers.set('cache-control', 'no-cache, no-transform');
    headers.set('x-accel-buffering', 'no');
  }
  return headers;
}

export function problem(status: number, code: string, title: string, detail: string): Response {
  return new Response(JSON.stringify({ type: 'about:blank', title, status, detail, code }), {
    status,
    headers: { 'content-type': 'application/problem+json', 'cache-control': 'no-store' },
  });
}

export async function forward(
  request: Request,
  backend: string,
  client: ClientInfo,
  fetchImpl: typeof fetch = fetch,
): Promise<Response> {
  const url = new URL(request.url);
  const target = `${backend}${url.pathname}${url.search}`;
  const hasBody = request.method !== 'GET' && request.method !== 'HEAD' && request.body !== null;
  const init: RequestInit & { duplex?: 'half' } = {
    method: request.method,
    headers: upstreamRequestHeaders(request.headers, client),
    redirect: 'manual',
    signal: request.signal,
  };
  if (hasBody) {
    init.body = request.body;
    init.duplex = 'half';
  }
  let upstream: Response;
  try {
    upstream = await fetchImpl(target, init);
  } catch (error) {
    if (request.signal.aborted) return new Response(null, { status: 499 });
    const reason =
      error instanceof Error && error.cause instanceof Error ? error.cause.message : String(error);
    return problem(
      502,
      'backend_unavailable',
      'Backend unavailable',
      `The API server could not be reached (${reason}). Please try again in a moment.`,
    );
  }
  const nullBody = request.method === 'HEAD' || [101, 204, 205, 304].includes(upstream.status);
  return new Response(nullBody ? null : upstream.body, {
    status: upstream.status,
    statusText: upstream.statusText,
    headers: downstreamResponseHeaders(upstream.headers),
  });
}
