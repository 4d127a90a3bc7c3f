import type { InfiniteData, QueryClient } from '@tanstack/react-query';
import type { CreateTaskInput, Task, TaskList } from '@todo/contracts';
import type { TaskFilters } from './api';

// The board's task lists as TanStack Query caches them: one infinite query per filter, its pages
// the API's cursor pages. Pure helpers, so optimistic edits read as one line each in use-tasks.ts.

export type TaskPages = InfiniteData<TaskList, string | null>;

export const taskKeys = {
  all: ['tasks'] as const,
  list: (filters: TaskFilters) => ['tasks', 'list', filters] as const,
};
export type TaskListKey = ReturnType<typeof taskKeys.list>;

/** The tasks of every loaded page in order, each once (a task can move between pages). */
export function flattenPages(data: { pages: readonly TaskList[] } | undefined): Task[] {
  if (!data) return [];
  const seen = new Set<string>();
  const tasks: Task[] = [];
  for (const page of data.pages) {
    for (const task of page.items) {
      if (seen.has(task.id)) continue;
      seen.add(task.id);
      tasks.push(task);
    }
  }
  return tasks;
}

function mapItems(data: TaskPages | undefined, fn: (items: Task[], index: number) => Task[]) {
  if (!data) return data;
  return { ...data, pages: data.pages.map((page, index) => ({ ...page, items: fn(page.items, index) })) };
}

export const updateTask = (data: TaskPages | undefined, id: string, fn: (task: Task) => Task) =>
  mapItems(data, (items) => items.map((task) => (task.id === id ? fn(task) : task)));

export const removeTask = (data: TaskPages | undefined, id: string) =>
  mapItems(data, (items) => items.filter((task) => task.id !== id));

/**
 * Puts the saved `task` in place of its optimistic stand-in `replacing`; when a reload already
 * replaced the stand-in, updates the task where it is, or adds it at the top.
 */
export function replaceOrPrepend(data: TaskPages | undefined, replacing: string, task: Task) {
  const tasks = flattenPages(data);
  if (tasks.some((t) => t.id === replacing))
    return mapItems(data, (items) =>
      items.flatMap((t) => (t.id === replacing ? [task] : t.id === task.id ? [] : [t])),
    );
  if (tasks.some((t) => t.id === task.id)) return updateTask(data, task.id, () => task);
  return prependTask(data, task);
}

export const prependTask = (data: TaskPages | undefined, task: Task) =>
  mapItems(data, (items, index) => (index === 0 ? [task, ...items] : items));

/** Drops a deleted task from every cached list, whatever its filter. */
export function forgetTask(client: QueryClient, id: string): void {
  client.setQueriesData<TaskPages>({ queryKey: taskKeys.all }, (data) => removeTask(data, id));
}

let tempCounter = 0;

/** The optimistic stand-in of a task being created; its id marks it as not yet saved. */
export function temporaryTask(input: CreateTaskInput, now = new Date().toISOString()): Task {
  return {
    id: `temp-${++tempCounter}`,
    title: input.title,
    description: input.description ?? '',
    completed: false,
    priority: input.priority ?? 'medium',
    tags: input.tags ?? [],
    dueAt: input.dueAt ?? null,
    createdAt: now,
    updatedAt: now,
  };
}
