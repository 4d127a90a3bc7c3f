import type { Priority } from '@todo/contracts';
import { type Clock, findDate } from './dates.js';
import type { Intent } from './intent.js';
import { DATE_TYPOS, PRIORITY_WORD } from './lexicon.js';
import { findLastSeq, findSeq, spans, trimPunct } from './phrase.js';
import { readStatus, readTags, ref } from './status.js';
import { restoreQuotes, soleQuote, words } from './text.js';

/** Requests that change existing tasks: rename, priority, due date (and, from status.ts, the rest). */

function level(w: string | undefined): Priority | undefined {
  if (!w) return undefined;
  if (w === 'higher') return 'high';
  if (w === 'lower') return 'low';
  return PRIORITY_WORD[w];
}

function readPriority(text: string, ws: string[], quotes: readonly string[]): Intent | undefined {
  const first = ws[0] ?? '';
  if (['prioritize', 'prioritise', 'bump', 'raise', 'escalate', 'upgrade'].includes(first) && ws.length > 1) {
    const at = findSeq(ws, ['priority', 'of']);
    return { kind: 'priority', ref: ref(text, at >= 0 ? at + 2 : 1, undefined, quotes), priority: 'high' };
  }
  if (
    ['deprioritize', 'deprioritise', 'de-prioritize', 'lower', 'downgrade'].includes(first) &&
    ws.length > 1
  ) {
    const at = findSeq(ws, ['priority', 'of']);
    return { kind: 'priority', ref: ref(text, at >= 0 ? at + 2 : 1, undefined, quotes), priority: 'low' };
  }
  const verbs = ['set', 'change', 'update', 'make', 'mark', 'flag', 'put', 'give', 'switch', 'move'];
  const lastWord = ws[ws.length - 1];
  const pIdx = ws.lastIndexOf('priority');
  // "set the priority of X to high", "change X's priority to low", "make X high priority", "mark 2 as urgent"
  if (verbs.includes(first)) {
    let lv = level(lastWord);
    let end = ws.length - 1;
    if (!lv && (lastWord === 'priority' || lastWord === 'prio')) {
      lv = level(ws[ws.length - 2]);
      end = ws.length - 2;
    }
    if (!lv) return undefined;
    if (ws[end - 1] === '-') end--;
    let from = 1;
    const of =
      findSeq(ws, ['priority', 'of']) >= 0
        ? findSeq(ws, ['priority', 'of'])
        : findSeq(ws, ['priority', 'for']);
    if (of >= 0 && of < end) from = of + 2;
    let to = end;
    while (to > from && ['to', 'as', 'at', 'a', 'an', 'be', 'is', 'priority'].includes(ws[to - 1] ?? ''))
      to--;
    // "X's priority"
    if (pIdx > from && pIdx < end && (ws[pIdx - 1] ?? '').endsWith("'s")) to = Math.min(to, pIdx);
    if (to <= from) return undefined;
    if (
      !(
        lastWord === 'priority' ||
        lastWord === 'prio' ||
        of >= 0 ||
        pIdx >= 0 ||
        ['urgent', 'important', 'critical'].includes(lastWord ?? '') ||
        first === 'make' ||
        first === 'mark' ||
        first === 'set' ||
        first === 'flag' ||
        first === 'change'
      )
    )
      return undefined;
    return { kind: 'priority', ref: ref(text, from, to, quotes), priority: lv };
  }
  // "X is high priority", "X is urgent"
  const is = ws.indexOf('is');
  if (is > 0 && (lastWord === 'priority' || ['urgent', 'important', 'critical'].includes(lastWord ?? ''))) {
    const lv = lastWord === 'priority' ? level(ws[ws.length - 2]) : 'high';
    if (lv) return { kind: 'priority', ref: ref(text, 0, is, quotes), priority: lv };
  }
  return undefined;
}

const AMOUNT: Record<string, number> = { a: 1, an: 1, one: 1, two: 2, three: 3, four: 4, five: 5, couple: 2 };
const UNIT_DAYS: Record<string, number> = { day: 1, days: 1, week: 7, weeks: 7, month: 30, months: 30 };

/** "push X back a week", "delay X by 2 days", "move X forward a day": relative to its due date. */
function readShift(text: string, ws: string[], quotes: readonly string[]): Intent | undefined {
  const first = ws[0] ?? '';
  if (!['push', 'move', 'delay', 'postpone', 'bump', 'shift', 'defer', 'bring'].includes(first))
    return undefined;
  const n = ws.length;
  const unit = UNIT_DAYS[ws[n - 1] ?? ''];
  if (!unit) return undefined;
  let i = n - 2;
  const amountWord = ws[i] ?? '';
  const amount = /^\d{1,3}$/.test(amountWord) ? Number(amountWord) : AMOUNT[amountWord];
  if (!amount) return undefined;
  if (ws[i - 1] === 'of' && ws[i - 2] === 'couple') i -= 2; // "a couple of days"
  if (ws[i - 1] === 'a' && amountWord === 'couple') i--;
  const dir = ws[i - 1] ?? '';
  if (!['back', 'forward', 'by', 'out', 'ahead', 'earlier', 'later'].includes(dir)) return undefined;
  const sign =
    (dir === 'forward' || dir === 'earlier' || dir === 'ahead') && first === 'bring'
      ? -1
      : dir === 'earlier'
        ? -1
        : 1;
  if (i - 1 <= 1) return undefined;
  return { kind: 'due', ref: ref(text, 1, i - 1, quotes), dueAt: null, shiftDays: sign * amount * unit };
}

function readDue(text: string, ws: string[], quotes: readonly string[], clock: Clock): Intent | undefined {
  const first = ws[0] ?? '';
  // removing a due date
  if (['remove', 'clear', 'drop', 'delete', 'unset', 'erase'].includes(first)) {
    for (const what of [['due', 'date'], ['deadline'], ['date']]) {
      const at = findSeq(ws, what);
      if (at >= 1 && at <= 2) {
        const after = at + what.length;
        if (['of', 'from', 'on', 'for'].includes(ws[after] ?? ''))
          return { kind: 'due', ref: ref(text, after + 1, undefined, quotes), dueAt: null };
      }
      // "remove X's due date"
      const possessive = findLastSeq(ws, what);
      if (
        possessive > 1 &&
        possessive + what.length === ws.length &&
        (ws[possessive - 1] ?? '').endsWith("'s")
      ) {
        return { kind: 'due', ref: ref(text, 1, possessive, quotes), dueAt: null };
      }
    }
    return undefined;
  }
  if (
    [
      'what',
      "what's",
      'whats',
      'which',
      'when',
      "when's",
      'is',
      'are',
      'do',
      'does',
      'anything',
      'any',
      'show',
      'list',
    ].includes(first)
  )
    return undefined;
  const shift = readShift(text, ws, quotes);
  if (shift) return shift;
  const movers = [
    'move',
    'reschedule',
    'push',
    'postpone',
    'delay',
    'defer',
    'shift',
    'set',
    'change',
    'update',
    'make',
    'bring',
    'bump',
    'put',
  ];
  const isDue = ws.indexOf('due');
  if (!movers.includes(first) && isDue < 1) return undefined;
  const fixed = text.replace(/[A-Za-z0-9]+/g, (w) => DATE_TYPOS[w.toLowerCase()] ?? w);
  const found = findDate(fixed, clock);
  if (!found) return undefined;
  // the date must close the request: "move X to friday"
  if (words(fixed.slice(found.index + found.text.length)).length > 1) return undefined;
  const sp = spans(fixed);
  let end = sp.findIndex((s) => s.start >= found.index);
  if (end < 0) end = sp.length;
  let from = movers.includes(first) ? 1 : 0;
  while (
    end > from &&
    [
      'to',
      'until',
      'till',
      'for',
      'on',
      'by',
      'due',
      'at',
      'be',
      'is',
      'date',
      'deadline',
      'back',
      'out',
      'in',
    ].includes(ws[end - 1] ?? '')
  )
    end--;
  for (const lead of [
    ['the', 'due', 'date', 'of'],
    ['the', 'due', 'date', 'for'],
    ['due', 'date', 'of'],
    ['due', 'date', 'for'],
    ['the', 'deadline', 'of'],
    ['the', 'deadline', 'for'],
    ['deadline', 'for'],
    ['the', 'date', 'of'],
  ]) {
    if (findSeq(ws, lead) === from) {
      from += lead.length;
      break;
    }
  }
  // "set X's due date to …"
  const dd = findSeq(ws, ['due', 'date']);
  if (dd > from && dd < end && (ws[dd - 1] ?? '').endsWith("'s")) end = dd;
  if (end <= from) return undefined;
  if (!movers.includes(first) && !(ws[end] === 'is' || ws[end] === 'due' || ws[end + 1] === 'due'))
    return undefined;
  return { kind: 'due', ref: ref(text, from, end, quotes), dueAt: found.iso };
}

function readRename(text: string, ws: string[], quotes: readonly string[], clock: Clock): Intent | undefined {
  const first = ws[0] ?? '';
  let from = 0;
  if (['rename', 'retitle', 'retitled'].includes(first)) from = 1;
  else {
    for (const lead of [
      ['change', 'the', 'title', 'of'],
      ['change', 'the', 'name', 'of'],
      ['change', 'title', 'of'],
      ['edit', 'the', 'title', 'of'],
      ['update', 'the', 'title', 'of'],
      ['change', 'the', 'wording', 'of'],
      ['change'],
      ['edit'],
      ['update'],
      ['reword'],
      ['call'],
    ]) {
      if (findSeq(ws, lead) === 0) {
        from = lead.length;
        break;
      }
    }
  }
  if (!from) return undefined;
  const sp = spans(text);
  let at = -1;
  for (const link of ['to', 'into', 'as']) {
    const i = ws.indexOf(link, from + 1);
    if (i > from && (at < 0 || i < at)) at = i;
  }
  if (at < 0) return undefined;
  const after = sp[at];
  if (!after) return undefined;
  let title = trimPunct(text.slice(after.end));
  // "change X to friday" / "to high priority" are not renames
  if (first !== 'rename' && first !== 'retitle') {
    if (findDate(title, clock) && words(title).length <= 4) return undefined;
    if (PRIORITY_WORD[words(title)[0] ?? ''] && words(title).length <= 2) return undefined;
    if (first === 'call' && soleQuote(title) === undefined) return undefined;
  }
  let end = at;
  // "rename the task called X to Y", "change the title of X to Y"; "X's title"
  if ((ws[end - 1] === 'title' || ws[end - 1] === 'name') && (ws[end - 2] ?? '').endsWith("'s")) end--;
  const q = soleQuote(title);
  title = q !== undefined ? (quotes[q] ?? '') : restoreQuotes(title, quotes);
  if (!title) return undefined;
  return { kind: 'rename', ref: ref(text, from, end, quotes), title: title.slice(0, 200) };
}

/** One of the requests above, or undefined. */
export function readEdit(text: string, quotes: readonly string[], clock: Clock): Intent | undefined {
  const ws = words(text);
  return (
    readTags(text, ws, quotes) ??
    readDue(text, ws, quotes, clock) ??
    readPriority(text, ws, quotes) ??
    readRename(text, ws, quotes, clock) ??
    readStatus(text, ws, quotes)
  );
}
