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

/** Only same-site relative paths are followed after sign-in. */
export function safeNext(value: string | null | undefined): string {
  if (!value?.startsWith('/') || value.startsWith('//') || value.startsWith('/\\')) return '/';
  return value;
}
