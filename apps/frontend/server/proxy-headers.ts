import type { IncomingMessage } from 'node:http';
import { type Client, FORWARDING_HEADERS, forwardedHeaders } from './client-address.ts';

// Which headers the proxy passes on, each way: everything but the connection-level ones
// (RFC 9110 §7.6.1) and, going up, the ones it sets itself (Host, framing, client identity).

/** Connection-level headers (RFC 9110 §7.6.1): never forwarded in either direction. */
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
  'http2-settings',
]);

/** Request headers the proxy sets itself (framing, target, client identity). */
const REQUEST_OWN = new Set<string>(['host', 'content-length', 'expect', ...FORWARDING_HEADERS]);

/** The header names a message lists in its Connection header (also connection-level). */
function connectionListed(raw: string[]): Set<string> {
  const listed = new Set<string>();
  for (let i = 0; i + 1 < raw.length; i += 2)
    if (raw[i]?.toLowerCase() === 'connection')
      for (const name of (raw[i + 1] ?? '').split(',')) listed.add(name.trim().toLowerCase());
  return listed;
}

/** Raw header pairs minus the dropped names, keeping duplicates and order. */
function keepHeaders(raw: string[], drop: (name: string) => boolean): string[] {
  const listed = connectionListed(raw);
  const kept: string[] = [];
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i] as string;
    const lower = name.toLowerCase();
    if (HOP_BY_HOP.has(lower) || listed.has(lower) || drop(lower)) continue;
    kept.push(name, raw[i + 1] as string);
  }
  return kept;
}

/**
 * The headers sent to the backend: the client's, minus connection-level and forwarding ones,
 * plus Host (the backend's; the client's travels as X-Forwarded-Host), the decided client
 * identity, and the body's length when there is a body. Repeated headers stay repeated.
 */
export function upstreamHeaders(
  req: IncomingMessage,
  client: Client,
  body: Buffer | null,
  backendHost: string,
): Record<string, string | string[]> {
  const raw = [
    'host',
    backendHost,
    ...keepHeaders(req.rawHeaders, (name) => REQUEST_OWN.has(name)),
    ...Object.entries(forwardedHeaders(client)).flat(),
    ...(body ? ['content-length', String(body.length)] : []),
  ];
  const headers: Record<string, string | string[]> = {};
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i] as string;
    const value = raw[i + 1] as string;
    const known = headers[name];
    headers[name] = known === undefined ? value : [...(Array.isArray(known) ? known : [known]), value];
  }
  return headers;
}

export function downstreamHeaders(upstream: IncomingMessage): string[] {
  const headers = keepHeaders(upstream.rawHeaders, () => false);
  if ((upstream.headers['content-type'] ?? '').startsWith('text/event-stream')) {
    // events go out as they arrive: no caching, no compression, no buffering by a proxy in front
    const rest = keepHeaders(headers, (name) => name === 'cache-control' || name === 'x-accel-buffering');
    return [...rest, 'cache-control', 'no-cache, no-transform', 'x-accel-buffering', 'no'];
  }
  return headers;
}
