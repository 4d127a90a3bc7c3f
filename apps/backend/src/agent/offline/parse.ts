import type { Clock } from './dates.js';
import { parseTaskDetails } from './details.js';
import { readEdit } from './edits.js';
import type { Intent } from './intent.js';
import {
  ADD_PREFIXES,
  ADD_VERBS,
  CLAUSE_STARTERS,
  correctFirstWord,
  LEADING_FILLERS,
  startsWithPhrase,
  TRAILING_FILLERS,
  yesOrNo,
} from './lexicon.js';
import { afterWords, spans, stripLeading, stripTrailing, trimPunct } from './phrase.js';
import { readList, readQuestion } from './queries.js';
import { readTags } from './status.js';
import { normalize, restoreQuotes, words } from './text.js';

/**
 * The offline model's reading of a message: normalise it (text.ts), split a compound request
 * into clauses, and read each clause's intent: small talk, a question, an edit of existing tasks
 * (edits.ts), a list (queries.ts) or a new task (details.ts). At most MAX_CLAUSES clauses.
 */

export const MAX_CLAUSES = 3;

const GREETINGS =
  /^(?:hi|hello|hey|hiya|howdy|yo|heya|good (?:morning|afternoon|evening)|hi there|hello there|hey there)$/;
const THANKS =
  /^(?:thanks|thank you|thx|ty|cheers|great|perfect|cool|nice|awesome|ok thanks|okay thanks|thanks a lot|thank you so much|great thanks|perfect thanks|nice one|good job|well done|that's great|love it)$/;
const HELP =
  /^(?:help|what can you do|how does this work|what do you do|what are you|who are you|how do i use this|what can i say|commands|options|how do i .+|can i .+|is it possible to .+)$/;
const UNDO =
  /^(?:undo|undo that|undo it|undo this|undo the last (?:thing|change|action|step|one)|undo last|take that back|revert|revert that|revert it|oops undo|oops undo that|never mind undo that|cancel that|reverse that)$/;

const LONG_ADD_PREFIXES = ADD_PREFIXES.filter((p) => p.includes(' '));

/** Split points: "and", "then", "also", ",", ";" or a sentence end, when a new request follows. */
function splitClauses(text: string): string[] {
  const sp = spans(text);
  const ws = sp.map((s) => s.w);
  const cuts: number[] = [];
  for (let i = 1; i < sp.length; i++) {
    const s = sp[i] as { start: number };
    const between = text.slice((sp[i - 1] as { end: number }).end, s.start);
    const w = ws[i] as string;
    let next = i;
    if (w === 'and' || w === 'then' || w === 'also' || w === 'plus') {
      next = i + 1;
      if (ws[next] === 'then' || ws[next] === 'also') next++;
    } else if (!/[,;.!?]/.test(between)) continue;
    if (next >= sp.length) continue;
    if (startsWithPhrase(ws, CLAUSE_STARTERS, next) || startsWithPhrase(ws, LONG_ADD_PREFIXES, next)) {
      // "make it …" only after a request, never "make" inside a title ("add make dinner")
      if (ws[next] === 'make' && !['it', 'that', 'this', 'them'].includes(ws[next + 1] ?? '')) continue;
      cuts.push(i);
    }
    if (cuts.length >= MAX_CLAUSES - 1) break;
  }
  const out: string[] = [];
  let from = 0;
  for (const c of cuts) {
    out.push(trimPunct(text.slice(from, (sp[c] as { start: number }).start)));
    from = (sp[c] as { start: number }).start;
  }
  out.push(trimPunct(text.slice(from)));
  return out.filter(Boolean);
}

/** One clause → one intent. */
export function parseClause(raw: string, quotes: readonly string[], clock: Clock): Intent {
  let text = stripTrailing(stripLeading(raw, LEADING_FILLERS), TRAILING_FILLERS);
  text = text.replace(/^(?:and|then|also|plus)\s+/i, '');
  let ws = words(text);
  if (ws.length === 0) {
    return /[?]/.test(raw) ? { kind: 'help' } : { kind: 'unknown', text: raw };
  }
  const fixed = correctFirstWord(ws[0] as string);
  if (fixed !== ws[0]) {
    text = `${fixed} ${afterWords(text, 1)}`.trim();
    ws = words(text);
  }
  const joined = ws.join(' ');
  if (GREETINGS.test(joined)) return { kind: 'greet' };
  if (THANKS.test(joined)) return { kind: 'thanks' };
  if (UNDO.test(joined)) return { kind: 'undo' };
  const yn = yesOrNo(ws);
  if (yn !== undefined) return { kind: yn ? 'yes' : 'no' };
  if (HELP.test(joined)) return { kind: 'help' };

  // "put X back" reopens; "URGENT: call the bank" adds an urgent task
  if (ws[0] === 'put' && ws[ws.length - 1] === 'back') {
    const edit = readEdit(text, quotes, clock);
    if (edit) return edit;
  }
  if (/^(?:urgent|important|asap)\s*[:!-]/i.test(text))
    return { kind: 'add', ...parseTaskDetails(text, quotes, clock) };
  // New tasks first: "remind me to …", "add …" (but "add the tag x to …" is an edit).
  const prefix = startsWithPhrase(ws, ADD_PREFIXES);
  if (prefix) {
    let rest = afterWords(text, prefix);
    const verb = startsWithPhrase(words(rest), ADD_VERBS);
    if (verb) rest = afterWords(rest, verb);
    return { kind: 'add', ...parseTaskDetails(rest, quotes, clock) };
  }
  const verb = startsWithPhrase(ws, ADD_VERBS);
  if (verb) {
    const edit = ws[0] === 'add' ? readTags(text, ws, quotes) : undefined;
    if (edit) return edit;
    return { kind: 'add', ...parseTaskDetails(afterWords(text, verb), quotes, clock) };
  }
  const question = readQuestion(text, quotes);
  if (question) return question;
  const edit = readEdit(text, quotes, clock);
  if (edit) return edit;
  const list = readList(text, quotes);
  if (list) return list;
  return { kind: 'unknown', text: restoreQuotes(text, quotes), question: /\?\s*$/.test(raw) };
}

/** Words that make no request on their own ("oops, undo" is an undo). */
const FILLER_ONLY = new Set([
  'oops',
  'ok',
  'okay',
  'so',
  'well',
  'hmm',
  'actually',
  'wait',
  'sorry',
  'please',
  'and',
  'oh',
  'um',
  'uh',
]);

/** A message → its intents, in order (one for most messages; a compound request gives more). */
export function parseMessage(input: string, clock: Clock): Intent[] {
  const { text, quotes } = normalize(input);
  const clauses = splitClauses(text);
  const meaningful = clauses.filter((c) => !words(c).every((w) => FILLER_ONLY.has(w)));
  if (clauses.length === 0) return [{ kind: 'help' }];
  const asked = /\?\s*$/.test(text);
  return (meaningful.length ? meaningful : clauses).map((clause) => {
    const intent = parseClause(clause, quotes, clock);
    return intent.kind === 'unknown' && asked ? { ...intent, question: true } : intent;
  });
}

/** The first intent of a message (what most messages have). */
export function parseIntent(input: string, clock: Clock): Intent {
  return parseMessage(input, clock)[0] ?? { kind: 'unknown', text: input };
}
