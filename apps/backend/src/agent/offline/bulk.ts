import type { TaskView, ToolResult } from './conversation.js';
import type { Intent } from './intent.js';
import type { Ref } from './refs.js';
import { bulkText, HELP } from './reply.js';
import { LOOKUP_LIMIT, lastShownList, lookupIn } from './resolve.js';

/**
 * Requests about many tasks at once ("mark everything as done", "delete all completed tasks"):
 * complete_tasks acts at once; delete_tasks previews first and the next turn's "yes" confirms.
 */

type Outcome = { call: string; args: Record<string, unknown> } | { say: string };

function filterWords(args: Record<string, unknown>): string {
  const bits: string[] = [];
  if (args.status === 'done') bits.push('completed');
  if (args.status === 'open') bits.push('open');
  if (args.priority) bits.push(`${args.priority} priority`);
  if (args.tag) bits.push(`#${args.tag}`);
  if (args.q) bits.push(`“${args.q}”`);
  return bits.length ? `${bits.join(' ')} ` : '';
}

export function bulkWhat(r: ToolResult): string {
  return filterWords(r.name === 'complete_tasks' ? { ...r.args, status: undefined } : r.args);
}

export function planBulk(
  intent: Intent & { ref: Ref },
  prior: readonly ToolResult[],
  mine: readonly ToolResult[],
): Outcome {
  if (intent.ref.kind !== 'bulk') return { say: HELP };
  if (intent.kind !== 'complete' && intent.kind !== 'delete') {
    return {
      say: 'I can complete, reopen or delete many tasks at once, but change them one at a time. Which task do you mean?',
    };
  }
  const done = mine.find((r) => r.name === 'complete_tasks' || r.name === 'delete_tasks');
  if (done) return { say: bulkText(done, bulkWhat(done)) };
  const f = intent.ref.filter;
  const args: Record<string, unknown> = {};
  if (f.them) {
    const list = lastShownList(prior);
    if (!list?.length)
      return {
        say: 'Which tasks do you mean? Say “show my tasks” first, or describe them (“all completed tasks”).',
      };
    args.ids = list.map((t) => t.id);
  }
  if (f.word) {
    const lookup = lookupIn(mine);
    if (!lookup) return { call: 'list_tasks', args: { limit: LOOKUP_LIMIT } };
    const tasks = (lookup.out.tasks as TaskView[] | undefined) ?? [];
    if (tasks.some((t) => t.tags.includes(f.word as string))) args.tag = f.word;
    else args.q = f.word;
  }
  if (f.tag) args.tag = f.tag;
  if (f.priority) args.priority = f.priority;
  if (intent.kind === 'complete')
    return { call: 'complete_tasks', args: { completed: intent.completed, ...args } };
  return { call: 'delete_tasks', args: { status: f.status ?? 'all', ...args } };
}
