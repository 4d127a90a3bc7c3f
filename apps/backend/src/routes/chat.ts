import { chatRequest, encodeChatEvent } from '@todo/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../container.js';
import { streamEvents } from '../http/event-stream.js';
import { CHAT_TURN_PROBLEMS, chatTurnRateLimit } from './chat-turn-limits.js';
import { userRoute } from './user-route.js';

export const chatRoutes: FastifyPluginAsyncZod<{ ctx: AppContext }> = async (app, { ctx }) => {
  const { conversations, config } = ctx;

  app.post(
    '/api/chat',
    {
      config: chatTurnRateLimit(config),
      schema: userRoute({
        tags: ['chat'],
        summary: 'One chat turn, answered as server-sent events',
        description:
          'Events: `conversation` {conversationId}, then any number of `text-delta` {delta}, `tool-call` ' +
          '{id,name,arguments}, `tool-result` {id,name,ok,summary}, and finally `done` {messageId,tasksChanged} ' +
          'or `error` {code,message}.',
        body: chatRequest(config.maxMessageLength),
        response: {
          200: z.string().describe('text/event-stream'),
        },
        problems: CHAT_TURN_PROBLEMS,
      }),
    },
    async (request, reply) => {
      const { user } = request;
      const { conversationId, message, timeZone } = request.body;
      const conversation = conversationId
        ? await conversations.get(user.id, conversationId)
        : await conversations.create(user.id, message);

      await streamEvents(
        request,
        reply,
        ctx.openStreams,
        (write, signal) =>
          ctx.chat.turn({
            userId: user.id,
            conversationId: conversation.id,
            message,
            emit: (e) => write(encodeChatEvent(e)),
            signal,
            newConversation: !conversationId,
            ...(timeZone ? { timeZone } : {}),
          }),
        (write) =>
          write(
            encodeChatEvent({
              type: 'error',
              code: 'internal_error',
              message: 'Something went wrong. Please try again.',
            }),
          ),
      );
    },
  );
};
