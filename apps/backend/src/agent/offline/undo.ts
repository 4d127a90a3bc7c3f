import type { TaskView, ToolResult } from './conversation.js';
import type { Clock } from './dates.js';
import { bulkText, taskText } from './reply.js';

/**
 * "Undo": the inverse of the last change the conversation shows. Adding, completing, reopening,
 * deleting one task and completing many are undone with one tool call; an update is undone from
 * the task as an earlier tool result showed it. Deleting many cannot be undone.
 */

const WRITES = new Set([
  'add_task',
  'complete_task',
  'reopen_task',
  'update_task',
  'delete_task',
  'complete_tasks',
  'delete_tasks',
]);

type Outcome = { call: string; args: Record<string, unknown> } | { say: string };

/** The task with `id` as a tool result showed it before result number `before`. */
function snapshot(results: readonly ToolResult[], before: number, id: string): TaskView | undefined {
  for (let i = before - 1; i >= 0; i--) {
    const out = results[i]?.out;
    const task = out?.task as TaskView | undefined;
    if (task?.id === id) return task;
    const found = (out?.tasks as TaskView[] | undefined)?.find((t) => t.id === id);
    if (found) return found;
  }
  return undefined;
}

export function planUndo(prior: readonly ToolResult[], mine: readonly ToolResult[], clock: Clock): Outcome {
  const done = mine.find((r) => r.name !== 'list_tasks');
  const undoIntent = { kind: 'undo' } as const;
  if (done) {
    if (done.name === 'complete_tasks') return { say: bulkText(done, '') };
    const task = done.out.task as TaskView | undefined;
    if (done.name === 'update_task' && done.out.ok !== false && task)
      return { say: `Changed “${task.title}” back.` };
    return { say: taskText(undoIntent, done, clock) };
  }
  let i = prior.length - 1;
  while (
    i >= 0 &&
    !(
      WRITES.has((prior[i] as ToolResult).name) &&
      (prior[i] as ToolResult).out.ok !== false &&
      !(prior[i] as ToolResult).out.pending
    )
  )
    i--;
  const last = prior[i];
  if (!last) return { say: "There's nothing to undo." };
  const task = last.out.task as TaskView | undefined;
  switch (last.name) {
    case 'add_task':
      return task ? { call: 'delete_task', args: { id: task.id } } : { say: "There's nothing to undo." };
    case 'complete_task':
    case 'reopen_task':
      if (!task) return { say: "There's nothing to undo." };
      return task.completed
        ? { call: 'reopen_task', args: { id: task.id } }
        : { call: 'complete_task', args: { id: task.id, completed: true } };
    case 'delete_task': {
      if (!task) return { say: "There's nothing to undo." };
      const args: Record<string, unknown> = {
        title: task.title,
        priority: task.priority,
        tags: task.tags,
        dueAt: task.dueAt,
      };
      if (task.description) args.description = task.description;
      return { call: 'add_task', args };
    }
    case 'complete_tasks': {
      const ids = ((last.out.tasks as TaskView[] | undefined) ?? []).map((t) => t.id);
      if (!ids.length) return { say: "There's nothing to undo." };
      return { call: 'complete_tasks', args: { completed: last.args.completed === false, ids } };
    }
    case 'update_task': {
      if (!task) return { say: "There's nothing to undo." };
      const old = snapshot(prior, i, task.id);
      if (!old) return { say: "I can't undo that change by myself: tell me what to set back." };
      const args: Record<string, unknown> = { id: task.id };
      if (old.title !== task.title) args.title = old.title;
      if (old.priority !== task.priority) args.priority = old.priority;
      if ((old.dueAt ?? null) !== (task.dueAt ?? null)) args.dueAt = old.dueAt ?? null;
      if (old.tags.join('\u0000') !== task.tags.join('\u0000')) args.tags = old.tags;
      return Object.keys(args).length > 1
        ? { call: 'update_task', args }
        : { say: 'Nothing changed there, so there is nothing to undo.' };
    }
    default:
      return { say: `I can't bring back deleted tasks (${Number(last.out.count ?? 0)} were deleted).` };
  }
}
