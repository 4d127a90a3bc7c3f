import {
  CompleteBody,
  CreateTaskInput,
  IdParams,
  ListTasksQuery,
  Task,
  TaskList,
  UpdateTaskInput,
} from '@todo/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../container.js';
import { ifNoneMatchHits } from '../http/etag.js';
import { deleteByIdRoute, userRoute } from './user-route.js';

export const taskRoutes: FastifyPluginAsyncZod<{ ctx: AppContext }> = async (app, { ctx }) => {
  const { tasks } = ctx;
  const tags = ['tasks'];

  app.get(
    '/api/tasks',
    {
      schema: userRoute({
        tags,
        summary: 'List tasks (filter, search, sort, cursor pagination)',
        querystring: ListTasksQuery,
        response: { 200: TaskList, 304: z.undefined() },
        problems: [400],
      }),
    },
    async (request, reply) => {
      const page = await tasks.listPage(request.user.id, request.query);
      // private to the user; a client revalidates with If-None-Match and gets 304 while unchanged
      reply.header('etag', page.etag).header('cache-control', 'private, no-cache');
      if (ifNoneMatchHits(request.headers['if-none-match'], page.etag)) return reply.code(304).send();
      // the page's bytes, rendered once by TaskService from the same Task encoding as every route
      return reply.type('application/json; charset=utf-8').send(page.body as never);
    },
  );

  app.post(
    '/api/tasks',
    {
      schema: userRoute({
        tags,
        summary: 'Create a task',
        body: CreateTaskInput,
        response: { 201: Task },
        problems: [400],
      }),
    },
    async (request, reply) => {
      return reply.code(201).send(await tasks.create(request.user.id, request.body));
    },
  );

  app.get(
    '/api/tasks/:id',
    {
      schema: userRoute({
        tags,
        summary: 'Get a task',
        params: IdParams,
        response: { 200: Task },
        problems: [400, 404],
      }),
    },
    async (request) => tasks.get(request.user.id, request.params.id),
  );

  app.patch(
    '/api/tasks/:id',
    {
      schema: userRoute({
        tags,
        summary: 'Update a task',
        params: IdParams,
        body: UpdateTaskInput,
        response: { 200: Task },
        problems: [400, 404],
      }),
    },
    async (request) => tasks.update(request.user.id, request.params.id, request.body),
  );

  deleteByIdRoute(app, {
    path: '/api/tasks/:id',
    tags,
    summary: 'Delete a task',
    params: IdParams,
    remove: (userId, id) => tasks.remove(userId, id),
  });

  app.post(
    '/api/tasks/:id/complete',
    {
      schema: userRoute({
        tags,
        summary: 'Mark a task done or open',
        params: IdParams,
        body: CompleteBody,
        response: { 200: Task },
        problems: [400, 404],
      }),
    },
    async (request) => tasks.setCompleted(request.user.id, request.params.id, request.body.completed),
  );
};
