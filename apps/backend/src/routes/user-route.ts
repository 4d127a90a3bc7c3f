import { Problem } from '@todo/contracts';

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
