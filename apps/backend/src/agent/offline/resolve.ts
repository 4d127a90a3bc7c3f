import type { TaskView, ToolResult } from './conversation.js';
import type { Ref } from './refs.js';
import { titleScore } from './text.js';

/** Finding the tasks a reference means, from what the tools answered so far. */

/** Lists fetched only to look titles up ask for this many; numbers refer to lists the user saw. */
export const LOOKUP_LIMIT = 100;

export const isLookup = (r: ToolResult) => r.name === 'list_tasks' && r.args.limit === LOOKUP_LIMIT;

export type Resolution =
  | { tasks: TaskView[] }
  | { ask: string; candidates: TaskView[] }
  | { missing: string }
  | { call: string; args: Record<string, unknown> };

export function lastShownList(results: readonly ToolResult[]): TaskView[] | undefined {
  for (let i = results.length - 1; i >= 0; i--) {
    const r = results[i] as ToolResult;
    if (r.name === 'list_tasks' && r.out.ok !== false && !isLookup(r))
      return (r.out.tasks as TaskView[] | undefined) ?? [];
  }
  return undefined;
}

/** The task acted on last: what "it" and "that one" mean. */
export function lastTouched(results: readonly ToolResult[]): TaskView | undefined {
  for (let i = results.length - 1; i >= 0; i--) {
    const r = results[i] as ToolResult;
    const task = r.out.task as TaskView | undefined;
    if (r.name !== 'list_tasks' && r.out.ok !== false && task?.id) return task;
    if (r.name === 'list_tasks' && !isLookup(r) && (r.out.tasks as unknown[] | undefined)?.length === 1) {
      return (r.out.tasks as TaskView[])[0];
    }
  }
  return undefined;
}

export const lookupIn = (mine: readonly ToolResult[]) => [...mine].reverse().find(isLookup);

/** “a”, “b” and “c” */
export function titles(tasks: readonly TaskView[], joiner = 'and'): string {
  const q = tasks.map((t) => `“${t.title}”`);
  return q.length <= 1 ? (q[0] ?? '') : `${q.slice(0, -1).join(', ')} ${joiner} ${q[q.length - 1]}`;
}

export function question(candidates: readonly TaskView[]): string {
  const shown = candidates.slice(0, 5);
  const label = (t: TaskView) => ({ ...t, title: `${t.title}${t.completed ? ' (done)' : ''}` });
  return shown.length === 2
    ? `Did you mean ${titles(shown.map(label), 'or')}?`
    : `Which one do you mean: ${titles(shown.map(label), 'or')}?`;
}

/** The best matches of a title reference; several when they are too close to tell apart. */
export function matchTitle(text: string, tasks: readonly TaskView[], prefer?: boolean): TaskView[] {
  let scored = tasks
    .map((task) => ({ task, score: titleScore(text, task.title) }))
    .filter((s) => s.score >= 0.5)
    .sort((a, b) => b.score - a.score);
  // completing prefers open tasks, reopening done ones, when both match
  if (prefer !== undefined && scored.some((s) => s.task.completed === prefer)) {
    scored = scored.filter((s) => s.task.completed === prefer);
  }
  const [best, second] = scored;
  if (!best) return [];
  if (!second) return [best.task];
  if (best.score === 1 && second.score < 1) return [best.task];
  if (best.score < 1 && best.score - second.score >= 0.15) return [best.task];
  const close = scored.filter((s) => best.score - s.score < 0.15 || (best.score === 1 && s.score === 1));
  return close.map((s) => s.task);
}

/**
 * Resolves a single-task reference. `prefer` is the completion state to prefer among matches
 * (false when completing: open tasks first; true when reopening). Returns the call to make first when it needs a list.
 */
export function resolve(
  ref: Ref,
  prior: readonly ToolResult[],
  mine: readonly ToolResult[],
  prefer?: boolean,
): Resolution {
  const all = [...prior, ...mine];
  switch (ref.kind) {
    case 'picked':
      return { tasks: ref.tasks };
    case 'it': {
      const t = lastTouched(all);
      return t
        ? { tasks: [t] }
        : {
            ask: 'Which task do you mean? You can say its number from the list or part of its title.',
            candidates: [],
          };
    }
    case 'number':
    case 'numbers': {
      const list = lastShownList(all);
      if (!list) {
        return mine.some((r) => r.name === 'list_tasks')
          ? { missing: 'You have no tasks yet.' }
          : { call: 'list_tasks', args: {} };
      }
      const ns = ref.kind === 'number' ? [ref.n] : ref.ns;
      const tasks: TaskView[] = [];
      for (const n of ns) {
        const task = list[(n === -1 ? list.length : n) - 1];
        if (!task)
          return { missing: `There is no task number ${n} in the last list (it had ${list.length}).` };
        tasks.push(task);
      }
      return { tasks };
    }
    case 'title': {
      const lookup = lookupIn(mine);
      if (!lookup) return { call: 'list_tasks', args: { limit: LOOKUP_LIMIT } };
      const tasks = (lookup.out.tasks as TaskView[] | undefined) ?? [];
      if (!ref.text) return { ask: 'Which task do you mean?', candidates: [] };
      const found = matchTitle(ref.text, tasks, prefer);
      if (found.length === 0) return { missing: `I couldn't find a task matching “${ref.text}”.` };
      if (found.length === 1) return { tasks: found };
      return { ask: question(found), candidates: found };
    }
    case 'bulk':
      return { ask: 'Which task do you mean?', candidates: [] };
  }
}
