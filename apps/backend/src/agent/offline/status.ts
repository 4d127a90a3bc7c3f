import type { Intent } from './intent.js';
import { COMPLETE_VERBS, DELETE_VERBS, REOPEN_VERBS, startsWithPhrase } from './lexicon.js';
import { findLastSeq, findSeq, sliceWords, spans } from './phrase.js';
import { parseRef } from './refs.js';
import { words } from './text.js';

/** Requests about a task's state or existence (complete, reopen, delete) and its tags. */

const NOT_DONE = [
  'not done',
  'undone',
  'open',
  'incomplete',
  'unfinished',
  'not complete',
  'not completed',
  'uncompleted',
  'pending',
  'todo',
  'to do',
  'not finished',
  'active',
  'unchecked',
];
const DONE = [
  'done',
  'complete',
  'completed',
  'finished',
  'checked',
  'checked off',
  'ticked off',
  'ticked',
  'resolved',
  'closed',
];

/** Whether `ws` ends with one of `phrases`; how many words it takes. */
export function endsWith(ws: readonly string[], phrases: readonly string[]): number {
  let best = 0;
  for (const p of phrases) {
    const pw = p.split(' ');
    if (pw.length > best && pw.length < ws.length && pw.every((w, i) => ws[ws.length - pw.length + i] === w))
      best = pw.length;
  }
  return best;
}

export const ref = (text: string, from: number, to: number | undefined, quotes: readonly string[]) =>
  parseRef(sliceWords(text, from, to), quotes);

export function readTags(text: string, ws: string[], quotes: readonly string[]): Intent | undefined {
  const first = ws[0] ?? '';
  const tagWord = (w: string | undefined) => (w ?? '').replace(/^#/, '');
  // "tag X with Y", "tag X as Y"
  if (first === 'tag' || first === 'label') {
    const at = Math.max(findLastSeq(ws, ['with']), findLastSeq(ws, ['as']));
    if (at > 1 && at === ws.length - 2)
      return { kind: 'tag', ref: ref(text, 1, at, quotes), add: [tagWord(ws[at + 1])], remove: [] };
  }
  if (first === 'untag' && ws.length > 1)
    return { kind: 'tag', ref: ref(text, 1, undefined, quotes), add: [], remove: ['*'] };
  // "add (the) tag Y to X", "add #y to X", "remove the tag Y from X", "remove #y from X"
  const hash = spans(text).length > 1 ? /(?:^|\s)#([\p{L}\p{N}_-]{1,32})\s/u.exec(text) : null;
  if (first === 'add' || first === 'remove' || first === 'delete') {
    const t = findSeq(ws, ['tag']) >= 0 ? findSeq(ws, ['tag']) : findSeq(ws, ['label']);
    const link = first === 'add' ? findSeq(ws, ['to']) : findSeq(ws, ['from']);
    let name: string | undefined;
    if (t >= 1 && t <= 2 && link === t + 2) name = ws[t + 1];
    else if (t >= 1 && link === t + 1 && t >= 2)
      name = ws[t - 1]; // "add the work tag to X"
    else if (hash && link >= 2 && words(text)[1] === tagWord(hash[1]?.toLowerCase())) name = hash[1];
    if (name && link > 0 && link < ws.length - 1) {
      const target = ref(text, link + 1, undefined, quotes);
      return first === 'add'
        ? { kind: 'tag', ref: target, add: [tagWord(name).toLowerCase()], remove: [] }
        : { kind: 'tag', ref: target, add: [], remove: [tagWord(name).toLowerCase()] };
    }
  }
  return undefined;
}

export function readStatus(text: string, ws: string[], quotes: readonly string[]): Intent | undefined {
  const first = ws[0] ?? '';
  // "mark X as done" / "mark X as not done" / "mark X done"
  if (first === 'mark' || first === 'set' || first === 'flag') {
    const nd = endsWith(ws, NOT_DONE);
    if (nd)
      return { kind: 'complete', ref: ref(text, 1, trimAs(ws, ws.length - nd), quotes), completed: false };
    const d = endsWith(ws, DONE);
    if (d) return { kind: 'complete', ref: ref(text, 1, trimAs(ws, ws.length - d), quotes), completed: true };
  }
  // "take X off my list"
  if (first === 'take' && ws.indexOf('off') > 1)
    return { kind: 'delete', ref: ref(text, 1, ws.indexOf('off'), quotes) };
  // "put X back", "X is not done", "X isn't done yet"
  if (first === 'put' && ws[ws.length - 1] === 'back')
    return { kind: 'complete', ref: ref(text, 1, ws.length - 1, quotes), completed: false };
  const notDone =
    findLastSeq(ws, ['is', 'not', 'done']) >= 0
      ? findLastSeq(ws, ['is', 'not', 'done'])
      : findLastSeq(ws, ["isn't", 'done']);
  if (notDone > 0 && notDone + (ws[notDone] === 'is' ? 3 : 2) >= ws.length - 1)
    return { kind: 'complete', ref: ref(text, 0, notDone, quotes), completed: false };
  let k = startsWithPhrase(ws, REOPEN_VERBS);
  if (k && ws.length > k) return { kind: 'complete', ref: ref(text, k, undefined, quotes), completed: false };
  k = startsWithPhrase(ws, COMPLETE_VERBS);
  if (k && ws.length > k) {
    let end = ws.length;
    if (['off', 'out'].includes(ws[end - 1] ?? '')) end--;
    const asDone = endsWith(ws.slice(0, end), [
      'as done',
      'as complete',
      'as completed',
      'as finished',
      'now',
    ]);
    end -= asDone;
    if (end > k) return { kind: 'complete', ref: ref(text, k, end, quotes), completed: true };
  }
  // "tick X off", "check X off", "cross X off"
  if (['tick', 'check', 'cross'].includes(first) && ws[ws.length - 1] === 'off' && ws.length > 2) {
    return { kind: 'complete', ref: ref(text, 1, ws.length - 1, quotes), completed: true };
  }
  // "X is done", "X done", "finished X" handled above; "X is finished now"
  let tail = endsWith(
    ws,
    DONE.map((d) => `is ${d}`).concat(
      DONE.map((d) => `are ${d}`),
      DONE.map((d) => `is ${d} now`),
      DONE.map((d) => `is now ${d}`),
      ['done', 'is done now', 'all done', 'is all done'],
    ),
  );
  if (tail && ws.length > tail)
    return { kind: 'complete', ref: ref(text, 0, ws.length - tail, quotes), completed: true };
  k = startsWithPhrase(ws, DELETE_VERBS);
  if (k && ws.length > k && !(ws[k] === 'the' && ws[k + 1] === 'due')) {
    tail = endsWith(ws, [
      'from my list',
      'from the list',
      'off my list',
      'from my tasks',
      'from my todo list',
      'from the todo list',
      'from my to-do list',
      'off the list',
      'too',
      'as well',
      'out',
    ]);
    return { kind: 'delete', ref: ref(text, k, ws.length - tail, quotes) };
  }
  return undefined;
}

const trimAs = (ws: string[], end: number) => (ws[end - 1] === 'as' || ws[end - 1] === 'to' ? end - 1 : end);
