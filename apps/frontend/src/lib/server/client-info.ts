import type { ClientInfo } from './forward';

interface RequestLike {
  headers: Headers;
  url: string;
  nextUrl?: { protocol: string };
}

function lastHop(forwardedFor: string | null): string | undefined {
  // Next.js records the socket's address in x-forwarded-for when the request carried none; the last entry is
  // the hop nearest to us.
  return forwardedFor?.split(',').at(-1)?.trim() || undefined;
}

function normaliseProto(value: string | undefined): string {
  const proto = value?.split(',')[0]?.trim().replace(/:$/, '').toLowerCase();
  return proto === 'https' ? 'https' : 'http';
}

/**
 * What the browser used to reach us: the Host header it sent and the protocol the Next.js server saw
 * (it honours a TLS-terminating ingress's X-Forwarded-Proto). Everything else the client sent in
 * X-Forwarded-* is replaced by the proxy.
 */
export function clientInfo(request: RequestLike): ClientInfo {
  const url = new URL(request.url);
  return {
    host: request.headers.get('host') ?? url.host,
    proto: normaliseProto(request.nextUrl?.protocol ?? url.protocol),
    ip: lastHop(request.headers.get('x-forwarded-for')),
  };
}

/** The same, from a server component's `headers()`. */
export function clientInfoFromHeaders(headers: Headers): ClientInfo {
  return {
    host: headers.get('host') ?? 'localhost',
    proto: normaliseProto(headers.get('x-forwarded-proto') ?? undefined),
    ip: lastHop(headers.get('x-forwarded-for')),
  };
}
