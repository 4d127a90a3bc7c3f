import type { FastifyRequest } from 'fastify';
import { HttpProblem } from '../http/problem.js';
import type { Auth } from './auth.js';

export interface AuthUser {
  id: string;
  email: string;
  name: string;
}

interface Entry {
  user: AuthUser | null;
  expires: number;
}

/**
 * Resolves the user of a request from its bearer token or session cookie through Better Auth.
 * Results are kept for a few seconds per credential, so a burst of API calls costs one session
 * lookup; signing out on this replica drops the entry at once (other replicas within the TTL).
 */
export class SessionResolver {
  private readonly cache = new Map<string, Entry>();
  private readonly inflight = new Map<string, Promise<AuthUser | null>>();

  constructor(
    private readonly auth: Auth,
    private readonly ttlMs = 5_000,
    private readonly maxEntries = 10_000,
  ) {}

  static credentialKey(headers: FastifyRequest['headers']): string | undefined {
    const authz = headers.authorization;
    if (typeof authz === 'string' && /^bearer\s+\S/i.test(authz)) return `b:${authz.slice(7).trim()}`;
    const cookie = headers.cookie;
    if (typeof cookie === 'string' && cookie.includes('session_token')) return `c:${cookie}`;
    return undefined;
  }

  forget(headers: FastifyRequest['headers']): void {
    const key = SessionResolver.credentialKey(headers);
    if (key) {
      this.cache.delete(key);
      this.inflight.delete(key);
    }
  }

  async resolve(request: FastifyRequest): Promise<AuthUser | null> {
    const key = SessionResolver.credentialKey(request.headers);
    if (!key) return null;
    const hit = this.cache.get(key);
    if (hit && hit.expires > Date.now()) return hit.user;
    // Requests that arrive together with the same credential share one lookup. Its result is
    // kept only if nobody called forget() (sign-out) meanwhile.
    const shared = this.inflight.get(key);
    if (shared) return shared;
    const pending: Promise<AuthUser | null> = this.lookup(request.headers).then(
      (entry) => {
        if (this.inflight.get(key) === pending) {
          this.inflight.delete(key);
          if (this.cache.size >= this.maxEntries) this.cache.clear();
          this.cache.set(key, entry);
        }
        return entry.user;
      },
      (err: unknown) => {
        if (this.inflight.get(key) === pending) this.inflight.delete(key);
        throw err;
      },
    );
    this.inflight.set(key, pending);
    return pending;
  }

  private async lookup(incoming: FastifyRequest['headers']): Promise<Entry> {
    const headers = new Headers();
    if (incoming.authorization) headers.set('authorization', incoming.authorization);
    if (incoming.cookie) headers.set('cookie', incoming.cookie);
    const result = await this.auth.api.getSession({ headers, query: { disableRefresh: true } });
    const user = result ? { id: result.user.id, email: result.user.email, name: result.user.name } : null;
    // A session that ends within the TTL is cached only until it ends.
    const now = Date.now();
    const sessionEnd = result ? new Date(result.session.expiresAt).getTime() : now + this.ttlMs;
    return { user, expires: Math.min(now + this.ttlMs, sessionEnd) };
  }

  async require(request: FastifyRequest): Promise<AuthUser> {
    const user = await this.resolve(request);
    if (!user) throw new HttpProblem(401, 'unauthorized', 'sign in, or send Authorization: Bearer <token>');
    return user;
  }
}
