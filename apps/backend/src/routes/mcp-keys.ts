import { CreatedMcpKey, CreateMcpKeyInput, McpKeyList } from '@todo/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../container.js';
import { deleteByIdRoute, userRoute } from './user-route.js';

const KeyParams = z.strictObject({ id: z.string().min(1).max(100) });

/** MCP access keys of the signed-in user: create (the secret is shown once), list, revoke. */
export const mcpKeyRoutes: FastifyPluginAsyncZod<{ ctx: AppContext }> = async (app, { ctx }) => {
  const { mcpKeys } = ctx;
  const tags = ['mcp'];

  app.get(
    '/api/mcp-keys',
    {
      schema: userRoute({
        tags,
        summary: 'List MCP keys (never their secrets)',
        response: { 200: McpKeyList },
      }),
    },
    async (request) => ({ items: await mcpKeys.list(request.user.id) }),
  );

  app.post(
    '/api/mcp-keys',
    {
      schema: userRoute({
        tags,
        summary: 'Create an MCP key for an MCP client; the answer is the only time the key is shown',
        body: CreateMcpKeyInput,
        response: { 201: CreatedMcpKey },
        problems: [400],
      }),
    },
    async (request, reply) => {
      reply.header('cache-control', 'no-store');
      return reply.code(201).send(await mcpKeys.create(request.user.id, request.body));
    },
  );

  deleteByIdRoute(app, {
    path: '/api/mcp-keys/:id',
    tags,
    summary: 'Revoke an MCP key: it stops working at once',
    params: KeyParams,
    remove: (userId, id) => mcpKeys.revoke(userId, id),
  });
};
