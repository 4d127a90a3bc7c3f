import { Problem } from '@todo/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../container.js';
import { isMigrated } from '../db/migrate.js';
import { problem, sendProblem } from '../http/problem.js';

export const healthRoutes: FastifyPluginAsyncZod<{ ctx: AppContext }> = async (app, { ctx }) => {
  app.get(
    '/health',
    {
      schema: {
        tags: ['health'],
        summary: 'Liveness',
        response: { 200: z.object({ status: z.literal('ok') }) },
      },
    },
    async () => ({ status: 'ok' as const }),
  );
  app.get(
    '/ready',
    {
      schema: {
        tags: ['health'],
        summary: 'Readiness: database reachable and migrated',
        response: { 200: z.object({ status: z.literal('ready') }), 503: Problem },
      },
    },
    async (request, reply) => {
      if (ctx.shuttingDown)
        return sendProblem(reply, problem(503, 'shutting_down', 'this instance is shutting down'));
      try {
        await ctx.database.ping();
        if (!(await isMigrated(ctx.database))) {
          return sendProblem(reply, problem(503, 'not_ready', 'database migrations are not applied'));
        }
        return { status: 'ready' as const };
      } catch (err) {
        request.log.warn({ err }, 'readiness check failed');
        return sendProblem(reply, problem(503, 'not_ready', 'database is unreachable'));
      }
    },
  );
};
