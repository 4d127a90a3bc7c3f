import { performance } from 'node:perf_hooks';
import type { FastifyRequest } from 'fastify';
import { LRUCache } from 'lru-cache';
import type { Auth } from './auth.js';

export interface AuthUser {
  id: string;
  email: string;
  name: string;
}

/** `null` is a cached answer too: the credential signs nobody in. */
type Lookup = { user: AuthUser | null };

/**
 * Resolves the user of a request from its bearer token or session cookie through Better Auth.
 * Results are kept for a few seconds per credential (never past the session's end), so a burst of
 * API calls costs one session lookup, and requests that arrive together share one lookup.
 * `forget` (sign-out) drops one credential's entry and discards a lookup still in flight;
 * `forgetUser` (any revocation: password change, revoked sessions) drops every entry of a user, and
 * a lookup that was already running when it happened is done again. Revocations reach the other
 * replicas through `auth/revocations.ts`.
 */
export class SessionResolver {
  private readonly cache: LRUCache<string, Lookup, FastifyRequest['headers']>;
  /** When each user's sessions were last revoked (kept as long as a cached entry could be older). */
  private readonly revokedAt: LRUCache<string, number>;

  constructor(
    private readonly auth: Auth,
    readonly ttlMs = 5_000,
    maxEntries = 10_000,
  ) {
    this.revokedAt = new LRUCache<string, number>({ max: maxEntries, ttl: Math.max(ttlMs, 1_000) * 2 });
    this.cache = new LRUCache<string, Lookup, FastifyRequest['headers']>({
      max: maxEntries,
      ttl: ttlMs,
      // a lookup overtaken by forget() answers "nobody" (the session is being signed out)
      allowStaleOnFetchAbort: true,
      fetchMethod: async (_key, _stale, { context, options }) => {
        const { lookup, endsAt } = await this.lookup(context);
        // a session that ends within the TTL is cached only until it ends
        if (endsAt !== undefined) options.ttl = Math.max(1, Math.min(this.ttlMs, endsAt - Date.now()));
        return lookup;
      },
    });
  }

  static credentialKey(headers: FastifyRequest['headers']): string | undefined {
    const authz = headers.authorization;
    if (typeof authz === 'string' && /^bearer\s+\S/i.test(authz)) return `b:${authz.slice(7).trim()}`;
    const cookie = headers.cookie;
    if (typeof cookie === 'string' && cookie.includes('session_token')) return `c:${cookie}`;
    return undefined;
  }

  forget(headers: FastifyRequest['headers']): void {
    const key = SessionResolver.credentialKey(headers);
    // deleting aborts a fetch in flight: its result is not stored
    if (key) this.cache.delete(key);
  }

  forgetUser(userId: string): void {
    this.revokedAt.set(userId, performance.now());
    for (const [key, entry] of this.cache.entries()) {
      if (entry.user?.id === userId) this.cache.delete(key);
    }
  }

  async resolve(request: FastifyRequest): Promise<AuthUser | null> {
    const key = SessionResolver.credentialKey(request.headers);
    if (!key) return null;
    const entry = await this.cache.fetch(key, { context: request.headers });
    return entry?.user ?? null;
  }

  /** A lookup that no revocation overtook: one that did is done again (once is enough: the revocation is committed). */
  private async lookup(incoming: FastifyRequest['headers']): Promise<{ lookup: Lookup; endsAt?: number }> {
    const started = performance.now();
    const first = await this.lookupOnce(incoming);
    const userId = first.lookup.user?.id;
    const revoked = userId ? this.revokedAt.get(userId) : undefined;
    return revoked !== undefined && revoked >= started ? this.lookupOnce(incoming) : first;
  }

  private async lookupOnce(
    incoming: FastifyRequest['headers'],
  ): Promise<{ lookup: Lookup; endsAt?: number }> {
    const headers = new Headers();
    if (incoming.authorization) headers.set('authorization', incoming.authorization);
    if (incoming.cookie) headers.set('cookie', incoming.cookie);
    const result = await this.auth.api.getSession({ headers, query: { disableRefresh: true } });
    if (!result) return { lookup: { user: null } };
    const user = { id: result.user.id, email: result.user.email, name: result.user.name };
    return { lookup: { user }, endsAt: new Date(result.session.expiresAt).getTime() };
  }
}
