import type { IncomingHttpHeaders } from 'node:http';
import { isIP } from 'node:net';

// Who is on the other end of a request. The frontend is the first hop we control, so this is
// where the client's address is decided, once: from the socket, or from X-Forwarded-For entries
// appended by a configured number of trusted proxies in front of us (TRUSTED_PROXY_HOPS). Any
// other forwarding header is the client's word and is dropped.

export interface Client {
  /** The client's address: what the backend's per-address limits key on. */
  ip: string;
  /** The scheme the client used to reach the first hop. */
  proto: 'http' | 'https';
  /** The Host the client asked for. */
  host: string;
}

/** The part of an IncomingMessage this module reads. */
export interface RequestLike {
  headers: IncomingHttpHeaders;
  socket: { remoteAddress?: string | undefined; encrypted?: boolean };
}

/** Headers a client could use to claim another address, host or scheme. */
export const FORWARDING_HEADERS = [
  'forwarded',
  'x-forwarded-for',
  'x-forwarded-host',
  'x-forwarded-proto',
  'x-forwarded-port',
  'x-forwarded-server',
  'x-real-ip',
  'x-client-ip',
  'true-client-ip',
  'cf-connecting-ip',
] as const;

/** An address as a proxy writes it ("203.0.113.7", "[2001:db8::1]:443", "::ffff:10.0.0.1"), or undefined. */
export function normaliseIp(value: string | undefined): string | undefined {
  let ip = value?.trim();
  if (!ip) return undefined;
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(ip);
  if (bracketed?.[1]) ip = bracketed[1];
  else if (/^[\d.]+:\d+$/.test(ip)) ip = ip.slice(0, ip.lastIndexOf(':'));
  const mapped = /^::ffff:([\d.]+)$/i.exec(ip);
  if (mapped?.[1]) ip = mapped[1];
  return isIP(ip) ? ip.toLowerCase() : undefined;
}

function headerList(value: string | string[] | undefined): string[] {
  const joined = Array.isArray(value) ? value.join(',') : (value ?? '');
  return joined
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
}

/**
 * Decides the client of a request. With `hops` trusted proxies in front, the hop chain is the
 * X-Forwarded-For entries followed by the socket's address; the client is the entry `hops`
 * places left of the socket (each trusted proxy appended the address it saw). Entries further
 * left were written by the client and are never used. With a shorter chain than expected (a
 * request that bypassed the proxies) the leftmost entry is used; an entry that is not an
 * address falls back to the socket's.
 */
export function resolveClient(request: RequestLike, hops: number): Client {
  const socketIp = normaliseIp(request.socket.remoteAddress) ?? '0.0.0.0';
  let ip = socketIp;
  let proto: Client['proto'] = request.socket.encrypted ? 'https' : 'http';
  if (hops > 0) {
    const chain = [...headerList(request.headers['x-forwarded-for']), socketIp];
    ip = normaliseIp(chain[Math.max(0, chain.length - 1 - hops)]) ?? socketIp;
    // X-Forwarded-Proto is usually set, not appended, by a proxy: read it from the same end.
    const protos = headerList(request.headers['x-forwarded-proto']);
    const claimed = protos[Math.max(0, protos.length - hops)]?.toLowerCase();
    if (claimed === 'https' || claimed === 'http') proto = claimed;
  }
  const host =
    typeof request.headers.host === 'string' && request.headers.host ? request.headers.host : 'localhost';
  return { ip, proto, host };
}

/** The forwarding headers this app sends on (to the backend, and to its own pages): exactly one value each. */
export function forwardedHeaders(
  client: Client,
): Record<'x-forwarded-for' | 'x-forwarded-proto' | 'x-forwarded-host', string> {
  return { 'x-forwarded-for': client.ip, 'x-forwarded-proto': client.proto, 'x-forwarded-host': client.host };
}

/**
 * Replaces whatever forwarding headers a request carried with the decided ones, so Next.js (which
 * only adds X-Forwarded-For from the socket when none was sent) and the pages' own backend calls
 * see the same client as the proxy.
 */
export function rewriteForwarding(headers: IncomingHttpHeaders, client: Client): void {
  for (const name of FORWARDING_HEADERS) delete headers[name];
  Object.assign(headers, forwardedHeaders(client));
}
