import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ChatEvent } from '../agent/chat.js';
import { SessionResolver } from '../auth/session.js';
import { ProblemSchema } from '../http/problem.js';
import type { AppContext } from './context.js';

const security: { [name: string]: string[] }[] = [{ bearerAuth: [] }, { cookieAuth: [] }];

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
      config: {
        rateLimit: {
          max: config.rateLimitChatPerMinute,
          timeWindow: '1 minute',
          keyGenerator: (request) =>
            SessionResolver.credentialKey(request.headers)?.slice(0, 200) ?? request.ip,
        },
      },
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
          400: ProblemSchema,
          401: ProblemSchema,
          404: ProblemSchema,
          429: ProblemSchema,
        },
      },
    },
    async (request, reply) => {
      const user = await sessions.require(request);
      const { conversationId, message } = request.body;
      const conversation = conversationId
        ? await conversations.get(user.id, conversationId)
        : await conversations.create(user.id, message);

      reply.hijack();
      const raw = reply.raw;
      const headers: Record<string, string | string[] | number> = {};
      for (const [k, v] of Object.entries(reply.getHeaders())) if (v !== undefined) headers[k] = v as string;
      raw.writeHead(200, {
        ...headers,
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        'x-accel-buffering': 'no',
        'x-request-id': request.id,
      });
      raw.flushHeaders();

      const abort = new AbortController();
      raw.on('close', () => {
        if (!raw.writableFinished) abort.abort();
      });
      const emit = (e: ChatEvent) => {
        if (!raw.destroyed && !raw.writableEnded)
          raw.write(`event: ${e.event}\ndata: ${JSON.stringify(e.data)}\n\n`);
      };
      const turn = ctx.chat
        .turn(user.id, conversation.id, message, emit, abort.signal, !conversationId)
        .catch((err) => {
          request.log.error({ err }, 'chat turn failed');
          emit({
            event: 'error',
            data: { code: 'internal_error', message: 'Something went wrong. Please try again.' },
          });
        })
        .finally(() => raw.end());
      ctx.openStreams.add(turn);
      try {
        await turn;
      } finally {
        ctx.openStreams.delete(turn);
      }
    },
  );
};
