import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply } from 'fastify';

/** Every API answer: nothing may load from it, nothing may frame it. */
export const API_CSP = "default-src 'none'; frame-ancestors 'none'";

/** The bodies of the inline <script> elements of a page (a scan, not a regex: one pass). */
function inlineScripts(html: string): string[] {
  const found: string[] = [];
  let from = 0;
  for (;;) {
    const open = html.indexOf('<script', from);
    const tagEnd = open === -1 ? -1 : html.indexOf('>', open);
    if (tagEnd === -1) return found;
    const close = html.indexOf('</script>', tagEnd);
    if (close === -1) return found;
    if (!/\ssrc=/.test(html.slice(open, tagEnd))) found.push(html.slice(tagEnd + 1, close));
    from = close + '</script>'.length;
  }
}

/**
 * The CSP of the /docs page (the API reference, Scalar): its script file, its one inline
 * bootstrap script by hash, the styles it injects, and calls back to this origin only.
 */
export function docsCsp(html: string): string {
  const hashes = inlineScripts(html).map(
    (code) => `'sha256-${createHash('sha256').update(code).digest('base64')}'`,
  );
  return [
    "default-src 'self'",
    `script-src 'self' ${hashes.join(' ')}`.trim(),
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "frame-ancestors 'none'",
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
}

/**
 * Sets the request id and the CSP on every reply when the request arrives, so answers written
 * past Fastify (hijacked: chat streams, MCP) carry them too, next to helmet's headers.
 */
export function installSecurityHeaders(app: FastifyInstance): void {
  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
    reply.header('content-security-policy', API_CSP);
  });
  app.addHook('onSend', async (request, reply, payload) => {
    if (request.url.startsWith('/docs') && typeof payload === 'string' && payload.includes('<script')) {
      reply.header('content-security-policy', docsCsp(payload));
    }
    return payload;
  });
}

/**
 * Before a route hijacks its reply: copies the headers Fastify has gathered (helmet's, the CSP,
 * the request id) onto the raw response, where the code that takes over writes its own.
 */
export function keepReplyHeaders(reply: FastifyReply): void {
  for (const [name, value] of Object.entries(reply.getHeaders())) {
    if (value !== undefined && !reply.raw.hasHeader(name))
      reply.raw.setHeader(name, value as string | string[]);
  }
}
