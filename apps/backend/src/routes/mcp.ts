import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import type { FastifyPluginAsync } from 'fastify';
import type { AppContext } from '../container.js';
import { createMcpServer } from '../mcp/server.js';

const jsonRpcError = (code: number, message: string) => ({
  jsonrpc: '2.0',
  error: { code, message },
  id: null,
});

/**
 * MCP over Streamable HTTP, stateless: every POST gets a fresh server and transport bound to the
 * user of its bearer token (or session cookie). GET (server-initiated stream) and DELETE (session
 * end) have no meaning without sessions and answer 405.
 */
export const mcpRoutes: FastifyPluginAsync<{ ctx: AppContext }> = async (app, { ctx }) => {
  app.post('/mcp', { schema: { hide: true } }, async (request, reply) => {
    const user = await ctx.sessions.resolve(request);
    if (!user) {
      return reply
        .code(401)
        .header('www-authenticate', 'Bearer realm="todo-chatbot"')
        .send(jsonRpcError(-32001, 'Unauthorized: send Authorization: Bearer <token>'));
    }
    const server = createMcpServer({ userId: user.id, tasks: ctx.tasks });
    const transport = new StreamableHTTPServerTransport({
      sessionIdGenerator: undefined,
      enableJsonResponse: true,
    });
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
  });
  const notAllowed = async (_request: unknown, reply: import('fastify').FastifyReply) =>
    reply
      .code(405)
      .header('allow', 'POST')
      .send(jsonRpcError(-32000, 'Method not allowed: this MCP server is stateless'));
  app.get('/mcp', { schema: { hide: true } }, notAllowed);
  app.delete('/mcp', { schema: { hide: true } }, notAllowed);
};
