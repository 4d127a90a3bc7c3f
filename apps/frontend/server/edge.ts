import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Client } from './client-address.ts';
import { resolveClient, rewriteForwarding } from './client-address.ts';
import { declaredTooLarge, refuseTooLarge } from './request-body.ts';

// The first thing every request meets: decide the client (client-address.ts), then send /api/*
// to the backend (api-proxy.ts) and everything else to Next.js with the same, rewritten,
// forwarding headers. Kept apart from main.ts so tests can run it without Next.js.

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

export interface EdgeOptions {
  /** TRUSTED_PROXY_HOPS (settings.ts). */
  hops: number;
  bodyLimit: number;
  proxy: (req: IncomingMessage, res: ServerResponse, client: Client, path: string) => void;
  /** Next.js's request handler. */
  next: (req: IncomingMessage, res: ServerResponse) => Promise<void>;
  log?: (message: string) => void;
}

/** The normalised path and query of a request the proxy answers, or null for Next.js's. */
export function apiPath(rawUrl: string | undefined): string | null {
  let url: URL;
  try {
    url = new URL(rawUrl ?? '/', 'http://edge.invalid');
  } catch {
    return null;
  }
  // `..` and `%2e%2e` segments are resolved first: /api/../mcp is not an API path
  if (!url.pathname.startsWith('/api/') || url.pathname === '/api/healthz') return null;
  return url.pathname + url.search;
}

export function createEdge(options: EdgeOptions): { handle: Handler; checkContinue: Handler } {
  const log = options.log ?? ((message: string) => console.error(message));

  const handle: Handler = (req, res) => {
    const client = resolveClient(req, options.hops);
    rewriteForwarding(req.headers, client);
    const path = apiPath(req.url);
    if (path) {
      options.proxy(req, res, client, path);
      return;
    }
    options.next(req, res).catch((error: unknown) => {
      log(
        `next: ${req.method} ${req.url?.split('?')[0]} failed: ${error instanceof Error ? error.message : String(error)}`,
      );
      if (!res.headersSent) {
        res.statusCode = 500;
        res.end('Internal Server Error');
      } else res.destroy();
    });
  };

  // `Expect: 100-continue`: an API body that is declared too large is refused before the client
  // sends it; everything else is invited to continue.
  const checkContinue: Handler = (req, res) => {
    if (apiPath(req.url) && declaredTooLarge(req, options.bodyLimit)) {
      refuseTooLarge(req, res, true);
      return;
    }
    res.writeContinue();
    handle(req, res);
  };

  return { handle, checkContinue };
}
