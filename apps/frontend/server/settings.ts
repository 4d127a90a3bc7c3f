// The edge server's settings, read from the environment. Shared with the Next.js side
// (src/lib/server/session.ts reads BACKEND_URL through backendUrl), so nothing here imports.

type Env = Record<string, string | undefined>;

export const DEFAULT_BACKEND_URL = 'http://localhost:8000';

/** Largest request body the proxy accepts: the backend's own limit (apps/backend/src/app.ts). */
export const BODY_LIMIT = 1024 * 1024;

/** BACKEND_URL, read on every call (never inlined at build time), without a trailing slash. */
export function backendUrl(env: Env = process.env): string {
  const raw = env.BACKEND_URL?.trim() || DEFAULT_BACKEND_URL;
  return raw.replace(/\/+$/, '');
}

/** Most proxy hops anyone puts in front of this app (an ingress, maybe a load balancer before it). */
const MAX_HOPS = 10;

/**
 * TRUSTED_PROXY_HOPS: how many proxies in front of the frontend append to X-Forwarded-For and
 * are trusted to. 0 (the default) means clients connect directly (NodePort): every forwarded
 * header a client sends is ignored. 1 means an ingress controller is in front.
 */
export function trustedProxyHops(env: Env = process.env): number {
  const raw = env.TRUSTED_PROXY_HOPS?.trim();
  if (!raw) return 0;
  const hops = /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isInteger(hops) || hops > MAX_HOPS)
    throw new Error(
      `TRUSTED_PROXY_HOPS must be a whole number from 0 to ${MAX_HOPS} (the proxies in front of the frontend: 0 for a NodePort, 1 behind an ingress), not "${raw}"`,
    );
  return hops;
}

/** KEEP_ALIVE_TIMEOUT in milliseconds, as Next's own standalone server reads it; undefined keeps Node's. */
export function keepAliveTimeout(env: Env = process.env): number | undefined {
  const value = Number.parseInt(env.KEEP_ALIVE_TIMEOUT ?? '', 10);
  return Number.isFinite(value) && value >= 0 ? value : undefined;
}

/** Longest SHUTDOWN_DELAY_MS accepted: it must fit in the pod's termination grace period (30 s). */
const MAX_SHUTDOWN_DELAY_MS = 20_000;

/**
 * SHUTDOWN_DELAY_MS: after SIGTERM the server keeps serving this long before it stops accepting,
 * so kube-proxy has removed the pod from the Service first (the backend does the same). 5000 in
 * production, 0 in development.
 */
export function shutdownDelayMs(env: Env = process.env, production = env.NODE_ENV === 'production'): number {
  const raw = env.SHUTDOWN_DELAY_MS?.trim();
  if (!raw) return production ? 5_000 : 0;
  const ms = /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isInteger(ms) || ms > MAX_SHUTDOWN_DELAY_MS)
    throw new Error(
      `SHUTDOWN_DELAY_MS must be a whole number of milliseconds from 0 to ${MAX_SHUTDOWN_DELAY_MS}, not "${raw}"`,
    );
  return ms;
}
