import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import type { Answer, Send } from './client.js';

// A shared subset of the backend's API contract, as a list every door is sent in the same order:
// create / list / get / patch / complete (with and without a body) / delete, 401, 404, 400, 413,
// 415. `expect` holds what the contract promises; everything else is compared with the
// reference door (the backend itself) by doors.test.ts.

export interface Context {
  email: string;
  taskId: string;
}

export interface Check {
  name: string;
  request: (ctx: Context) => Send;
  expect?: { status: number; code?: string };
  /** Further assertions, and what later checks need (the task's id). */
  verify?: (answer: Answer, ctx: Context) => void;
}

const MiB = 1024 * 1024;
/** A JSON body of 3 MB: three times the 1 MiB limit of every door. */
const bigBody = () => Buffer.from(JSON.stringify({ title: 'x', description: 'd'.repeat(3 * MiB) }));

export const CHECKS: Check[] = [
  {
    name: 'GET /api/tasks without a session is 401',
    request: () => ({ method: 'GET', path: '/api/tasks' }),
    expect: { status: 401, code: 'unauthorized' },
  },
  {
    name: 'sign up (an API client: no Origin header)',
    request: (ctx) => ({
      method: 'POST',
      path: '/api/auth/sign-up/email',
      body: { email: ctx.email, password: 'correct horse battery staple 7', name: 'Door Tester' },
    }),
    expect: { status: 200 },
  },
  {
    name: 'POST /api/tasks creates a task (201)',
    request: () => ({
      method: 'POST',
      path: '/api/tasks',
      body: { title: 'buy milk', priority: 'high', tags: ['doors'] },
    }),
    expect: { status: 201 },
    verify: (answer, ctx) => {
      const task = answer.json as { id: string; title: string };
      expect(task.title).toBe('buy milk');
      ctx.taskId = task.id;
    },
  },
  {
    name: 'GET /api/tasks lists it',
    request: () => ({ method: 'GET', path: '/api/tasks?status=all&limit=10' }),
    expect: { status: 200 },
    verify: (answer, ctx) =>
      expect((answer.json as { items: { id: string }[] }).items.map((t) => t.id)).toContain(ctx.taskId),
  },
  {
    name: 'GET /api/tasks/:id',
    request: (ctx) => ({ method: 'GET', path: `/api/tasks/${ctx.taskId}` }),
    expect: { status: 200 },
  },
  {
    name: 'PATCH /api/tasks/:id',
    request: (ctx) => ({
      method: 'PATCH',
      path: `/api/tasks/${ctx.taskId}`,
      body: { title: 'buy oat milk' },
    }),
    expect: { status: 200 },
    verify: (answer) => expect((answer.json as { title: string }).title).toBe('buy oat milk'),
  },
  {
    name: 'POST /api/tasks/:id/complete with a body',
    request: (ctx) => ({
      method: 'POST',
      path: `/api/tasks/${ctx.taskId}/complete`,
      body: { completed: true },
    }),
    expect: { status: 200 },
    verify: (answer) => expect((answer.json as { completed: boolean }).completed).toBe(true),
  },
  {
    name: 'POST /api/tasks/:id/complete without a body (curl -X POST)',
    request: (ctx) => ({ method: 'POST', path: `/api/tasks/${ctx.taskId}/complete`, noBody: true }),
  },
  {
    name: 'POST /api/tasks/:id/complete with Content-Type: application/json and an empty body',
    request: (ctx) => ({
      method: 'POST',
      path: `/api/tasks/${ctx.taskId}/complete`,
      headers: { 'content-type': 'application/json' },
      body: '',
    }),
  },
  {
    name: 'POST /api/tasks with an invalid task is 400',
    request: () => ({ method: 'POST', path: '/api/tasks', body: { title: '' } }),
    expect: { status: 400, code: 'validation_error' },
  },
  {
    name: 'POST /api/tasks with broken JSON is 400',
    request: () => ({
      method: 'POST',
      path: '/api/tasks',
      headers: { 'content-type': 'application/json' },
      body: '{"title":',
    }),
    expect: { status: 400, code: 'invalid_json' },
  },
  {
    name: 'POST /api/tasks as text/plain is 415',
    request: () => ({
      method: 'POST',
      path: '/api/tasks',
      headers: { 'content-type': 'text/plain' },
      body: 'buy milk',
    }),
    expect: { status: 415, code: 'unsupported_media_type' },
  },
  {
    name: 'POST /api/tasks with a 3 MB body is 413',
    request: () => ({
      method: 'POST',
      path: '/api/tasks',
      headers: { 'content-type': 'application/json' },
      body: bigBody(),
    }),
    expect: { status: 413, code: 'payload_too_large' },
  },
  {
    name: 'the next request after the 413 is answered',
    request: () => ({ method: 'GET', path: '/api/tasks?limit=1' }),
    expect: { status: 200 },
  },
  {
    name: 'POST /api/tasks with a 3 MB chunked body is 413',
    request: () => ({
      method: 'POST',
      path: '/api/tasks',
      headers: { 'content-type': 'application/json' },
      body: bigBody(),
      chunked: 64 * 1024,
    }),
    expect: { status: 413, code: 'payload_too_large' },
  },
  {
    name: 'the next request after the chunked 413 is answered',
    request: () => ({ method: 'GET', path: '/api/tasks?limit=1' }),
    expect: { status: 200 },
  },
  {
    name: 'GET /api/tasks/:id with a malformed id is 400',
    request: () => ({ method: 'GET', path: '/api/tasks/not-a-uuid' }),
    expect: { status: 400, code: 'validation_error' },
  },
  {
    name: 'GET /api/tasks/:id of a task that is not yours is 404',
    request: () => ({ method: 'GET', path: `/api/tasks/${randomUUID()}` }),
    expect: { status: 404, code: 'not_found' },
  },
  {
    name: 'HEAD /api/tasks',
    request: () => ({ method: 'HEAD', path: '/api/tasks' }),
  },
  {
    name: 'DELETE /api/tasks/:id without a body (curl -X DELETE) is 204',
    request: (ctx) => ({ method: 'DELETE', path: `/api/tasks/${ctx.taskId}`, noBody: true }),
    expect: { status: 204 },
  },
  {
    name: 'DELETE /api/tasks/:id again is 404',
    request: (ctx) => ({ method: 'DELETE', path: `/api/tasks/${ctx.taskId}`, noBody: true }),
    expect: { status: 404, code: 'not_found' },
  },
  {
    name: 'an unknown API route is 404',
    request: () => ({ method: 'GET', path: '/api/no-such-thing' }),
    expect: { status: 404, code: 'not_found' },
  },
];
