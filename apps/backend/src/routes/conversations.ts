import { ConversationList, IdParams, ListMessagesQuery, MessageList } from '@todo/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppContext } from '../container.js';
import { deleteByIdRoute, userRoute } from './user-route.js';

export const conversationRoutes: FastifyPluginAsyncZod<{ ctx: AppContext }> = async (app, { ctx }) => {
  const { conversations } = ctx;
  const tags = ['conversations'];

  app.get(
    '/api/conversations',
    {
      schema: userRoute({
        tags,
        summary: 'List conversations, newest first',
        response: { 200: ConversationList },
      }),
    },
    async (request) => ({ items: await conversations.list(request.user.id) }),
  );

  app.get(
    '/api/conversations/:id/messages',
    {
      schema: userRoute({
        tags,
        summary: 'Messages of a conversation, oldest first, a page at a time (newest page first)',
        params: IdParams,
        querystring: ListMessagesQuery,
        response: { 200: MessageList },
        problems: [400, 404],
      }),
    },
    async (request) => conversations.messages(request.user.id, request.params.id, request.query),
  );

  deleteByIdRoute(app, {
    path: '/api/conversations/:id',
    tags,
    summary: 'Delete a conversation and its messages',
    params: IdParams,
    remove: (userId, id) => conversations.remove(userId, id),
  });
};
