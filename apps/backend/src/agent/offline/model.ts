import { randomUUID } from 'node:crypto';
import {
  type AgentInputItem,
  type Model,
  type ModelRequest,
  type ModelResponse,
  type StreamEvent,
  Usage,
} from '@openai/agents-core';
import { formatDay } from './dates.js';
import { type Intent, parseIntent, type Ref } from './parse.js';

interface ListedTask {
  n: number;
  id: string;
  title: string;
  completed: boolean;
  priority: string;
  tags: string[];
  dueAt: string | null;
}

interface ToolResult {
  name: string;
  args: Record<string, unknown>;
  out: Record<string, unknown> & { ok?: boolean; summary?: string };
}

type Step = { call: string; args: Record<string, unknown> } | { say: string };

/** Lists fetched only to look a title up ask for this many; numbers refer to lists the user saw. */
const LOOKUP_LIMIT = 100;
const MAX_CALLS_PER_TURN = 4;

function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) return content.map(textOf).join('');
  if (content && typeof content === 'object') {
    const c = content as { text?: unknown; type?: string };
    if (typeof c.text === 'string') return c.text;
  }
  return '';
}

function parseJson(text: string): Record<string, unknown> {
  try {
    const v = JSON.parse(text);
    return v && typeof v === 'object' ? (v as Record<string, unknown>) : {};
  } catch {
    return { ok: false, summary: text };
  }
}

/** Reads the conversation: the last user message, and the tool results before and after it. */
function readInput(input: ModelRequest['input']): {
  userText: string;
  earlier: ToolResult[];
  thisTurn: ToolResult[];
} {
  const items: AgentInputItem[] = typeof input === 'string' ? [{ role: 'user', content: input }] : input;
  let lastUser = -1;
  items.forEach((item, i) => {
    if ((item as { role?: string }).role === 'user') lastUser = i;
  });
  const userText = lastUser >= 0 ? textOf((items[lastUser] as { content: unknown }).content) : '';
  const calls = new Map<string, { name: string; args: Record<string, unknown> }>();
  const earlier: ToolResult[] = [];
  const thisTurn: ToolResult[] = [];
  items.forEach((item, i) => {
    const it = item as {
      type?: string;
      callId?: string;
      name?: string;
      arguments?: string;
      output?: unknown;
    };
    if (it.type === 'function_call' && it.callId) {
      calls.set(it.callId, { name: it.name ?? '', args: parseJson(it.arguments ?? '{}') });
    } else if (it.type === 'function_call_result' && it.callId) {
      const call = calls.get(it.callId) ?? { name: it.name ?? '', args: {} };
      const result = { name: call.name, args: call.args, out: parseJson(textOf(it.output)) };
      (i > lastUser ? thisTurn : earlier).push(result);
    }
  });
  return { userText, earlier, thisTurn };
}

const norm = (s: string) =>
  s
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^\p{L}\p{N}\s]/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();

function bigrams(s: string): Map<string, number> {
  const m = new Map<string, number>();
  const t = s.replace(/\s/g, '');
  for (let i = 0; i < t.length - 1; i++) {
    const g = t.slice(i, i + 2);
    m.set(g, (m.get(g) ?? 0) + 1);
  }
  return m;
}

function dice(a: string, b: string): number {
  const A = bigrams(a);
  const B = bigrams(b);
  let inter = 0;
  let total = 0;
  for (const [g, n] of A) {
    inter += Math.min(n, B.get(g) ?? 0);
    total += n;
  }
  for (const n of B.values()) total += n;
  return total === 0 ? 0 : (2 * inter) / total;
}

/** Similarity of a reference to a title, 0..1: exact 1, containment 0.9, otherwise bigram overlap. */
export function titleScore(ref: string, title: string): number {
  const r = norm(ref);
  const t = norm(title);
  if (!r || !t) return 0;
  if (r === t) return 1;
  if (` ${t} `.includes(` ${r} `) || ` ${r} `.includes(` ${t} `)) return 0.9;
  return dice(r, t);
}

type Resolution = { task: ListedTask } | { ask: string } | { missing: string } | { lookup: true };

function lastShownList(results: ToolResult[]): ListedTask[] | undefined {
  for (let i = results.length - 1; i >= 0; i--) {
    const r = results[i];
    if (r?.name === 'list_tasks' && r.out.ok !== false && r.args.limit !== LOOKUP_LIMIT) {
      return (r.out.tasks as ListedTask[] | undefined) ?? [];
    }
  }
  return undefined;
}

function lastTouched(results: ToolResult[]): ListedTask | undefined {
  for (let i = results.length - 1; i >= 0; i--) {
    const r = results[i];
    const task = r?.out.task as ListedTask | undefined;
    if (r && r.name !== 'list_tasks' && r.out.ok !== false && task?.id) return task;
  }
  return undefined;
}

function resolve(ref: Ref, earlier: ToolResult[], thisTurn: ToolResult[]): Resolution {
  const all = [...earlier, ...thisTurn];
  if (ref.kind === 'it') {
    const t = lastTouched(all);
    return t
      ? { task: t }
      : { ask: 'Which task do you mean? You can say its number from the list or part of its title.' };
  }
  if (ref.kind === 'number') {
    const list = lastShownList(all);
    if (!list) {
      return thisTurn.some((r) => r.name === 'list_tasks')
        ? { missing: 'You have no tasks yet.' }
        : { lookup: true };
    }
    const n = ref.n === -1 ? list.length : ref.n;
    const task = list[n - 1];
    if (!task)
      return { missing: `There is no task number ${ref.n} in the last list (it had ${list.length}).` };
    return { task };
  }
  const lookup = [...thisTurn]
    .reverse()
    .find((r) => r.name === 'list_tasks' && r.args.limit === LOOKUP_LIMIT);
  if (!lookup) return { lookup: true };
  const tasks = (lookup.out.tasks as ListedTask[] | undefined) ?? [];
  const scored = tasks
    .map((task) => ({ task, score: titleScore(ref.text, task.title) }))
    .filter((s) => s.score >= 0.5)
    .sort((a, b) => b.score - a.score);
  const [best, second] = scored;
  if (!best) return { missing: `I couldn't find a task matching “${ref.text}”.` };
  if (!second || best.score === 1 || best.score - second.score >= 0.15) {
    if (!(second && best.score === 1 && second.score === 1)) return { task: best.task };
  }
  const options = scored
    .slice(0, 5)
    .map((s, i) => `${i + 1}. “${s.task.title}”${s.task.completed ? ' (done)' : ''}`)
    .join('\n');
  return { ask: `Several tasks match “${ref.text}”. Which one do you mean?\n${options}` };
}

function describeTask(t: ListedTask, now: Date): string {
  const bits: string[] = [];
  if (t.priority !== 'medium') bits.push(`${t.priority} priority`);
  if (t.dueAt) bits.push(`due ${formatDay(t.dueAt, now)}`);
  if (t.tags?.length) bits.push(t.tags.map((x) => `#${x}`).join(' '));
  return bits.length ? ` (${bits.join(', ')})` : '';
}

function listText(r: ToolResult, now: Date): string {
  const tasks = (r.out.tasks as ListedTask[] | undefined) ?? [];
  const status = r.args.status;
  if (tasks.length === 0) {
    if (status === 'done') return "You haven't completed any tasks yet.";
    if (r.args.q || r.args.tag || r.args.priority) return 'No tasks match that.';
    return status === 'open'
      ? 'Nothing open: you are all caught up!'
      : 'You have no tasks yet. Try “add buy milk tomorrow”.';
  }
  const kind = status === 'open' ? 'open ' : status === 'done' ? 'completed ' : '';
  const head = `You have ${tasks.length}${r.out.more ? '+' : ''} ${kind}task${tasks.length === 1 ? '' : 's'}:`;
  const lines = tasks.map((t) => `${t.n}. ${t.completed ? '✓ ' : ''}${t.title}${describeTask(t, now)}`);
  return [head, ...lines].join('\n');
}

const HELP =
  'I can manage your tasks. Try: “add buy milk tomorrow with high priority”, “show my open tasks”, ' +
  '“complete 2”, “rename buy milk to buy oat milk”, “make 1 low priority” or “delete the dentist task”.';

function finalText(intent: Intent, done: ToolResult, now: Date): string {
  if (done.out.ok === false) {
    const s = String(done.out.summary ?? 'that did not work');
    return s === 'No such task'
      ? 'I could not find that task any more; it may have been deleted.'
      : `Sorry, ${s}.`;
  }
  const task = done.out.task as ListedTask | undefined;
  switch (done.name) {
    case 'list_tasks':
      return listText(done, now);
    case 'add_task':
      return task ? `Added “${task.title}”${describeTask(task, now)}.` : 'Added it.';
    case 'complete_task':
      return task
        ? task.completed
          ? `Marked “${task.title}” as done. Nice work!`
          : `Reopened “${task.title}”.`
        : 'Done.';
    case 'delete_task':
      return task ? `Deleted “${task.title}”.` : 'Deleted it.';
    case 'update_task':
      if (!task) return 'Updated it.';
      if (intent.kind === 'rename') return `Renamed it to “${task.title}”.`;
      if (intent.kind === 'priority') return `“${task.title}” is now ${task.priority} priority.`;
      if (intent.kind === 'due') {
        return task.dueAt
          ? `“${task.title}” is now due ${formatDay(task.dueAt, now)}.`
          : `Removed the due date of “${task.title}”.`;
      }
      return `Updated “${task.title}”.`;
    default:
      return String(done.out.summary ?? 'Done.');
  }
}

/** Decides the next step of the turn: call a tool, or say something and finish. */
export function nextStep(userText: string, earlier: ToolResult[], thisTurn: ToolResult[], now: Date): Step {
  const intent = parseIntent(userText, now);
  if (thisTurn.length >= MAX_CALLS_PER_TURN)
    return { say: 'Sorry, I got stuck on that one. Could you rephrase it?' };
  const action = [...thisTurn]
    .reverse()
    .find((r) => !(r.name === 'list_tasks' && r.args.limit === LOOKUP_LIMIT));
  switch (intent.kind) {
    case 'greet':
      return { say: `Hi! ${HELP}` };
    case 'thanks':
      return { say: "You're welcome!" };
    case 'help':
    case 'unknown':
      return { say: intent.kind === 'unknown' ? `I didn't quite get that. ${HELP}` : HELP };
    case 'add': {
      if (action) return { say: finalText(intent, action, now) };
      const args: Record<string, unknown> = { title: intent.title.slice(0, 200) };
      if (intent.priority) args.priority = intent.priority;
      if (intent.dueAt) args.dueAt = intent.dueAt;
      if (intent.tags) args.tags = intent.tags;
      return { call: 'add_task', args };
    }
    case 'list': {
      if (action) return { say: finalText(intent, action, now) };
      const args: Record<string, unknown> = {};
      for (const k of ['status', 'priority', 'tag', 'q', 'sort'] as const) if (intent[k]) args[k] = intent[k];
      return { call: 'list_tasks', args };
    }
    default: {
      if (action && action.name !== 'list_tasks') return { say: finalText(intent, action, now) };
      const r = resolve(intent.ref, earlier, thisTurn);
      if ('ask' in r) return { say: r.ask };
      if ('missing' in r) return { say: r.missing };
      if ('lookup' in r) {
        return intent.ref.kind === 'number'
          ? { call: 'list_tasks', args: {} }
          : { call: 'list_tasks', args: { limit: LOOKUP_LIMIT } };
      }
      const id = r.task.id;
      switch (intent.kind) {
        case 'complete':
          if (r.task.completed === intent.completed) {
            return { say: `“${r.task.title}” is already ${intent.completed ? 'done' : 'open'}.` };
          }
          return { call: 'complete_task', args: { id, completed: intent.completed } };
        case 'delete':
          return { call: 'delete_task', args: { id } };
        case 'rename':
          return { call: 'update_task', args: { id, title: intent.title.slice(0, 200) } };
        case 'priority':
          return { call: 'update_task', args: { id, priority: intent.priority } };
        case 'due':
          return { call: 'update_task', args: { id, dueAt: intent.dueAt } };
      }
    }
  }
}

/**
 * The built-in offline model: a deterministic implementation of the Agents SDK's Model interface.
 * It reads the conversation (including earlier tool results replayed from the database), decides
 * on one tool call at a time, and answers in plain sentences once the tools have run.
 */
export class OfflineModel implements Model {
  constructor(private readonly clock: () => Date = () => new Date()) {}

  private respond(request: ModelRequest): ModelResponse['output'] {
    const { userText, earlier, thisTurn } = readInput(request.input);
    const step = nextStep(userText, earlier, thisTurn, this.clock());
    if ('call' in step) {
      return [
        {
          type: 'function_call',
          callId: `call_${randomUUID().replace(/-/g, '').slice(0, 24)}`,
          name: step.call,
          arguments: JSON.stringify(step.args),
          status: 'completed',
        },
      ];
    }
    return [
      {
        type: 'message',
        role: 'assistant',
        status: 'completed',
        content: [{ type: 'output_text', text: step.say }],
      },
    ];
  }

  async getResponse(request: ModelRequest): Promise<ModelResponse> {
    return { usage: new Usage(), output: this.respond(request), responseId: `offline_${randomUUID()}` };
  }

  async *getStreamedResponse(request: ModelRequest): AsyncIterable<StreamEvent> {
    const output = this.respond(request);
    const id = `offline_${randomUUID()}`;
    yield { type: 'response_started' };
    for (const item of output) {
      if (item.type === 'message' && item.role === 'assistant') {
        for (const part of item.content) {
          if (part.type !== 'output_text') continue;
          // Stream line by line, as a remote model streams tokens.
          for (const chunk of part.text.match(/[^\n]*\n|[^\n]+$/g) ?? []) {
            yield { type: 'output_text_delta', delta: chunk };
          }
        }
      }
    }
    yield {
      type: 'response_done',
      response: { id, usage: { inputTokens: 0, outputTokens: 0, totalTokens: 0 }, output: output as never },
    };
  }
}
