import type { ClientInfo } from './forward';

interface RequestLike {
  headers: Headers;
  url: string;
  nextUrl?: { protocol: string };
}

/**
 * What the browser used to reach us. The Host header is what the browser sent; the protocol is the one the
 * Next.js server accepted the connection with. Any X-Forwarded-* the client sent is replaced.
 */
export function clientInfo(request: RequestLike): ClientInfo {
  const url = new URL(request.url);
  const host = request.headers.get('host') ?? url.host;
  const proto = (request.nextUrl?.protocol ?? url.protocol).replace(/:$/, '');
  const forwardedFor = request.headers.get('x-forwarded-for');
  // Next.js records the socket's remote address in x-forwarded-for when none was sent; take the last hop,
  // which is the one our own server added or saw.
  const ip = forwardedFor?.split(',').at(-1)?.trim() || undefined;
  return { host, proto, ip };
}
