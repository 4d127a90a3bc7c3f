/** OpenAPI security of every user route: a bearer token (API and MCP clients) or the session cookie. */
export const security: { [name: string]: string[] }[] = [{ bearerAuth: [] }, { cookieAuth: [] }];
