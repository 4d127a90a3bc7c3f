import { Problem } from '@todo/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';

/** OpenAPI security of every user route: a bearer token (API clients) or the session cookie. */
export const security: { [name: string]: string[] }[] = [{ bearerAuth: [] }, { cookieAuth: [] }];

type Problems<S extends number> = { [K in S]: typeof Problem };

/** Problem-details responses for the given statuses. */
export function problems<const S extends number>(...statuses: S[]): Problems<S> {
  return Object.fromEntries(statuses.map((s) => [s, Problem])) as Problems<S>;
}

/**
 * The schema of a route in the user scope (every one answers 401 to a request without a signed-in
 * user, see http/authenticate.ts): adds the OpenAPI security and the 401 problem, so a route
 * states only its own answers and the problems it adds (`problems: [400, 404]`).
 */
export function userRoute<const T extends { response: object }, const S extends number = never>(
  schema: T & { problems?: readonly S[] },
): Omit<T, 'problems' | 'response'> & {
  security: typeof security;
  response: T['response'] & Problems<401 | S>;
} {
  const { problems: extra = [], response, ...rest } = schema;
  return { ...rest, security, response: { ...response, ...problems<401 | S>(401, ...extra) } } as never;
}

/** The Fastify instance a route plugin receives, with zod schemas as its type provider. */
type RouteScope = Parameters<FastifyPluginAsyncZod>[0];

/**
 * DELETE `path` (which names the resource as `:id`) in the user scope: `remove` deletes the
 * signed-in user's resource and the route answers 204; 400 for an id `params` rejects, 404 when
 * `remove` throws the domain's not-found error.
 */
export function deleteByIdRoute(
  app: RouteScope,
  route: {
    path: string;
    tags: string[];
    summary: string;
    params: z.ZodType<{ id: string }>;
    remove: (userId: string, id: string) => Promise<unknown>;
  },
): void {
  const { path, tags, summary, params, remove } = route;
  app.delete(
    path,
    { schema: userRoute({ tags, summary, params, response: { 204: z.undefined() }, problems: [400, 404] }) },
    async (request, reply) => {
      await remove(request.user.id, request.params.id);
      return reply.code(204).send();
    },
  );
}
