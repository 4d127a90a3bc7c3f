import type {
  AssistantInfo,
  ConversationList,
  CreatedMcpKey,
  CreateMcpKeyInput,
  CreateTaskInput,
  McpKeyList,
  MessageList,
  Priority,
  Problem,
  Status,
  Task,
  TaskList,
  UpdateTaskInput,
} from '@todo/contracts';

// The REST API as the browser calls it, through the same-origin proxy. Every type comes from
// @todo/contracts (the backend's own schemas); only imported as types here, so the board's
// first-load bundle carries no zod.

/** What the board filters by (the query of GET /api/tasks). */
export interface TaskFilters {
  status: Status;
  priority: Priority | '';
  tag: string;
  q: string;
}

/** One failing field of a validation problem: `path` as the API names it (`body.name`). */
export interface FieldError {
  path: string;
  message: string;
}

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly errors: readonly FieldError[];

  constructor(status: number, code: string, message: string, errors: readonly FieldError[] = []) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.errors = errors;
  }
}

function fieldErrors(value: unknown): FieldError[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((e: unknown) => {
    const { path, message } = (e ?? {}) as { path?: unknown; message?: unknown };
    return typeof path === 'string' && typeof message === 'string' ? [{ path, message }] : [];
  });
}

const text = (value: unknown): string | undefined =>
  typeof value === 'string' && value.trim() ? value : undefined;

/** Turns a failed response into an ApiError with the friendliest message we can find. */
export async function toApiError(res: Response): Promise<ApiError> {
  let body: Partial<Problem> & { message?: unknown } = {};
  try {
    const parsed: unknown = await res.json();
    if (parsed && typeof parsed === 'object') body = parsed;
  } catch {
    // not JSON: keep the defaults below
  }
  const message =
    text(body.detail) ??
    text(body.message) ??
    text(body.title) ??
    (res.status === 502 || res.status === 503
      ? 'The server is unreachable right now. Please try again in a moment.'
      : `Request failed (${res.status})`);
  return new ApiError(res.status, text(body.code) ?? `http_${res.status}`, message, fieldErrors(body.errors));
}

export async function apiFetch<T>(path: string, init: RequestInit = {}): Promise<T> {
  let res: Response;
  try {
    res = await fetch(path, {
      credentials: 'same-origin',
      ...init,
      headers: {
        accept: 'application/json',
        ...(init.body ? { 'content-type': 'application/json' } : {}),
        ...init.headers,
      },
    });
  } catch {
    throw new ApiError(0, 'network_error', 'Network error: check your connection and try again.');
  }
  if (res.status === 401 && typeof window !== 'undefined' && !path.startsWith('/api/auth')) {
    window.location.assign('/sign-in');
  }
  if (!res.ok) throw await toApiError(res);
  if (res.status === 204) return undefined as T;
  return (await res.json()) as T;
}

/** Page size of the board; the backend's maximum. */
export const PAGE_SIZE = 100;

export function tasksQuery(filters: TaskFilters, cursor?: string | null): string {
  const params = new URLSearchParams();
  params.set('status', filters.status);
  if (filters.priority) params.set('priority', filters.priority);
  if (filters.tag) params.set('tag', filters.tag);
  if (filters.q.trim()) params.set('q', filters.q.trim());
  params.set('limit', String(PAGE_SIZE));
  if (cursor) params.set('cursor', cursor);
  return params.toString();
}

const taskPath = (id: string) => `/api/tasks/${encodeURIComponent(id)}`;

export const api = {
  listTasks: (filters: TaskFilters, cursor?: string | null) =>
    apiFetch<TaskList>(`/api/tasks?${tasksQuery(filters, cursor)}`),
  createTask: (task: CreateTaskInput) =>
    apiFetch<Task>('/api/tasks', { method: 'POST', body: JSON.stringify(task) }),
  updateTask: (id: string, patch: UpdateTaskInput) =>
    apiFetch<Task>(taskPath(id), { method: 'PATCH', body: JSON.stringify(patch) }),
  completeTask: (id: string, completed: boolean) =>
    apiFetch<Task>(`${taskPath(id)}/complete`, { method: 'POST', body: JSON.stringify({ completed }) }),
  deleteTask: (id: string, keepalive = false) =>
    apiFetch<void>(taskPath(id), { method: 'DELETE', keepalive }),
  listConversations: () => apiFetch<ConversationList>('/api/conversations'),
  listMessages: (id: string) =>
    apiFetch<MessageList>(`/api/conversations/${encodeURIComponent(id)}/messages`),
  deleteConversation: (id: string) =>
    apiFetch<void>(`/api/conversations/${encodeURIComponent(id)}`, { method: 'DELETE' }),
  assistant: () => apiFetch<AssistantInfo>('/api/assistant'),
  listMcpKeys: () => apiFetch<McpKeyList>('/api/mcp-keys'),
  createMcpKey: (input: CreateMcpKeyInput) =>
    apiFetch<CreatedMcpKey>('/api/mcp-keys', { method: 'POST', body: JSON.stringify(input) }),
  revokeMcpKey: (id: string) =>
    apiFetch<void>(`/api/mcp-keys/${encodeURIComponent(id)}`, { method: 'DELETE' }),
};
