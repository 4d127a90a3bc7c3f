import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ChatKitRequestSchema } from '../chatkit/schemas.js';
import { ChatKitServer } from '../chatkit/server.js';
import type { ThreadStreamEvent } from '../chatkit/types.js';
import type { AppContext } from '../container.js';
import { streamEvents } from '../http/event-stream.js';
import { CHAT_TURN_PROBLEMS, chatTurnRateLimit } from './chat-turn-limits.js';
import { userRoute } from './user-route.js';

/** OpenAI ChatKit's custom-backend protocol; a ChatKit thread is one of the user's conversations. */
export const chatkitRoutes: FastifyPluginAsyncZod<{ ctx: AppContext }> = async (app, { ctx }) => {
  const { config } = ctx;
  const server = new ChatKitServer(ctx);

  app.post(
    '/api/chatkit',
    {
      config: chatTurnRateLimit(config),
      schema: userRoute({
        tags: ['chat'],
        summary: 'OpenAI ChatKit server protocol',
        description:
          '`threads.create` and `threads.add_user_message` answer `text/event-stream` with ChatKit thread ' +
          'events (`data: {"type": …}`); `threads.list`, `threads.get_by_id`, `items.list`, `threads.update`, ' +
          '`threads.delete` and `items.feedback` answer JSON. See docs/chatkit.md.',
        body: ChatKitRequestSchema,
        response: {
          200: z.unknown().describe('JSON, or text/event-stream for streaming requests'),
        },
        problems: CHAT_TURN_PROBLEMS,
      }),
    },
    async (request, reply) => {
      const { user } = request;
      const body = request.body;
      if (body.type !== 'threads.create' && body.type !== 'threads.add_user_message') {
        return reply
          .code(200)
          .type('application/json; charset=utf-8')
          .send(await server.handle(user.id, body));
      }
      const run = await server.prepareTurn(user.id, body);

      const frame = (e: ThreadStreamEvent) => `data: ${JSON.stringify(e)}\n\n`;
      await streamEvents(
        request,
        reply,
        ctx.openStreams,
        (write, signal) => run((e) => write(frame(e)), signal),
        (write) =>
          write(
            frame({
              type: 'error',
              code: 'stream.error',
              message: 'Something went wrong. Please try again.',
              allow_retry: true,
            }),
          ),
      );
    },
  );
};
