'use client';

import { createAuthClient } from 'better-auth/react';

type AuthClient = ReturnType<typeof createAuthClient>;
let client: AuthClient | undefined;

/** Better Auth's React client, talking to our own origin (the same-origin proxy forwards /api/auth/*). */
export function authClient(): AuthClient {
  client ??= createAuthClient({
    baseURL: window.location.origin,
    // resolve fetch per call (lets tests and instrumentation swap it)
    fetchOptions: { customFetchImpl: (input, init) => fetch(input, init) },
  });
  return client;
}

/**
 * Where to go after signing in: `next` resolved against this page's origin by the URL parser (as
 * the browser will resolve it), kept only when it stays on this origin. String checks are not
 * enough: the parser drops tabs and newlines and reads `\` as `/`, so `/\t/evil.example` is
 * `//evil.example`, another site. Returns a path (with query and fragment), or `/`.
 */
export function safeNext(value: string | null | undefined, origin: string = window.location.origin): string {
  if (!value) return '/';
  let url: URL;
  try {
    url = new URL(value, origin);
  } catch {
    return '/';
  }
  if (url.origin !== origin || (url.protocol !== 'http:' && url.protocol !== 'https:')) return '/';
  const path = `${url.pathname}${url.search}${url.hash}`;
  // a path the parser normalised to start with `//` (e.g. `/.//host`) would leave the origin when followed
  return path.startsWith('//') ? '/' : path;
}
