import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ChatEvent } from '../agent/chat.js';
import { streamEvents } from '../http/event-stream.js';
import { chatTurnProblems, chatTurnRateLimit } from './chat-turn-limits.js';
import type { AppContext } from './context.js';
import { security } from './security.js';

export const chatRoutes: FastifyPluginAsyncZod<{ ctx: AppContext }> = async (app, { ctx }) => {
  const { sessions, conversations, config } = ctx;

  app.get(
    '/api/assistant',
    {
      schema: {
        tags: ['chat'],
        summary: 'Which model answers the chat',
        response: {
          200: z.object({ mode: z.enum(['offline', 'openai', 'compatible']), model: z.string() }),
        },
      },
    },
    async () => ({ mode: ctx.model.mode, model: ctx.model.name }),
  );

  app.post(
    '/api/chat',
    {
      config: chatTurnRateLimit(config),
      schema: {
        tags: ['chat'],
        summary: 'One chat turn, answered as server-sent events',
        description:
          'Events: `conversation` {conversationId}, then any number of `text-delta` {delta}, `tool-call` ' +
          '{id,name,arguments}, `tool-result` {id,name,ok,summary}, and finally `done` {messageId,tasksChanged} ' +
          'or `error` {code,message}.',
        security,
        body: z.strictObject({
          conversationId: z.uuid().optional(),
          message: z.string().trim().min(1).max(config.maxMessageLength),
        }),
        response: {
          200: z.string().describe('text/event-stream'),
          ...chatTurnProblems,
        },
      },
    },
    async (request, reply) => {
      const user = await sessions.require(request);
      const { conversationId, message } = request.body;
      const conversation = conversationId
        ? await conversations.get(user.id, conversationId)
        : await conversations.create(user.id, message);

      await streamEvents(
        request,
        reply,
        ctx.openStreams,
        (write, signal) =>
          ctx.chat.turn(
            user.id,
            conversation.id,
            message,
            (e: ChatEvent) => write(`event: ${e.event}\ndata: ${JSON.stringify(e.data)}\n\n`),
            signal,
            !conversationId,
          ),
        (write) =>
          write(
            `event: error\ndata: ${JSON.stringify({ code: 'internal_error', message: 'Something went wrong. Please try again.' })}\n\n`,
          ),
      );
    },
  );
};
