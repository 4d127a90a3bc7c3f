/**
 * The first stage of the offline model's language pipeline: one normal form for a message.
 * Everything here is a single linear pass (character loops, or regular expressions without
 * nested or overlapping quantifiers), and the text each later stage sees is bounded.
 */

/** The parser reads at most this many characters of a message (titles are at most 200). */
export const MAX_PARSE_CHARS = 1000;

/** Quoted spans are replaced by this character followed by the quote's index (a private-use code point). */
export const QUOTE_MARK = '\uE000';

export interface Normalized {
  /** The message with quotes replaced by placeholders, single-spaced, bounded. */
  text: string;
  /** Quoted spans, verbatim (without the quote characters). */
  quotes: string[];
}

const OPENING: Record<string, string> = {
  '"': '"',
  '“': '”',
  '„': '“',
  '«': '»',
  "'": "'",
  '‘': '’',
  '`': '`',
};

const isWordChar = (c: string | undefined) => c !== undefined && /[\p{L}\p{N}]/u.test(c);

/**
 * NFKC, control characters to spaces, quotes out of the way (`add "read Monday" tomorrow` keeps
 * "read Monday" as a title and never looks for a date in it), whitespace collapsed.
 */
export function normalize(input: string): Normalized {
  const src = input.slice(0, MAX_PARSE_CHARS).normalize('NFKC');
  const quotes: string[] = [];
  let out = '';
  let i = 0;
  while (i < src.length) {
    const c = src[i] as string;
    const close = OPENING[c];
    // An apostrophe inside a word (don't, report's) is not a quote.
    const apostrophe = (c === "'" || c === '’' || c === '‘') && isWordChar(src[i - 1]);
    if (close && !apostrophe && quotes.length < 9) {
      const single = c === "'" || c === '‘';
      // A single quote closes only before a non-word character (so "it's" inside stays).
      let end = src.indexOf(close, i + 1);
      while (single && end > 0 && isWordChar(src[end + 1])) end = src.indexOf(close, end + 1);
      const ok = end > i + 1;
      if (ok) {
        const inner = src.slice(i + 1, end).trim();
        if (inner) {
          out += ` ${QUOTE_MARK}${quotes.length} `;
          quotes.push(inner.replace(/\s+/g, ' '));
          i = end + 1;
          continue;
        }
      }
    }
    const code = c.charCodeAt(0);
    if (code < 32 || code === 127) out += ' ';
    else if (c === '’' || c === '‘') out += "'";
    else if (c === '“' || c === '”') out += '"';
    else if (c === '–' || c === '—') out += ' - ';
    else out += c;
    i++;
  }
  return { text: out.replace(/\s+/g, ' ').trim(), quotes };
}

/** Puts quoted spans back in place of their placeholders. */
export function restoreQuotes(text: string, quotes: readonly string[]): string {
  if (!text.includes(QUOTE_MARK)) return text;
  let out = '';
  for (let i = 0; i < text.length; i++) {
    if (text[i] === QUOTE_MARK) {
      const n = Number(text[i + 1]);
      out += quotes[n] ?? '';
      i++;
    } else out += text[i];
  }
  return out;
}

/** Whether `text` is exactly one quote placeholder, and which. */
export function soleQuote(text: string): number | undefined {
  const t = text.trim();
  return t.length === 2 && t[0] === QUOTE_MARK ? Number(t[1]) : undefined;
}

/** Lower-case words of a text: letters, digits and inner apostrophes/hyphens; punctuation dropped. */
export function words(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}\p{N}\uE000]+(?:['-][\p{L}\p{N}]+)*/gu) ?? [];
}

/** Edit distance with adjacent transpositions, for short words only (verbs with typos). */
export function editDistance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 2 || a.length > 20 || b.length > 20) return 99;
  const d: number[][] = [];
  for (let i = 0; i <= a.length; i++) d.push([i]);
  for (let j = 1; j <= b.length; j++) (d[0] as number[])[j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      const row = d[i] as number[];
      const prev = d[i - 1] as number[];
      let v = Math.min((prev[j] as number) + 1, (row[j - 1] as number) + 1, (prev[j - 1] as number) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        v = Math.min(v, ((d[i - 2] as number[])[j - 2] as number) + 1);
      }
      row[j] = v;
    }
  }
  return (d[a.length] as number[])[b.length] as number;
}

/** Title comparison form: lower case, accents and punctuation gone, single spaces. */
export const foldTitle = (s: string) =>
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

/** Similarity of a reference to a title, 0..1: exact 1, whole-word containment 0.9, else bigram overlap. */
export function titleScore(ref: string, title: string): number {
  const r = foldTitle(ref);
  const t = foldTitle(title);
  if (!r || !t) return 0;
  if (r === t) return 1;
  if (` ${t} `.includes(` ${r} `) || ` ${r} `.includes(` ${t} `)) return 0.9;
  return dice(r.slice(0, 200), t.slice(0, 200));
}
