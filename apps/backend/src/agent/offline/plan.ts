import { bulkWhat, planBulk } from './bulk.js';
import type { TaskView, ToolResult, Turn } from './conversation.js';
import { type Clock, localDay, noonOn } from './dates.js';
import { parseTaskDetails } from './details.js';
import type { Intent } from './intent.js';
import { parseMessage } from './parse.js';
import { parseRef } from './refs.js';
import { answerText, bulkText, countText, HELP, listText, taskText } from './reply.js';
import { LOOKUP_LIMIT, lookupIn, matchTitle, resolve } from './resolve.js';
import { normalize } from './text.js';
import { planUndo } from './undo.js';

/**
 * The offline model's decisions. A turn's message becomes intents (parse.ts); each intent is
 * planned from the conversation so far: which tool to call next, or what to say once its tools
 * have answered. Planning is a pure function of the conversation, so the model can replay an
 * earlier turn to learn what it asked there (a choice between tasks, a confirmation).
 */

export type Step = { call: string; args: Record<string, unknown> } | { say: string };

/** What a turn left open for the next message to answer. */
export type Pending =
  | { kind: 'choose'; intent: Intent; candidates: TaskView[] }
  | { kind: 'add-unknown'; text: string }
  | { kind: 'title' };

type Outcome = { call: string; args: Record<string, unknown> } | { say: string; pending?: Pending };

/** Tool calls one turn may make (the agent's AGENT_MAX_TURNS default of 6 leaves one for the answer). */
export const MAX_CALLS_PER_TURN = 5;

const uniq = (xs: string[]) => [...new Set(xs)];

function noonToday(clock: Clock): Date {
  const d = localDay(clock.now, clock);
  return noonOn(d.y, d.m, d.d, clock);
}

/**
 * The question that resolving `intent`'s task asked ("which one?"); with candidates, the next
 * message picks among them.
 */
function askWhich(res: { ask: string; candidates: TaskView[] }, intent: Intent): Outcome {
  return {
    say: res.ask,
    ...(res.candidates.length ? { pending: { kind: 'choose', intent, candidates: res.candidates } } : {}),
  };
}

/** One task's change for a single-task intent: a call, or a sentence when there is nothing to do. */
function decide(intent: Intent, t: TaskView, clock: Clock): Outcome {
  switch (intent.kind) {
    case 'complete':
      if (t.completed === intent.completed)
        return { say: `“${t.title}” is already ${t.completed ? 'done' : 'open'}.` };
      return intent.completed
        ? { call: 'complete_task', args: { id: t.id, completed: true } }
        : { call: 'reopen_task', args: { id: t.id } };
    case 'delete':
      return { call: 'delete_task', args: { id: t.id } };
    case 'rename':
      return { call: 'update_task', args: { id: t.id, title: intent.title } };
    case 'priority':
      if (t.priority === intent.priority) return { say: `“${t.title}” is already ${t.priority} priority.` };
      return { call: 'update_task', args: { id: t.id, priority: intent.priority } };
    case 'due': {
      if (!intent.shiftDays) return { call: 'update_task', args: { id: t.id, dueAt: intent.dueAt } };
      // relative to the current due date (noon today when it has none)
      const base = t.dueAt ? new Date(t.dueAt).getTime() : noonToday(clock).getTime();
      return {
        call: 'update_task',
        args: { id: t.id, dueAt: new Date(base + intent.shiftDays * 86_400_000).toISOString() },
      };
    }
    case 'tag': {
      const kept = intent.remove.includes('*') ? [] : t.tags.filter((x) => !intent.remove.includes(x));
      return { call: 'update_task', args: { id: t.id, tags: uniq([...kept, ...intent.add]).slice(0, 10) } };
    }
    default:
      return { say: HELP };
  }
}

/** Plans one intent given what the tools answered before it (`prior`) and for it (`mine`). */
export function planIntent(
  intent: Intent,
  prior: readonly ToolResult[],
  mine: readonly ToolResult[],
  clock: Clock,
): Outcome {
  switch (intent.kind) {
    case 'greet':
      return { say: `Hi! ${HELP}` };
    case 'thanks':
      return { say: "You're welcome!" };
    case 'help':
      return { say: HELP };
    case 'yes':
    case 'no':
      return { say: 'Okay. What would you like to do with your tasks?' };
    case 'unknown': {
      const text = intent.text.trim();
      if (!text || intent.question || /\?\s*$/.test(text) || text.length > 120)
        return { say: `I can only help with your tasks. ${HELP}` };
      return {
        say: `I'm not sure what you mean by “${text}”. Should I add it as a task? (yes/no)`,
        pending: { kind: 'add-unknown', text },
      };
    }
    case 'add': {
      const done = mine.find((r) => r.name === 'add_task');
      if (done) return { say: taskText(intent, done, clock) };
      if (!intent.title) return { say: 'What should the task be called?', pending: { kind: 'title' } };
      const args: Record<string, unknown> = { title: intent.title };
      if (intent.priority) args.priority = intent.priority;
      if (intent.dueAt) args.dueAt = intent.dueAt;
      if (intent.tags) args.tags = intent.tags;
      return { call: 'add_task', args };
    }
    case 'list': {
      const done = mine.find((r) => r.name === 'list_tasks');
      if (done)
        return { say: done.out.ok === false ? taskText(intent, done, clock) : listText(intent, done, clock) };
      const args: Record<string, unknown> = {};
      for (const k of ['status', 'priority', 'tag', 'q', 'sort'] as const) if (intent[k]) args[k] = intent[k];
      if (intent.due) Object.assign(args, { status: 'open', sort: 'due', limit: 50 });
      return { call: 'list_tasks', args };
    }
    case 'count': {
      const done = lookupIn(mine);
      if (done) return { say: countText(done, intent.status) };
      return {
        call: 'list_tasks',
        args: { ...(intent.status ? { status: intent.status } : {}), limit: LOOKUP_LIMIT },
      };
    }
    case 'ask': {
      const res = resolve(intent.ref, prior, mine);
      if ('call' in res) return res;
      if ('ask' in res) return askWhich(res, intent);
      if ('missing' in res) {
        return {
          say:
            intent.about === 'exists' && intent.ref.kind === 'title'
              ? `No, I couldn't find “${intent.ref.text}” on your list.`
              : res.missing,
        };
      }
      return { say: answerText(intent.about, res.tasks[0] as TaskView, clock) };
    }
    case 'undo':
      return planUndo(prior, mine, clock);
    default: {
      if (intent.ref.kind === 'bulk') return planBulk(intent, prior, mine);
      const lists = mine.filter((r) => r.name === 'list_tasks');
      const acted = mine.filter((r) => r.name !== 'list_tasks');
      const prefer = intent.kind === 'complete' ? !intent.completed : undefined;
      const res = resolve(intent.ref, prior, lists, prefer);
      if ('call' in res) return res;
      if ('ask' in res) return askWhich(res, intent);
      if ('missing' in res) return { say: res.missing };
      const texts: string[] = [];
      let next = 0;
      for (const t of res.tasks) {
        const d = decide(intent, t, clock);
        if ('say' in d) texts.push(d.say);
        else if (acted[next]) texts.push(taskText(intent, acted[next++] as ToolResult, clock));
        else return d;
      }
      return { say: texts.join(' ') };
    }
  }
}

/** The turn's answer; never empty (a remote-model loop would take an empty answer for no answer). */
const joinTexts = (texts: string[]) => texts.join(texts.some((t) => t.includes('\n')) ? '\n' : ' ') || HELP;

/** Plans a turn: its intents in order, each consuming the tool results its own calls produced. */
export function planTurn(
  intents: readonly Intent[],
  earlier: readonly ToolResult[],
  thisTurn: readonly ToolResult[],
  clock: Clock,
): { step: Step; pending?: Pending } {
  const texts: string[] = [];
  let start = 0;
  for (const intent of intents) {
    for (let k = 0; ; k++) {
      const prior = [...earlier, ...thisTurn.slice(0, start)];
      const out = planIntent(intent, prior, thisTurn.slice(start, start + k), clock);
      if ('call' in out) {
        if (start + k < thisTurn.length) continue;
        if (thisTurn.length >= MAX_CALLS_PER_TURN) {
          texts.push('I stopped there: that was more than I can do in one message. What should I do next?');
          return { step: { say: joinTexts(texts) } };
        }
        return { step: out };
      }
      texts.push(out.say);
      if (out.pending) return { step: { say: joinTexts(texts) }, pending: out.pending };
      start += k;
      break;
    }
  }
  return { step: { say: joinTexts(texts) } };
}

/** The tasks among `candidates` that an answer to "which one?" picks, or undefined. */
function pick(text: string, candidates: readonly TaskView[]): TaskView[] | undefined {
  const { text: t, quotes } = normalize(text);
  const ref = parseRef(t, quotes);
  if (ref.kind === 'number')
    return ref.n === -1
      ? candidates.slice(-1)
      : candidates[ref.n - 1]
        ? [candidates[ref.n - 1] as TaskView]
        : undefined;
  if (ref.kind === 'numbers') {
    const got = ref.ns.map((n) => candidates[n - 1]).filter((x): x is TaskView => x !== undefined);
    return got.length === ref.ns.length ? got : undefined;
  }
  if (ref.kind === 'bulk') return [...candidates];
  if (ref.kind === 'title') {
    const found = matchTitle(ref.text, candidates);
    return found.length === 1 ? found : undefined;
  }
  return undefined;
}

/** The next step of the conversation's last turn. */
export function nextStep(turns: readonly Turn[], clock: Clock): Step {
  const current = turns[turns.length - 1];
  if (!current) return { say: HELP };
  const earlier = turns.slice(0, -1).flatMap((t) => t.results);
  const intents = parseMessage(current.userText, clock);
  const single = intents.length === 1 ? intents[0] : undefined;
  const prev = turns.length >= 2 ? (turns[turns.length - 2] as Turn) : undefined;
  if (prev && single) {
    // A destructive bulk operation asked for a confirmation in the previous turn.
    const last = prev.results[prev.results.length - 1];
    if (
      last?.name === 'delete_tasks' &&
      last.out.pending &&
      (single.kind === 'yes' || single.kind === 'no')
    ) {
      if (single.kind === 'no') return { say: "OK, I didn't delete anything." };
      const done = current.results.find((r) => r.name === 'delete_tasks');
      if (done) return { say: bulkText(done, bulkWhat(done)) };
      const { confirm: _old, ...args } = last.args;
      return { call: 'delete_tasks', args: { ...args, confirm: last.out.confirm } };
    }
    // The previous turn asked a question: replay it to learn which.
    const before = turns.slice(0, -2).flatMap((t) => t.results);
    const asked = planTurn(parseMessage(prev.userText, clock), before, prev.results, clock).pending;
    if (asked?.kind === 'choose' && (single.kind === 'unknown' || single.kind === 'yes')) {
      const chosen =
        single.kind === 'yes' && asked.candidates.length === 1
          ? asked.candidates
          : pick(current.userText, asked.candidates);
      if (chosen) {
        const intent = { ...asked.intent, ref: { kind: 'picked', tasks: chosen } } as Intent;
        return planTurn([intent], earlier, current.results, clock).step;
      }
    }
    /** The step that adds a task read from `message` (its title, details and dates). */
    const addTaskStep = (message: string): Step => {
      const { text, quotes } = normalize(message);
      return planTurn(
        [{ kind: 'add', ...parseTaskDetails(text, quotes, clock) }],
        earlier,
        current.results,
        clock,
      ).step;
    };
    if (asked?.kind === 'add-unknown' && (single.kind === 'yes' || single.kind === 'no')) {
      if (single.kind === 'no') return { say: 'OK. What would you like to do?' };
      return addTaskStep(asked.text);
    }
    if (asked?.kind === 'title' && single.kind === 'unknown') return addTaskStep(current.userText);
  }
  return planTurn(intents, earlier, current.results, clock).step;
}
