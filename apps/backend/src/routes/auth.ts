import type { Problem } from '@todo/contracts';
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { SignInThrottle } from '../auth/sign-in-throttle.js';
import type { AppContext } from '../container.js';
import { problem } from '../http/problem.js';

/**
 * Better Auth's error answers (`{ code: "INVALID_EMAIL_OR_PASSWORD", message }`, or plain text) as
 * problem details like every other API error. `message` stays as an extension member: Better
 * Auth's client shows it.
 */
export function authProblem(
  status: number,
  contentType: string | null,
  body: string,
): Problem & { message: string } {
  let code = status === 429 ? 'rate_limited' : 'auth_error';
  let detail = body.trim() || 'authentication failed';
  if (contentType?.includes('json')) {
    try {
      const parsed = JSON.parse(body) as { code?: unknown; message?: unknown };
      if (typeof parsed.code === 'string' && /^[A-Za-z0-9_]{1,64}$/.test(parsed.code))
        code = parsed.code.toLowerCase();
      detail =
        typeof parsed.message === 'string' && parsed.message ? parsed.message : 'authentication failed';
    } catch {
      detail = 'authentication failed';
    }
  }
  return { ...problem(status, code, detail), message: detail };
}

/** Endpoints after which the user's other sessions may be gone: every replica drops its cache. */
const REVOKING = new Set([
  '/api/auth/change-password',
  '/api/auth/revoke-session',
  '/api/auth/revoke-sessions',
  '/api/auth/revoke-other-sessions',
  '/api/auth/delete-user',
]);

/** Endpoints whose answers carry sessions: their raw tokens never leave the backend. */
const LISTS_SESSIONS = new Set(['/api/auth/get-session', '/api/auth/list-sessions']);

/** Drops `token` from every session object of a get-session or list-sessions answer. */
export function withoutSessionTokens(body: unknown): unknown {
  const strip = (s: unknown) => {
    if (s && typeof s === 'object' && 'token' in s) {
      const { token: _token, ...rest } = s as Record<string, unknown>;
      return rest;
    }
    return s;
  };
  if (Array.isArray(body)) return body.map(strip);
  if (body && typeof body === 'object' && 'session' in body) {
    const b = body as Record<string, unknown>;
    return { ...b, session: strip(b.session) };
  }
  return body;
}

const SIGN_IN = '/api/auth/sign-in/email';

/** Better Auth's own handler under /api/auth/*, fed a web Request built from Fastify's. */
export const authRoutes: FastifyPluginAsync<{ ctx: AppContext }> = async (app, { ctx }) => {
  const throttle = new SignInThrottle(ctx.config.signInFailuresPerAccount);
  // The request's own Host is not trusted to build a URL (a malformed one made this a 500).
  const base = new URL(ctx.config.betterAuthUrl ?? 'http://localhost').origin;

  const problemReply = (status: number, code: string, detail: string) =>
    JSON.stringify({ ...problem(status, code, detail), message: detail });

  app.route({
    method: ['GET', 'POST'],
    url: '/api/auth/*',
    schema: { hide: true },
    config: {
      rateLimit: { max: ctx.config.rateLimitAuthPerMinute, timeWindow: '1 minute' },
    },
    async handler(request: FastifyRequest, reply) {
      const url = new URL(request.url, base);
      const path = url.pathname;
      const account =
        request.method === 'POST' && path === SIGN_IN
          ? SignInThrottle.account((request.body as { email?: unknown } | undefined)?.email)
          : undefined;
      const wait = account ? throttle.retryAfterMs(account) : 0;
      if (wait > 0) {
        const minutes = Math.ceil(wait / 60_000);
        return reply
          .code(429)
          .header('retry-after', String(Math.ceil(wait / 1000)))
          .type('application/problem+json; charset=utf-8')
          .send(
            problemReply(
              429,
              'too_many_failed_sign_ins',
              `Too many failed sign-ins for this account: try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`,
            ),
          );
      }
      const revoker = REVOKING.has(path) ? await ctx.sessions.resolve(request) : null;

      const headers = new Headers();
      for (const [key, value] of Object.entries(request.headers)) {
        if (value === undefined) continue;
        headers.set(key, Array.isArray(value) ? value.join(', ') : String(value));
      }
      const hasBody = request.method !== 'GET' && request.body !== undefined && request.body !== null;
      const webRequest = new Request(url, {
        method: request.method,
        headers,
        ...(hasBody
          ? { body: typeof request.body === 'string' ? request.body : JSON.stringify(request.body) }
          : {}),
      });
      const signOut = path === '/api/auth/sign-out';
      if (signOut) ctx.sessions.forget(request.headers);
      const response = await ctx.auth.handler(webRequest);
      // again once the session is gone: a lookup that started meanwhile must not be kept
      if (signOut) ctx.sessions.forget(request.headers);
      if (revoker && response.ok) await ctx.revocations.revoked(revoker.id);
      if (account) {
        if (response.ok) throttle.succeeded(account);
        else if (response.status === 401) throttle.failed(account);
      }

      reply.status(response.status);
      response.headers.forEach((value, key) => {
        if (key === 'set-cookie' || key === 'content-length') return;
        reply.header(key, value);
      });
      const cookies = response.headers.getSetCookie();
      if (cookies.length) reply.header('set-cookie', cookies);
      const body = await response.text();
      if (response.status >= 400) {
        const p = authProblem(response.status, response.headers.get('content-type'), body);
        return reply.type('application/problem+json; charset=utf-8').send(JSON.stringify(p));
      }
      if (LISTS_SESSIONS.has(path) && body && response.headers.get('content-type')?.includes('json')) {
        return reply.send(JSON.stringify(withoutSessionTokens(JSON.parse(body))));
      }
      return reply.send(body || null);
    },
  });
};
