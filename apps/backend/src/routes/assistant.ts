import { AssistantInfo } from '@todo/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppContext } from '../container.js';

export const assistantRoutes: FastifyPluginAsyncZod<{ ctx: AppContext }> = async (app, { ctx }) => {
  app.get(
    '/api/assistant',
    {
      schema: { tags: ['chat'], summary: 'Which model answers the chat', response: { 200: AssistantInfo } },
    },
    async () => ({ mode: ctx.model.mode, model: ctx.model.name }),
  );
};
