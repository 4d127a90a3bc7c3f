export type Priority = 'low' | 'medium' | 'high';

export interface Task {
  id: string;
  title: string;
  description: string;
  completed: boolean;
  priority: Priority;
  tags: string[];
  dueAt: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface TaskList {
  items: Task[];
  nextCursor: string | null;
}

export type StatusFilter = 'all' | 'open' | 'done';

export interface TaskFilters {
  status: StatusFilter;
  priority: Priority | '';
  tag: string;
  q: string;
}

export interface NewTask {
  title: string;
  description?: string;
  priority?: Priority;
  tags?: string[];
  dueAt?: string | null;
}

export type TaskPatch = Partial<
  Pick<Task, 'title' | 'description' | 'priority' | 'tags' | 'dueAt' | 'completed'>
>;

export interface Conversation {
  id: string;
  title: string;
  createdAt: string;
  updatedAt: string;
}

export interface StoredToolCall {
  name: string;
  arguments: unknown;
  summary: string;
  ok: boolean;
}

export interface StoredMessage {
  id: string;
  role: 'user' | 'assistant';
  content: string;
  toolCalls: StoredToolCall[];
  createdAt: string;
}

export interface AssistantInfo {
  mode: 'offline' | 'openai' | 'compatible';
  model: string;
}

/** RFC 9457 problem details as the backend (and our proxy) send them. */
export interface Problem {
  type?: string;
  title?: string;
  status?: number;
  detail?: string;
  code?: string;
  errors?: unknown;
}
