import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  CompleteBody,
  CreateTaskInput,
  IdParams,
  ListTasksQuery,
  TaskListSchema,
  TaskSchema,
  UpdateTaskInput,
} from '../domain/schemas.js';
import { ifNoneMatchHits } from '../http/etag.js';
import { ProblemSchema } from '../http/problem.js';
import type { AppContext } from './context.js';
import { security } from './security.js';

const errors = { 400: ProblemSchema, 401: ProblemSchema, 404: ProblemSchema };
export const taskRoutes: FastifyPluginAsyncZod<{ ctx: AppContext }> = async (app, { ctx }) => {
  const { tasks, sessions } = ctx;

  app.get(
    '/api/tasks',
    {
      schema: {
        tags: ['tasks'],
        summary: 'List tasks (filter, search, sort, cursor pagination)',
        security,
        querystring: ListTasksQuery,
        response: { 200: TaskListSchema, 304: z.undefined(), 400: ProblemSchema, 401: ProblemSchema },
      },
    },
    async (request, reply) => {
      const page = await tasks.listPage((await sessions.require(request)).id, request.query);
      // private to the user; a client revalidates with If-None-Match and gets 304 while unchanged
      reply.header('etag', page.etag).header('cache-control', 'private, no-cache');
      if (ifNoneMatchHits(request.headers['if-none-match'], page.etag)) return reply.code(304).send();
      // Sent as built by the database; outside production it is still checked against the schema.
      if (!ctx.config.isProduction) TaskListSchema.parse(JSON.parse(page.body.toString()));
      return reply.type('application/json; charset=utf-8').send(page.body as never);
    },
  );

  app.post(
    '/api/tasks',
    {
      schema: {
        tags: ['tasks'],
        summary: 'Create a task',
        security,
        body: CreateTaskInput,
        response: { 201: TaskSchema, 400: ProblemSchema, 401: ProblemSchema },
      },
    },
    async (request, reply) => {
      const user = await sessions.require(request);
      return reply.code(201).send(await tasks.create(user.id, request.body));
    },
  );

  app.get(
    '/api/tasks/:id',
    {
      schema: {
        tags: ['tasks'],
        summary: 'Get a task',
        security,
        params: IdParams,
        response: { 200: TaskSchema, ...errors },
      },
    },
    async (request) => tasks.get((await sessions.require(request)).id, request.params.id),
  );

  app.patch(
    '/api/tasks/:id',
    {
      schema: {
        tags: ['tasks'],
        summary: 'Update a task',
        security,
        params: IdParams,
        body: UpdateTaskInput,
        response: { 200: TaskSchema, ...errors },
      },
    },
    async (request) => tasks.update((await sessions.require(request)).id, request.params.id, request.body),
  );

  app.delete(
    '/api/tasks/:id',
    {
      schema: {
        tags: ['tasks'],
        summary: 'Delete a task',
        security,
        params: IdParams,
        response: { 204: z.undefined(), ...errors },
      },
    },
    async (request, reply) => {
      await tasks.remove((await sessions.require(request)).id, request.params.id);
      return reply.code(204).send();
    },
  );

  app.post(
    '/api/tasks/:id/complete',
    {
      schema: {
        tags: ['tasks'],
        summary: 'Mark a task done or open',
        security,
        params: IdParams,
        body: CompleteBody,
        response: { 200: TaskSchema, ...errors },
      },
    },
    async (request) =>
      tasks.setCompleted((await sessions.require(request)).id, request.params.id, request.body.completed),
  );
};
