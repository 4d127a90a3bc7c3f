import type {
  AssistantInfo,
  Conversation,
  NewTask,
  Problem,
  StoredMessage,
  Task,
  TaskFilters,
  TaskList,
  TaskPatch,
} from './types';

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;

  constructor(status: number, code: string, message: string) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
  }
}

/** Turns a failed response into an ApiError with the friendliest message we can find. */
export async function toApiError(res: Response): Promise<ApiError> {
  let problem: Problem = {};
  try {
    problem = (await res.json()) as Problem;
  } catch {
    // not JSON: keep the defaults below
  }
  const message =
    problem.detail ||
    (problem as { message?: string }).message ||
    problem.title ||
    (res.status === 502 || res.status === 503
      ? 'The server is unreachable right now. Please try again in a moment.'
      : `Request failed (${res.status})`);
  return new ApiError(res.status, problem.code ?? `http_${res.status}`, message);
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

export function tasksQuery(filters: TaskFilters, cursor?: string): string {
  const params = new URLSearchParams();
  params.set('status', filters.status);
  if (filters.priority) params.set('priority', filters.priority);
  if (filters.tag) params.set('tag', filters.tag);
  if (filters.q.trim()) params.set('q', filters.q.trim());
  params.set('limit', '100');
  if (cursor) params.set('cursor', cursor);
  return params.toString();
}

export const api = {
  listTasks: (filters: TaskFilters, cursor?: string) =>
    apiFetch<TaskList>(`/api/tasks?${tasksQuery(filters, cursor)}`),
  createTask: (task: NewTask) => apiFetch<Task>('/api/tasks', { method: 'POST', body: JSON.stringify(task) }),
  updateTask: (id: string, patch: TaskPatch) =>
    apiFetch<Task>(`/api/tasks/${encodeURIComponent(id)}`, { method: 'PATCH', body: JSON.stringify(patch) }),
  completeTask: (id: string, completed: boolean) =>
    apiFetch<Task>(`/api/tasks/${encodeURIComponent(id)}/complete`, {
      method: 'POST',
      body: JSON.stringify({ completed }),
    }),
  deleteTask: (id: string, keepalive = false) =>
    apiFetch<void>(`/api/tasks/${encodeURIComponent(id)}`, { method: 'DELETE', keepalive }),
  listConversations: () => apiFetch<{ items: Conversation[] }>('/api/conversations'),
  listMessages: (id: string) =>
    apiFetch<{ items: StoredMessage[] }>(`/api/conversations/${encodeURIComponent(id)}/messages`),
  deleteConversation: (id: string) =>
    apiFetch<void>(`/api/conversations/${encodeURIComponent(id)}`, { method: 'DELETE' }),
  assistant: () => apiFetch<AssistantInfo>('/api/assistant'),
};
