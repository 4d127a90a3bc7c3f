export const DEFAULT_BACKEND_URL = 'http://localhost:8000';

/** BACKEND_URL, read on every call (never inlined at build time), without a trailing slash. */
export function backendUrl(env: NodeJS.ProcessEnv = process.env): string {
  const raw = env.BACKEND_URL?.trim() || DEFAULT_BACKEND_URL;
  return raw.replace(/\/+$/, '');
}
