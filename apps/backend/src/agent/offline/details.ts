import type { Priority } from '@todo/contracts';
import { type Clock, findDate } from './dates.js';
import { DATE_TYPOS, PRIORITY_WORD, TRAILING_FILLERS } from './lexicon.js';
import { stripLeading, stripTrailing, trimPunct } from './phrase.js';
import { QUOTE_MARK, restoreQuotes, soleQuote } from './text.js';

/**
 * The details of a new task: priority, tags, due date, and the title that remains once the
 * phrases that said them are gone. A quoted title is taken verbatim and nothing inside it is read
 * as a date or a tag.
 */
export interface TaskDetails {
  title: string;
  priority?: Priority;
  dueAt?: string;
  tags?: string[];
}

const TAG_CHARS = /^[\p{L}\p{N}_-]{1,32}$/u;

// Priority and tag phrases. Each is a run of optional literal words in a fixed order, then the
// value; the text they run on has single spaces (parseTaskDetails collapses it), so each space
// is a literal ' ' and no two parts can match the same text: the engine never backtracks over a
// choice (test/regex-safety.test.ts checks every pattern with recheck).
const PRIORITY_BEFORE =
  /(?:^|[ ,;])(?:and )?(?:(?:it'?s|its|it is|make it|mark it|set it|with|as|at|of) )?(?:(?:a|an) )?(high|higher|top|highest|low|lower|lowest|medium|normal|mid)(?: ?- ?| )prio(?:rity)?(?: (?:task|item|one))?(?=$|[ ,;.!?])/i;
const PRIORITY_AFTER =
  /(?:^|[ ,;])(?:and )?(?:with )?prio(?:rity)?(?: (?:is|of|level)| ?[:=])? (high|top|low|medium|normal|urgent)(?=$|[ ,;.!?])/i;
const PRIORITY_CODE = /(?:^|[ ,;])(?:priority )?p([123])(?=$|[ ,;.!?])/i;
const PRIORITY_ADJECTIVE =
  /(?:^|[ ,;])(?:(?:it'?s|its|it is|this is|very|super|really|and) ){0,2}(urgent|asap|important|critical)(?= ?(?:$|[,;.!?]))/i;
const URGENT_PREFIX = /^(urgent|important|asap) ?[:!-] ?/i;

const TAG_KEYWORD =
  /(?:^|[ ,;])(?:and )?(?:tagged(?: (?:with|as))?|with (?:the )?tags?|tags? ?:|labell?ed|label(?:s|ed)? ?:) /i;
const HASHTAG = /(^| )#([\p{L}\p{N}_-]{1,32})(?=$|[ ,;.!?])/gu;

// The connective words left in front of a date once the date is cut out ("… due by", "… on the").
const DATE_LEAD = new Set([
  'due',
  'date',
  'by',
  'on',
  'the',
  'at',
  'before',
  'for',
  'until',
  'till',
  'from',
  'starting',
  'this',
  'next',
  'deadline',
  'is',
  "it's",
  'its',
  'in',
]);
const LEAD_EDGE = new Set([' ', ',', ':', ';', '-']);

function dropDateLead(before: string): string {
  let t = trimPunct(before, LEAD_EDGE);
  for (let i = 0; i < 4; i++) {
    const at = t.lastIndexOf(' ');
    const last = t.slice(at + 1).toLowerCase();
    if (!DATE_LEAD.has(last)) break;
    t = trimPunct(t.slice(0, Math.max(at, 0)), LEAD_EDGE);
  }
  return t;
}
const END_PUNCT = new Set([',', ';', '.', '!', '?']);

const TITLE_LEAD = [
  'a task to',
  'a task called',
  'a task named',
  'a task for',
  'a task',
  'task to',
  'task called',
  'task',
  'a new task to',
  'a new task called',
  'a new task',
  'new task',
  'a todo to',
  'a todo',
  'todo',
  'a to-do to',
  'a to-do',
  'a reminder to',
  'a reminder for',
  'a reminder',
  'reminder to',
  'an item',
  'item',
  'something called',
  'to',
  'that i need to',
  'that i have to',
  'me to',
];
const TITLE_TAIL = [
  ...TRAILING_FILLERS,
  'to my list',
  'to the list',
  'to my todo list',
  'to my to-do list',
  'to my todos',
  'to my tasks',
  'to the todo list',
  'on my list',
  'on the list',
  'on my todo list',
  'to list',
  'to todo',
  'to my todo',
  'as a task',
  'as a todo',
  'as a new task',
  'to do',
  'and',
  'with',
  "it's",
  'its',
  'it is',
  'as',
  'due',
  'by',
  'on',
  'at',
];

/** What is left of "add a task": no title yet. */
const NO_TITLE = new Set([
  'a task',
  'task',
  'a new task',
  'new task',
  'a todo',
  'todo',
  'something',
  'a reminder',
  'reminder',
  'an item',
  'item',
  'it',
  'one',
  'a new one',
  'new',
]);

/** Replaces one match of `re` in `t` with a space and hands its groups to `take`. */
function cut(t: string, re: RegExp, take: (m: RegExpExecArray) => void): string {
  const m = re.exec(t);
  if (!m) return t;
  take(m);
  return `${t.slice(0, m.index)} ${t.slice(m.index + m[0].length)}`.replace(/ {2,}/g, ' ');
}

/** Reads a list of tags after "tagged": words separated by commas, "and", "&" or "/". */
function takeTagList(t: string, tags: string[]): string {
  const m = TAG_KEYWORD.exec(t);
  if (!m) return t;
  const rest = t.slice(m.index + m[0].length);
  const parts = rest.split(' ');
  let used = 0;
  let expectTag = true;
  for (const raw of parts) {
    const p = trimPunct(raw, END_PUNCT);
    const trailingComma = p !== raw;
    if (expectTag) {
      const word = p.replace(/^#/, '');
      if (!TAG_CHARS.test(word) || word.includes(QUOTE_MARK)) break;
      tags.push(word.toLowerCase());
      used++;
      expectTag = trailingComma;
      if (trailingComma && raw.endsWith('.')) break;
    } else if (p === 'and' || p === '&' || p === '/' || p === ',') {
      used++;
      expectTag = true;
    } else break;
  }
  if (!used) return t;
  return `${t.slice(0, m.index)} ${parts.slice(used).join(' ')}`.replace(/ {2,}/g, ' ');
}

function fixDateTypos(t: string): string {
  return t.replace(/[A-Za-z0-9]+/g, (w) => DATE_TYPOS[w.toLowerCase()] ?? w);
}

/** Parses the part of an "add" request after its verb. */
export function parseTaskDetails(phrase: string, quotes: readonly string[], clock: Clock): TaskDetails {
  const out: Omit<TaskDetails, 'title'> = {};
  const tags: string[] = [];
  let t = ` ${phrase
    .replace(/\s+/g, ' ')
    .trim()
    .replace(URGENT_PREFIX, () => {
      out.priority = 'high';
      return '';
    })} `;
  t = t.replace(HASHTAG, (_m, lead: string, tag: string) => {
    tags.push(tag.toLowerCase());
    return lead;
  });
  t = takeTagList(t.replace(/ {2,}/g, ' '), tags);
  for (const re of [PRIORITY_BEFORE, PRIORITY_AFTER]) {
    t = cut(t, re, (m) => {
      const word = (m[1] ?? '').toLowerCase();
      out.priority =
        word === 'higher' ? 'high' : word === 'lower' ? 'low' : (PRIORITY_WORD[word] ?? 'medium');
    });
  }
  if (!out.priority) {
    t = cut(t, PRIORITY_CODE, (m) => {
      out.priority = m[1] === '1' ? 'high' : m[1] === '2' ? 'medium' : 'low';
    });
  }
  if (!out.priority) t = cut(t, PRIORITY_ADJECTIVE, () => (out.priority = 'high'));
  const dated = fixDateTypos(t);
  const found = findDate(dated, clock);
  if (found) {
    out.dueAt = found.iso;
    const before = dropDateLead(dated.slice(0, found.index));
    t = `${before} ${dated.slice(found.index + found.text.length)}`;
  }
  let title = trimPunct(t.replace(/\s+/g, ' '));
  title = stripLeading(title, TITLE_LEAD, 2);
  title = stripTrailing(title, TITLE_TAIL, 4);
  const q = soleQuote(title);
  title = q !== undefined ? (quotes[q] ?? '') : trimPunct(restoreQuotes(title, quotes));
  if (q === undefined && NO_TITLE.has(title.toLowerCase())) title = '';
  if (tags.length) out.tags = [...new Set(tags)].slice(0, 10);
  return { title: title.slice(0, 200).trim(), ...out };
}
