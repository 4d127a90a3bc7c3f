// The frontend's server: Next.js's request handler behind a small edge of our own (edge.ts), so
// the client's address comes from the socket (TRUSTED_PROXY_HOPS decides which forwarded
// entries count) and /api/* is proxied by plain Node (api-proxy.ts). Next.js itself has no hook
// for the socket's address (its own server only adds X-Forwarded-For when the client sent none).
//
//   node server/main.ts          production: the standalone build this folder sits in
//                                (.next/standalone/apps/frontend/server/, copied there by
//                                scripts/start.mjs and the Dockerfile), or apps/frontend after `next build`
//   node server/main.ts --dev    development (`pnpm --filter frontend dev`)
//
// Node 24 runs this TypeScript directly (type stripping, stable since 24.12): erasable syntax only.
import { readFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { createApiProxy } from './api-proxy.ts';
import { createEdge } from './edge.ts';
import { BODY_LIMIT, backendUrl, keepAliveTimeout, shutdownDelayMs, trustedProxyHops } from './settings.ts';

const dev = process.argv.includes('--dev');
const dir = path.resolve(import.meta.dirname, '..');
const port = Number.parseInt(process.env.PORT ?? '', 10) || 3000;
const hostname = process.env.HOSTNAME || '0.0.0.0';
/** How long a SIGTERM waits for requests in flight (event streams included) before closing them. */
const DRAIN_MS = 20_000;

let hops: number;
let delayMs: number;
try {
  hops = trustedProxyHops();
  delayMs = shutdownDelayMs(process.env, !dev);
} catch (error) {
  console.error(`frontend: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}

if (!dev) {
  // What Next's generated standalone server.js does before loading Next: production mode, the
  // build's own folder, and the configuration the build serialised (no next.config.ts at run time).
  Object.assign(process.env, { NODE_ENV: 'production' });
  process.chdir(dir);
  const manifest = JSON.parse(readFileSync(path.join(dir, '.next/required-server-files.json'), 'utf8')) as {
    config: unknown;
  };
  process.env.__NEXT_PRIVATE_STANDALONE_CONFIG ??= JSON.stringify(manifest.config);
}

// Imported only now: Next and React read NODE_ENV when they load.
const { default: next } = await import('next');
const app = next({ dev, dir, hostname, port });
const nextHandler = app.getRequestHandler();
await app.prepare();

const edge = createEdge({
  hops,
  bodyLimit: BODY_LIMIT,
  proxy: createApiProxy({ backend: () => backendUrl(), bodyLimit: BODY_LIMIT }),
  next: (req, res) => nextHandler(req, res),
});

let stopping = false;
const server = http.createServer((req, res) => {
  // after SIGTERM: still serving, but no connection is kept for another request
  if (stopping) res.setHeader('Connection', 'close');
  edge.handle(req, res);
});
server.on('checkContinue', edge.checkContinue);
const keepAlive = keepAliveTimeout();
if (keepAlive !== undefined) server.keepAliveTimeout = keepAlive;

server.listen(port, hostname, () => {
  console.log(
    `frontend: ${dev ? 'development' : 'production'} server on http://${hostname}:${port} (TRUSTED_PROXY_HOPS=${hops}, BACKEND_URL read per request)`,
  );
});

async function stop(signal: 'SIGINT' | 'SIGTERM') {
  if (stopping) return;
  stopping = true;
  // keep serving until the Service has let go of this pod, so no new connection is refused
  if (signal === 'SIGTERM' && delayMs > 0) {
    console.log(`frontend: SIGTERM, serving ${delayMs} ms more before draining`);
    await new Promise((r) => setTimeout(r, delayMs));
  }
  // stop accepting, let requests in flight finish (idle kept-alive connections close at once)
  const force = setTimeout(() => server.closeAllConnections(), DRAIN_MS);
  force.unref();
  server.close(() => {
    void app.close().finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
  });
  server.closeIdleConnections();
}
process.once('SIGINT', () => void stop('SIGINT'));
process.once('SIGTERM', () => void stop('SIGTERM'));
