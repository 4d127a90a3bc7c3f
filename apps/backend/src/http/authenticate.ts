import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AuthUser, SessionResolver } from '../auth/session.js';
import { HttpProblem } from './problem.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The signed-in user. Set by `requireUser` before anything else runs; read only in its scope. */
    user: AuthUser;
  }
}

/**
 * Makes every route registered in `scope` require a signed-in user: the one session check of the
 * user routes, at the first hook, before the body is read or any limit is counted. A handler in
 * the scope reads `request.user` and cannot forget the check.
 */
export function requireUser(scope: FastifyInstance, sessions: SessionResolver): void {
  scope.decorateRequest('user', null as unknown as AuthUser);
  scope.addHook('onRequest', async (request: FastifyRequest) => {
    const user = await sessions.resolve(request);
    if (!user) throw new HttpProblem(401, 'unauthorized', 'sign in, or send Authorization: Bearer <token>');
    request.user = user;
  });
}
