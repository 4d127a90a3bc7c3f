import type { McpKey, Task } from '@todo/contracts';

// What the API answers, for tests to serve from a mocked fetch or a cache: each field a plausible
// value, `over` sets the ones a test is about.

/** A task as the API returns it (a fresh id unless `over` names one). */
export const fakeTask = (over: Partial<Task> = {}): Task => ({
  id: crypto.randomUUID(),
  title: 'Task',
  description: '',
  completed: false,
  priority: 'medium',
  tags: [],
  dueAt: null,
  createdAt: '2026-01-01T00:00:00Z',
  updatedAt: '2026-01-01T00:00:00Z',
  ...over,
});

/** An MCP key as the API lists it, without its secret (a fresh id unless `over` names one). */
export const fakeMcpKey = (over: Partial<McpKey> = {}): McpKey => ({
  id: crypto.randomUUID(),
  name: 'Laptop',
  start: 'todo_mcp_Ab',
  scope: 'write',
  createdAt: '2026-01-05T10:00:00.000Z',
  expiresAt: null,
  lastUsedAt: null,
  ...over,
});
