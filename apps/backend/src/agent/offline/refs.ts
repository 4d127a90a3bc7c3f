import type { Priority } from '@todo/contracts';
import type { TaskView } from './conversation.js';
import { PRIORITY_WORD, TRAILING_FILLERS } from './lexicon.js';
import { stripLeading, stripTrailing, trimPunct } from './phrase.js';
import { restoreQuotes, soleQuote, words } from './text.js';

/** Which tasks a bulk request means. Unset fields do not narrow; `word` is a tag or a title word. */
export interface BulkFilter {
  status?: 'all' | 'open' | 'done';
  priority?: Priority;
  tag?: string;
  word?: string;
  /** "them", "those", "all of them": the tasks of the list shown last. */
  them?: boolean;
}

/** How the user points at tasks. */
export type Ref =
  | { kind: 'number'; n: number }
  | { kind: 'numbers'; ns: number[] }
  | { kind: 'it' }
  | { kind: 'title'; text: string }
  | { kind: 'bulk'; filter: BulkFilter }
  /** Tasks already known: the user picked them in answer to a question. */
  | { kind: 'picked'; tasks: TaskView[] };

const ORDINALS: Record<string, number> = {
  first: 1,
  second: 2,
  third: 3,
  fourth: 4,
  fifth: 5,
  sixth: 6,
  seventh: 7,
  eighth: 8,
  ninth: 9,
  tenth: 10,
  '1st': 1,
  '2nd': 2,
  '3rd': 3,
  last: -1,
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
};

const IT = new Set([
  'it',
  'that',
  'this',
  'that one',
  'this one',
  'that task',
  'this task',
  'the task',
  'same one',
  'the same one',
  'the same task',
  'the one i just added',
  'the one i added',
  'what i just added',
  'the task i just added',
  'the new one',
  'the new task',
  'it again',
]);

const OPEN_WORDS = new Set([
  'open',
  'pending',
  'remaining',
  'unfinished',
  'incomplete',
  'active',
  'outstanding',
  'left',
  'undone',
  'current',
]);
const DONE_WORDS = new Set([
  'completed',
  'complete',
  'done',
  'finished',
  'checked',
  'ticked',
  'closed',
  'old',
]);
const ALL_WORDS = new Set([
  'all',
  'everything',
  'every',
  'each',
  'them',
  'those',
  'these',
  'both',
  'entire',
  'whole',
]);
const NOISE = new Set([
  'the',
  'my',
  'of',
  'a',
  'an',
  'tasks',
  'task',
  'todos',
  'todo',
  'items',
  'item',
  'ones',
  'things',
  'stuff',
  'list',
  'on',
  'in',
  'from',
  'i',
  'have',
  'that',
  'are',
  'is',
  'off',
  'as',
  'priority',
  'tagged',
  'with',
  'tag',
  'to-dos',
  'to',
  'do',
  'out',
  'entries',
  'tickets',
  'jobs',
  'already',
  'now',
  'at',
  'once',
  'up',
]);
const PLURALS = new Set(['tasks', 'todos', 'to-dos', 'items', 'ones', 'things', 'entries', 'jobs']);

const REF_LEAD = [
  'the task called',
  'the task named',
  'the one called',
  'the one about',
  'the one named',
  'task called',
  'the task',
  'task',
  'the todo',
  'the item',
  'item',
  'the',
  'my',
  'a',
  'an',
  'number',
  'no',
];
const REF_TAIL = [
  ...TRAILING_FILLERS,
  'from my list',
  'from the list',
  'off my list',
  'off the list',
  'on my list',
  'from my tasks',
  'from my todo list',
  'from my to-do list',
  'off',
  'task',
  'todo',
  'to-do',
  'item',
  'one',
  'as well',
  'too',
  'already',
  'yet',
];

function bulk(ws: string[]): BulkFilter | undefined {
  const hasAll = ws.some((w) => ALL_WORDS.has(w));
  const hasPlural = ws.some((w) => PLURALS.has(w));
  const filter: BulkFilter = {};
  const rest: string[] = [];
  for (let i = 0; i < ws.length; i++) {
    const w = ws[i] as string;
    const next = ws[i + 1];
    if (OPEN_WORDS.has(w)) filter.status = 'open';
    else if (DONE_WORDS.has(w)) filter.status = 'done';
    else if ((w === 'tagged' || w === 'tag') && next) {
      filter.tag = next.replace(/^#/, '');
      i++;
    } else if (PRIORITY_WORD[w] && (next === 'priority' || w === 'urgent' || w === 'important'))
      filter.priority = PRIORITY_WORD[w];
    else if (w === 'them' || w === 'those' || w === 'these' || w === 'both') filter.them = true;
    else if (!ALL_WORDS.has(w) && !NOISE.has(w)) rest.push(w);
  }
  if (!hasAll && !(hasPlural && (filter.status || filter.priority || filter.tag || rest.length === 1)))
    return undefined;
  if (rest.length > 1) return undefined;
  if (rest[0]) filter.word = rest[0];
  if (filter.them && (filter.status || filter.priority || filter.tag || filter.word)) filter.them = undefined;
  if (filter.them === undefined) delete filter.them;
  return filter;
}

function ordinalOrNumber(w: string): number | undefined {
  if (/^\d{1,3}$/.test(w)) return Number(w);
  const m = /^(\d{1,3})(?:st|nd|rd|th)$/.exec(w);
  if (m) return Number(m[1]);
  return ORDINALS[w];
}

/** Reads a reference: "2", "the second one", "it", "all completed tasks", "the report's", "buy milk". */
export function parseRef(raw: string, quotes: readonly string[]): Ref {
  const q = soleQuote(trimPunct(raw));
  if (q !== undefined) return { kind: 'title', text: quotes[q] ?? '' };
  const whole = words(raw).join(' ');
  if (IT.has(whole)) return { kind: 'it' };
  let text = stripTrailing(trimPunct(raw), REF_TAIL);
  const ws = words(text);
  const joined = ws.join(' ');
  if (IT.has(joined)) return { kind: 'it' };
  // numbers: "2", "task 2", "#2", "the 2nd one", "1 and 3", "tasks 2, 4 & 5", "the first and the second"
  const nums: number[] = [];
  let onlyNumbers = ws.length > 0;
  for (const w of ws) {
    const n = ordinalOrNumber(w);
    if (n !== undefined && !(w === 'one' && nums.length > 0)) nums.push(n);
    else if (
      ![
        'the',
        'task',
        'tasks',
        'number',
        'numbers',
        'no',
        'item',
        'items',
        'and',
        '&',
        'one',
        'ones',
        'todo',
        'nos',
        'both',
      ].includes(w)
    ) {
      onlyNumbers = false;
      break;
    }
  }
  if (onlyNumbers && nums.length === 1 && !(ws.length === 1 && ws[0] === 'one'))
    return { kind: 'number', n: nums[0] as number };
  if (onlyNumbers && nums.length > 1) return { kind: 'numbers', ns: [...new Set(nums)] };
  const b = bulk(ws);
  if (b) return { kind: 'bulk', filter: b };
  text = stripLeading(text, REF_LEAD, 2);
  // possessive: "the report's" → "report"
  text = text.replace(/['’]s$/i, '');
  return { kind: 'title', text: restoreQuotes(trimPunct(text), quotes) };
}
