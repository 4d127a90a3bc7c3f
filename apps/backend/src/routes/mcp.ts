import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../container.js';
import { keepReplyHeaders } from '../http/security-headers.js';
import { createMcpServer } from '../mcp/server.js';

const jsonRpcError = (code: number, message: string) => ({
  jsonrpc: '2.0',
  error: { code, message },
  id: null,
});

/** The MCP key of a request: `Authorization: Bearer todo_mcp_…` or `X-API-Key: todo_mcp_…`. */
export function mcpKeyOf(headers: FastifyRequest['headers']): string | undefined {
  const apiKey = headers['x-api-key'];
  if (typeof apiKey === 'string' && apiKey.trim()) return apiKey.trim();
  const authz = headers.authorization;
  if (typeof authz === 'string' && /^bearer\s+\S/i.test(authz)) return authz.slice(7).trim();
  return undefined;
}

/**
 * MCP over Streamable HTTP, stateless: every POST gets a fresh server and transport bound to the
 * owner of its MCP key, offering the tools the key's scope allows. Session tokens are refused: a
 * key is revocable on its own and opens nothing else. Served at `/mcp` (inside the cluster) and
 * `/api/mcp` (through the frontend's same-origin proxy, the public door). GET (server-initiated
 * stream) and DELETE (session end) have no meaning without sessions and answer 405.
 */
export const mcpRoutes: FastifyPluginAsync<{ ctx: AppContext }> = async (app, { ctx }) => {
  const handle = async (request: FastifyRequest, reply: FastifyReply) => {
    const key = mcpKeyOf(request.headers);
    const principal = key ? await ctx.mcpKeys.verify(key) : null;
    if (!principal) {
      return reply
        .code(401)
        .header('www-authenticate', 'Bearer realm="todo-chatbot"')
        .send(
          jsonRpcError(
            -32001,
            'Unauthorized: send an MCP key (Authorization: Bearer todo_mcp_…); create one at /api/mcp-keys',
          ),
        );
    }
    const server = createMcpServer(
      {
        userId: principal.userId,
        tasks: ctx.tasks,
        onError: (err) => request.log.error({ err }, 'mcp tool failed'),
      },
      { scope: principal.scope },
    );
    const transport = new StreamableHTTPServerTransport({
      sessionIdGenerator: undefined,
      enableJsonResponse: true,
    });
    keepReplyHeaders(reply);
    reply.hijack();
    reply.raw.on('close', () => {
      void transport.close();
      void server.close();
    });
    try {
      await server.connect(transport);
      await transport.handleRequest(request.raw, reply.raw, request.body);
    } catch (err) {
      request.log.error({ err }, 'mcp request failed');
      if (!reply.raw.headersSent) {
        reply.raw.writeHead(500, { 'content-type': 'application/json' });
        reply.raw.end(JSON.stringify(jsonRpcError(-32603, 'Internal server error')));
      }
    }
  };
  const notAllowed = async (_request: FastifyRequest, reply: FastifyReply) =>
    reply
      .code(405)
      .header('allow', 'POST')
      .send(jsonRpcError(-32000, 'Method not allowed: this MCP server is stateless'));
  for (const url of ['/mcp', '/api/mcp']) {
    app.post(url, { schema: { hide: true } }, handle);
    app.get(url, { schema: { hide: true } }, notAllowed);
    app.delete(url, { schema: { hide: true } }, notAllowed);
  }
};
