import type { FastifyPluginAsync } from 'fastify';
import type { AppContext } from './context.js';

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
      if (url.pathname.endsWith('/sign-out')) ctx.sessions.forget(request.headers);
      const response = await ctx.auth.handler(webRequest);
      reply.status(response.status);
      response.headers.forEach((value, key) => {
        if (key === 'set-cookie') return;
        reply.header(key, value);
      });
      const cookies = response.headers.getSetCookie();
      if (cookies.length) reply.header('set-cookie', cookies);
      const body = await response.text();
      if (response.status >= 400 && !response.headers.get('content-type')?.includes('json')) {
        return reply.type('application/problem+json').send(
          JSON.stringify({
            type: 'about:blank',
            title: 'Authentication error',
            status: response.status,
            detail: body || 'authentication failed',
            code: response.status === 429 ? 'rate_limited' : 'auth_error',
          }),
        );
      }
      return reply.send(body || null);
    },
  });
};
