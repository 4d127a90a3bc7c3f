import type { Intent } from './intent.js';
import { PRIORITY_WORD } from './lexicon.js';
import { afterWords, findSeq, sliceWords, trimPunct } from './phrase.js';
import { parseRef } from './refs.js';
import { restoreQuotes, words } from './text.js';

/** Reading requests that change nothing: lists, counts and questions about one task. */

type ListIntent = Extract<Intent, { kind: 'list' }>;

const LISTY = new Set([
  'tasks',
  'task',
  'todos',
  'todo',
  'to-dos',
  'list',
  'things',
  'done',
  'open',
  'pending',
  'left',
  'remaining',
  'completed',
  'finished',
  'due',
  'overdue',
  'priority',
  'plate',
  'agenda',
  'items',
  'today',
  'tomorrow',
  'week',
  'tagged',
  'everything',
  'stuff',
  'outstanding',
  'unfinished',
  'incomplete',
]);

/** The filters of a list request: status, priority, tag, search text, due window, order. */
export function listFilters(text: string, quotes: readonly string[]): ListIntent {
  const ws = words(text);
  const has = (w: string) => ws.includes(w);
  const intent: ListIntent = { kind: 'list' };
  if (
    ['open', 'pending', 'remaining', 'left', 'incomplete', 'unfinished', 'outstanding', 'undone'].some(has) ||
    findSeq(ws, ['not', 'done']) >= 0 ||
    findSeq(ws, ['to', 'do']) >= 0 ||
    has('todo')
  )
    intent.status = 'open';
  if (
    ['done', 'completed', 'finished'].some(has) &&
    findSeq(ws, ['not', 'done']) < 0 &&
    findSeq(ws, ['not', 'completed']) < 0
  )
    intent.status = 'done';
  if (!intent.status && (has('all') || has('everything'))) intent.status = 'all';
  for (let i = 0; i < ws.length; i++) {
    const w = ws[i] as string;
    if (
      PRIORITY_WORD[w] &&
      (ws[i + 1] === 'priority' || ws[i + 1] === 'prio' || w === 'urgent' || w === 'important')
    )
      intent.priority = PRIORITY_WORD[w];
    if ((w === 'tagged' || (w === 'tag' && i > 0)) && ws[i + 1]) intent.tag = ws[i + 1];
  }
  const hash = /#([\p{L}\p{N}_-]{1,32})/u.exec(text);
  if (hash?.[1]) intent.tag = hash[1].toLowerCase();
  if (has('overdue') || findSeq(ws, ['past', 'due']) >= 0 || has('late')) intent.due = 'overdue';
  else if (has('today') || has('tonight')) intent.due = 'today';
  else if (has('tomorrow')) intent.due = 'tomorrow';
  else if (findSeq(ws, ['this', 'week']) >= 0 || findSeq(ws, ['next', '7', 'days']) >= 0) intent.due = 'week';
  if (intent.due && !intent.status) intent.status = 'open';
  if (
    findSeq(ws, ['by', 'due']) >= 0 ||
    findSeq(ws, ['by', 'date']) >= 0 ||
    findSeq(ws, ['by', 'deadline']) >= 0 ||
    findSeq(ws, ['due', 'soon']) >= 0
  )
    intent.sort = 'due';
  else if (findSeq(ws, ['by', 'priority']) >= 0) intent.sort = '-priority';
  else if (
    has('alphabetical') ||
    has('alphabetically') ||
    findSeq(ws, ['by', 'title']) >= 0 ||
    findSeq(ws, ['by', 'name']) >= 0
  )
    intent.sort = 'title';
  for (const lead of [
    'about',
    'containing',
    'matching',
    'mentioning',
    'called',
    'named',
    'with the word',
    'that mention',
    'that contain',
  ]) {
    const at = findSeq(ws, lead.split(' '));
    if (at >= 0) {
      const q = trimPunct(restoreQuotes(afterWords(text, at + lead.split(' ').length), quotes)).replace(
        /^(?:the|my|a|an)\s+/i,
        '',
      );
      if (q) intent.q = q.slice(0, 200);
      break;
    }
  }
  return intent;
}

/** A list request, when the words are one: "show my tasks", "what's left?", "my todo list". */
export function readList(text: string, quotes: readonly string[]): ListIntent | undefined {
  const ws = words(text);
  const j = ws.join(' ');
  const first = ws[0] ?? '';
  const starts = [
    'list',
    'show',
    'display',
    'view',
    'see',
    'get',
    'give',
    'print',
    'tell',
    'read',
    'what',
    "what's",
    'whats',
    'which',
    'any',
    'anything',
    'do',
    'pull',
    'fetch',
    'open',
  ];
  const bare =
    /^(?:my |the )?(?:tasks|todos|to-dos|todo list|to-do list|to do list|list|agenda|task list)$/.test(j);
  const plan =
    /^(?:what(?:'s| is) on my (?:list|plate|agenda)|what do i (?:have|need) to do|what(?:'s| is) (?:left|pending|open|due|next|remaining|overdue)|what should i do)/.test(
      j,
    );
  const thereIs = /^(?:is|are) there (?:anything|any|something)\b/.test(j);
  if (bare || plan || thereIs || (starts.includes(first) && ws.some((w) => LISTY.has(w))))
    return listFilters(text, quotes);
  return undefined;
}

const STATUS_Q = ['done', 'finished', 'complete', 'completed', 'checked', 'ticked', 'closed'];

/** Questions about tasks: "is the report done?", "when is rent due?", "how many tasks do I have?". */
export function readQuestion(text: string, quotes: readonly string[]): Intent | undefined {
  const ws = words(text);
  const j = ws.join(' ');
  if (/^how many\b/.test(j)) {
    if (ws.some((w) => ['open', 'left', 'pending', 'remaining', 'unfinished'].includes(w)))
      return { kind: 'count', status: 'open' };
    if (ws.some((w) => ['done', 'completed', 'finished'].includes(w)))
      return { kind: 'count', status: 'done' };
    return { kind: 'count' };
  }
  const last = ws[ws.length - 1] ?? '';
  if ((ws[0] === 'is' || ws[0] === 'are' || ws[0] === 'was') && ws.length >= 3) {
    const tailDone =
      STATUS_Q.includes(last) || (last === 'yet' && STATUS_Q.includes(ws[ws.length - 2] ?? ''));
    if (tailDone) {
      const n = last === 'yet' ? 2 : 1;
      const refText = sliceWords(text, 1, ws.length - n);
      return { kind: 'ask', ref: parseRef(refText, quotes), about: 'status' };
    }
    const onList = findSeq(ws, ['on', 'my']);
    if (onList > 1 || findSeq(ws, ['in', 'my']) > 1) {
      const at = onList > 1 ? onList : findSeq(ws, ['in', 'my']);
      return { kind: 'ask', ref: parseRef(sliceWords(text, 1, at), quotes), about: 'exists' };
    }
  }
  if ((ws[0] === 'did' && ws[1] === 'i') || (ws[0] === 'have' && ws[1] === 'i')) {
    const verb = ws[2] ?? '';
    if (['finish', 'finished', 'complete', 'completed', 'do', 'done'].includes(verb))
      return { kind: 'ask', ref: parseRef(sliceWords(text, 3), quotes), about: 'status' };
    if (['add', 'added', 'create', 'created', 'save', 'saved'].includes(verb))
      return { kind: 'ask', ref: parseRef(stripOnList(sliceWords(text, 3)), quotes), about: 'exists' };
  }
  if (ws[0] === 'do' && ws[1] === 'i' && ws[2] === 'have' && ws.length > 3) {
    const obj = ws[3] ?? '';
    if (
      ['anything', 'any', 'tasks', 'something', 'stuff', 'things', 'a', 'much', 'todos', 'overdue'].includes(
        obj,
      )
    )
      return listFilters(text, quotes);
    return { kind: 'ask', ref: parseRef(stripOnList(sliceWords(text, 3)), quotes), about: 'exists' };
  }
  if ((ws[0] === 'when' || ws[0] === "when's") && last === 'due') {
    const from = ws[1] === 'is' || ws[1] === 'was' || ws[1] === 'are' ? 2 : 1;
    return { kind: 'ask', ref: parseRef(sliceWords(text, from, ws.length - 1), quotes), about: 'due' };
  }
  if (
    /^(?:what(?:'s| is) the (?:priority|deadline|due date) (?:of|for|on)|what priority is|how (?:important|urgent) is)\b/.test(
      j,
    )
  ) {
    const about = /deadline|due/.test(j) ? 'due' : 'priority';
    const at = ws.findIndex((w, i) => i > 0 && ['of', 'for', 'on', 'is'].includes(w) && i >= 2);
    return { kind: 'ask', ref: parseRef(sliceWords(text, at + 1), quotes), about };
  }
  return undefined;
}

function stripOnList(t: string): string {
  const ws = words(t);
  for (const tail of [
    ['on', 'my', 'list'],
    ['to', 'my', 'list'],
    ['on', 'the', 'list'],
    ['on', 'my', 'todo', 'list'],
    ['yet'],
    ['already'],
  ]) {
    const at = findSeq(ws, tail);
    if (at > 0 && at + tail.length === ws.length) return sliceWords(t, 0, at);
  }
  return t;
}
