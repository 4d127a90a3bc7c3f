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
        summary: 'Readiness: database usable and migrated (503 problem with the reason otherwise)',
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
        // in plain words, and with a stable code in the log line that `pnpm diagnose` reads
        const why = ctx.database.explain(err);
        request.log.warn({ err, notReady: why.reason }, `not ready: ${why.detail}`);
        return sendProblem(reply, problem(503, 'not_ready', why.detail));
      }
    },
  );
};
