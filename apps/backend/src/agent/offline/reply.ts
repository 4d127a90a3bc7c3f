import type { TaskView, ToolResult } from './conversation.js';
import type { Clock } from './dates.js';
import { daysFromToday, formatDue } from './dates.js';
import type { Intent } from './intent.js';
import { titles } from './resolve.js';

/** The offline model's sentences: what it says once the tools have answered. */

export const HELP =
  'I can manage your tasks. Try: “add buy milk tomorrow at 9am, high priority”, “show my open tasks”, ' +
  '“complete 2”, “mark everything as done”, “rename buy milk to buy oat milk”, “move 1 to Friday”, ' +
  '“delete all completed tasks” or “undo”.';

export function describeTask(t: TaskView, clock: Clock): string {
  const bits: string[] = [];
  if (t.priority !== 'medium') bits.push(`${t.priority} priority`);
  if (t.dueAt) bits.push(`due ${formatDue(t.dueAt, clock)}`);
  if (t.tags?.length) bits.push(t.tags.map((x) => `#${x}`).join(' '));
  return bits.length ? ` (${bits.join(', ')})` : '';
}

const s = (n: number) => (n === 1 ? '' : 's');

/** Whether a task is due in the window a list asked for. */
export function dueIn(
  t: TaskView,
  window: NonNullable<Extract<Intent, { kind: 'list' }>['due']>,
  clock: Clock,
): boolean {
  if (!t.dueAt) return false;
  const days = daysFromToday(new Date(t.dueAt), clock);
  if (window === 'overdue') return new Date(t.dueAt).getTime() < clock.now.getTime() && !t.completed;
  if (window === 'today') return days <= 0;
  if (window === 'tomorrow') return days === 1;
  return days <= 7;
}

export function listText(intent: Extract<Intent, { kind: 'list' }>, r: ToolResult, clock: Clock): string {
  let tasks = (r.out.tasks as TaskView[] | undefined) ?? [];
  const status = r.args.status;
  if (intent.due) tasks = tasks.filter((t) => dueIn(t, intent.due as 'today', clock));
  const when = intent.due === 'week' ? 'this week' : intent.due;
  if (tasks.length === 0) {
    if (intent.due) return intent.due === 'overdue' ? 'Nothing is overdue.' : `Nothing is due ${when}.`;
    if (status === 'done') return "You haven't completed any tasks yet.";
    if (r.args.q || r.args.tag || r.args.priority) return 'No tasks match that.';
    return status === 'open'
      ? 'Nothing open: you are all caught up!'
      : 'You have no tasks yet. Try “add buy milk tomorrow”.';
  }
  const kind = intent.due
    ? intent.due === 'overdue'
      ? 'overdue '
      : ''
    : status === 'open'
      ? 'open '
      : status === 'done'
        ? 'completed '
        : '';
  const tail = intent.due && intent.due !== 'overdue' ? ` due ${when}` : '';
  const head = `You have ${tasks.length}${r.out.more && !intent.due ? '+' : ''} ${kind}task${s(tasks.length)}${tail}:`;
  const lines = tasks.map((t) => `${t.n}. ${t.completed ? '✓ ' : ''}${t.title}${describeTask(t, clock)}`);
  return [head, ...lines].join('\n');
}

export function failed(r: ToolResult): string {
  const summary = String(r.out.summary ?? 'that did not work');
  return summary === 'No such task'
    ? 'I could not find that task any more; it may have been deleted.'
    : `Sorry, ${summary.replace(/\.$/, '')}.`;
}

/** The sentence for one tool result of a single-task change. */
export function taskText(intent: Intent, r: ToolResult, clock: Clock): string {
  if (r.out.ok === false) return failed(r);
  const task = r.out.task as TaskView | undefined;
  if (!task) return String(r.out.summary ?? 'Done.');
  switch (r.name) {
    case 'add_task':
      return intent.kind === 'undo'
        ? `Brought back “${task.title}”.`
        : `Added “${task.title}”${describeTask(task, clock)}.`;
    case 'complete_task':
    case 'reopen_task':
      return task.completed ? `Marked “${task.title}” as done. Nice work!` : `Reopened “${task.title}”.`;
    case 'delete_task':
      return intent.kind === 'undo' ? `Removed “${task.title}” again.` : `Deleted “${task.title}”.`;
    case 'update_task':
      if (intent.kind === 'rename') return `Renamed it to “${task.title}”.`;
      if (intent.kind === 'priority') return `“${task.title}” is now ${task.priority} priority.`;
      if (intent.kind === 'due') {
        return task.dueAt
          ? `“${task.title}” is now due ${formatDue(task.dueAt, clock)}.`
          : `Removed the due date of “${task.title}”.`;
      }
      if (intent.kind === 'tag')
        return task.tags.length
          ? `“${task.title}” is now tagged ${task.tags.map((t) => `#${t}`).join(' ')}.`
          : `“${task.title}” has no tags now.`;
      return `Restored “${task.title}”${describeTask(task, clock)}.`;
    default:
      return String(r.out.summary ?? 'Done.');
  }
}

/** The sentence for a bulk tool's result. */
export function bulkText(r: ToolResult, what: string): string {
  if (r.out.ok === false) return failed(r);
  const count = Number(r.out.count ?? 0);
  const tasks = (r.out.tasks as TaskView[] | undefined) ?? [];
  const list = count > 0 && count <= 5 ? `: ${titles(tasks)}` : '';
  if (r.name === 'delete_tasks') {
    if (r.out.pending) {
      const changed = r.out.stale ? 'The tasks changed in the meantime. ' : '';
      return `${changed}Delete ${count === 1 ? 'the' : `all ${count}`}${r.out.more ? '+' : ''} ${what}task${s(count)}${list}? (yes/no)`;
    }
    return count === 0 ? `There are no ${what}tasks to delete.` : `Deleted ${count} task${s(count)}${list}.`;
  }
  const completed = r.args.completed !== false;
  if (count === 0)
    return completed
      ? `There are no open ${what}tasks to complete.`
      : `There are no completed ${what}tasks to reopen.`;
  return `${completed ? 'Marked' : 'Reopened'} ${count} task${s(count)}${list}${completed ? ' as done' : ''}.`;
}

export function countText(r: ToolResult, status: 'open' | 'done' | undefined): string {
  const tasks = (r.out.tasks as TaskView[] | undefined) ?? [];
  const more = r.out.more ? '+' : '';
  if (status)
    return `You have ${tasks.length}${more} ${status === 'open' ? 'open' : 'completed'} task${s(tasks.length)}.`;
  const open = tasks.filter((t) => !t.completed).length;
  return `You have ${tasks.length}${more} task${s(tasks.length)}: ${open} open and ${tasks.length - open} done.`;
}

export function answerText(
  about: 'status' | 'due' | 'priority' | 'exists',
  t: TaskView,
  clock: Clock,
): string {
  switch (about) {
    case 'status':
      return t.completed ? `Yes, “${t.title}” is done.` : `No, “${t.title}” is still open.`;
    case 'due':
      return t.dueAt ? `“${t.title}” is due ${formatDue(t.dueAt, clock)}.` : `“${t.title}” has no due date.`;
    case 'priority':
      return `“${t.title}” is ${t.priority} priority.`;
    case 'exists':
      return `Yes, “${t.title}” is on your list${t.completed ? ' (done)' : ''}.`;
  }
}
