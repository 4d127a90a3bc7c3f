import { words } from './text.js';

/** Word-level helpers over a text that keep its original spelling and casing. */

export interface WordSpan {
  w: string;
  start: number;
  end: number;
}

const WORD = /[\p{L}\p{N}\uE000]+(?:['-][\p{L}\p{N}]+)*/gu;

export function spans(text: string): WordSpan[] {
  const out: WordSpan[] = [];
  for (const m of text.matchAll(WORD))
    out.push({ w: m[0].toLowerCase(), start: m.index, end: m.index + m[0].length });
  return out;
}

const EDGE = new Set([' ', '\t', '\n', ',', ';', ':', '.', '!', '?', '-', '–', '—']);

/**
 * Trims spaces and punctuation from both ends ("buy milk!!!" → "buy milk", ": call mom," → "call
 * mom"). A loop, not `/[…]+$/`: that pattern retries from every position of a long run of
 * punctuation in the middle of a text (quadratic).
 */
export function trimPunct(s: string, edge: ReadonlySet<string> = EDGE): string {
  let a = 0;
  let b = s.length;
  while (a < b && edge.has(s[a] as string)) a++;
  while (b > a && edge.has(s[b - 1] as string)) b--;
  return s.slice(a, b);
}

/** The text after its first `n` words. */
export function afterWords(text: string, n: number): string {
  if (n <= 0) return text;
  const s = spans(text);
  const last = s[n - 1];
  return last ? trimPunct(text.slice(last.end)) : '';
}

/** The text before its last `n` words. */
export function beforeLastWords(text: string, n: number): string {
  if (n <= 0) return text;
  const s = spans(text);
  const first = s[s.length - n];
  return first ? trimPunct(text.slice(0, first.start)) : '';
}

/** How many words the longest of `phrases` has among those `matches` accepts (0: none). */
function longestMatch(phrases: readonly string[], matches: (phraseWords: string[]) => boolean): number {
  let k = 0;
  for (const p of phrases) {
    const pw = p.split(' ');
    if (pw.length > k && matches(pw)) k = pw.length;
  }
  return k;
}

/**
 * Removes words from one end of `text` up to `rounds` times: `wordsToStrip` says how many of the
 * text's words to remove (0: stop), `cut` removes them.
 */
function stripRepeatedly(
  text: string,
  rounds: number,
  wordsToStrip: (ws: string[]) => number,
  cut: (text: string, n: number) => string,
): string {
  let t = trimPunct(text);
  for (let i = 0; i < rounds; i++) {
    const k = wordsToStrip(words(t));
    if (!k) break;
    t = cut(t, k);
  }
  return t;
}

/** Removes the longest of `phrases` from the start, repeatedly (fillers come in runs: "ok so please"). */
export function stripLeading(text: string, phrases: readonly string[], rounds = 4): string {
  return stripRepeatedly(
    text,
    rounds,
    (ws) => {
      const k = longestMatch(
        phrases,
        (pw) => pw.length <= ws.length && pw.every((w, j) => ws[j] === w.replace(/:$/, '')),
      );
      return k === ws.length ? 0 : k; // a text that is all filler stays as it is
    },
    afterWords,
  );
}

/** Removes the longest of `phrases` from the end, repeatedly. */
export function stripTrailing(text: string, phrases: readonly string[], rounds = 3): string {
  return stripRepeatedly(
    text,
    rounds,
    (ws) =>
      longestMatch(
        phrases,
        (pw) => pw.length < ws.length && pw.every((w, j) => ws[ws.length - pw.length + j] === w),
      ),
    beforeLastWords,
  );
}

/** Index of the first occurrence of the word sequence `seq` in `ws` at or after `from`, or -1. */
export function findSeq(ws: readonly string[], seq: readonly string[], from = 0): number {
  outer: for (let i = from; i + seq.length <= ws.length; i++) {
    for (let j = 0; j < seq.length; j++) if (ws[i + j] !== seq[j]) continue outer;
    return i;
  }
  return -1;
}

/** Index of the last occurrence of `seq` in `ws`, or -1. */
export function findLastSeq(ws: readonly string[], seq: readonly string[]): number {
  for (let i = ws.length - seq.length; i >= 0; i--) {
    let ok = true;
    for (let j = 0; j < seq.length && ok; j++) ok = ws[i + j] === seq[j];
    if (ok) return i;
  }
  return -1;
}

/** The text of words [from, to) of `text` (original spelling). */
export function sliceWords(text: string, from: number, to?: number): string {
  const s = spans(text);
  const a = s[from];
  if (!a) return '';
  const b = s[(to ?? s.length) - 1];
  if (!b || b.end < a.start) return '';
  return text.slice(a.start, b.end);
}
