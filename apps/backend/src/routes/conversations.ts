import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ConversationSchema, IdParams, MessageSchema } from '../domain/schemas.js';
import { ProblemSchema } from '../http/problem.js';
import type { AppContext } from './context.js';
import { security } from './security.js';

const errors = { 400: ProblemSchema, 401: ProblemSchema, 404: ProblemSchema };

export const conversationRoutes: FastifyPluginAsyncZod<{ ctx: AppContext }> = async (app, { ctx }) => {
  const { conversations, sessions } = ctx;

  app.get(
    '/api/conversations',
    {
      schema: {
        tags: ['conversations'],
        summary: 'List conversations, newest first',
        security,
        response: { 200: z.object({ items: z.array(ConversationSchema) }), 401: ProblemSchema },
      },
    },
    async (request) => ({ items: await conversations.list((await sessions.require(request)).id) }),
  );

  app.get(
    '/api/conversations/:id/messages',
    {
      schema: {
        tags: ['conversations'],
        summary: 'Messages of a conversation, oldest first',
        security,
        params: IdParams,
        response: { 200: z.object({ items: z.array(MessageSchema) }), ...errors },
      },
    },
    async (request) => ({
      items: await conversations.messages((await sessions.require(request)).id, request.params.id),
    }),
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
      await conversations.remove((await sessions.require(request)).id, request.params.id);
      return reply.code(204).send();
    },
  );
};
