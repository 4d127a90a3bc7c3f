import {
  CompleteBody,
  CreateTaskInput,
  IdParams,
  ListTasksQuery,
  Problem,
  Task,
  TaskList,
  UpdateTaskInput,
} from '@todo/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../container.js';
import { ifNoneMatchHits } from '../http/etag.js';
import { security } from './security.js';

const errors = { 400: Problem, 401: Problem, 404: Problem };
export const taskRoutes: FastifyPluginAsyncZod<{ ctx: AppContext }> = async (app, { ctx }) => {
  const { tasks } = ctx;

  app.get(
    '/api/tasks',
    {
      schema: {
        tags: ['tasks'],
        summary: 'List tasks (filter, search, sort, cursor pagination)',
        security,
        querystring: ListTasksQuery,
        response: { 200: TaskList, 304: z.undefined(), 400: Problem, 401: Problem },
      },
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
      schema: {
        tags: ['tasks'],
        summary: 'Create a task',
        security,
        body: CreateTaskInput,
        response: { 201: Task, 400: Problem, 401: Problem },
      },
    },
    async (request, reply) => {
      const { user } = request;
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
        response: { 200: Task, ...errors },
      },
    },
    async (request) => tasks.get(request.user.id, request.params.id),
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
        response: { 200: Task, ...errors },
      },
    },
    async (request) => tasks.update(request.user.id, request.params.id, request.body),
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
      await tasks.remove(request.user.id, request.params.id);
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
        response: { 200: Task, ...errors },
      },
    },
    async (request) => tasks.setCompleted(request.user.id, request.params.id, request.body.completed),
  );
};
