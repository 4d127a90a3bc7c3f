import { ConversationList, IdParams, ListMessagesQuery, MessageList, Problem } from '@todo/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../container.js';
import { security } from './security.js';

const errors = { 400: Problem, 401: Problem, 404: Problem };

export const conversationRoutes: FastifyPluginAsyncZod<{ ctx: AppContext }> = async (app, { ctx }) => {
  const { conversations } = ctx;

  app.get(
    '/api/conversations',
    {
      schema: {
        tags: ['conversations'],
        summary: 'List conversations, newest first',
        security,
        response: { 200: ConversationList, 401: Problem },
      },
    },
    async (request) => ({ items: await conversations.list(request.user.id) }),
  );

  app.get(
    '/api/conversations/:id/messages',
    {
      schema: {
        tags: ['conversations'],
        summary: 'Messages of a conversation, oldest first, a page at a time (newest page first)',
        security,
        params: IdParams,
        querystring: ListMessagesQuery,
        response: { 200: MessageList, ...errors },
      },
    },
    async (request) => conversations.messages(request.user.id, request.params.id, request.query),
  );

  app.delete(
    '/api/conversations/:id',
    {
      schema: {
        tags: ['conversations'],
        summary: 'Delete a conversation and its messages',
        security,
        params: IdParams,
        response: { 204: z.undefined(), ...errors },
      },
    },
    async (request, reply) => {
      await conversations.remove(request.user.id, request.params.id);
      return reply.code(204).send();
    },
  );
};
