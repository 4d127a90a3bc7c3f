import type { Problem } from '@todo/contracts';
import type { FastifyPluginAsync } from 'fastify';
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

/** Better Auth's own handler under /api/auth/*, fed a web Request built from Fastify's. */
export const authRoutes: FastifyPluginAsync<{ ctx: AppContext }> = async (app, { ctx }) => {
  app.route({
    method: ['GET', 'POST'],
    url: '/api/auth/*',
    schema: { hide: true },
    config: {
      rateLimit: { max: ctx.config.rateLimitAuthPerMinute, timeWindow: '1 minute' },
    },
    async handler(request, reply) {
      const url = new URL(request.url, `http://${request.headers.host ?? 'localhost'}`);
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
      const signOut = url.pathname.endsWith('/sign-out');
      if (signOut) ctx.sessions.forget(request.headers);
      const response = await ctx.auth.handler(webRequest);
      // again once the session is gone: a lookup that started meanwhile must not be kept
      if (signOut) ctx.sessions.forget(request.headers);
      reply.status(response.status);
      response.headers.forEach((value, key) => {
        if (key === 'set-cookie') return;
        reply.header(key, value);
      });
      const cookies = response.headers.getSetCookie();
      if (cookies.length) reply.header('set-cookie', cookies);
      const body = await response.text();
      if (response.status >= 400) {
        const p = authProblem(response.status, response.headers.get('content-type'), body);
        return reply.type('application/problem+json; charset=utf-8').send(JSON.stringify(p));
      }
      return reply.send(body || null);
    },
  });
};
