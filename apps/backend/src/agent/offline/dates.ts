import * as chrono from 'chrono-node';
import { trimPunct } from './phrase.js';

/**
 * Dates and times for the offline model, read by chrono-node relative to the user's clock and
 * time zone. A date without a time is due at noon in the user's time zone, so it shows as the
 * same day everywhere near it; a time ("at 9am", "in 2 hours") is kept exactly.
 */

export interface Clock {
  now: Date;
  /** An IANA time zone name; UTC when the client did not say. */
  timeZone: string;
}

/**
 * chrono-node is not linear on every input (a run of "\tthe week" doubles its time every ~20
 * characters; runs of "the week" grow quadratically), so it only ever sees short windows: up to
 * MAX_WINDOWS spans of at most WINDOW_CHARS characters around words that can be part of a date,
 * with every whitespace character turned into a space.
 */
const WINDOW_CHARS = 80;
const MAX_WINDOWS = 3;
// Words that carry a date or time themselves; the window takes in the few words before them
// ("in", "at", "next", "on the"), so prepositions and number words need not be hints.
const DATE_HINT =
  /^(?:\d.*|today|tonight|tomorrow|yesterday|noon|midnight|morning|afternoon|evening|night|day|days|week|weeks|weekend|month|months|year|years|hours?|minutes?|mins?|hrs?|am|pm|(?:mon|tue|tues|wed|wednes|thu|thur|thurs|fri|sat|satur|sun)(?:day)?s?|jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t|tember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?|eod|eow|christmas|o'clock)$/i;

const HINT_EDGE = new Set(['.', ':']);

/** Short spans of `text` that may hold a date, in order, as [start, end) offsets. */
function dateWindows(text: string): [number, number][] {
  const windows: [number, number][] = [];
  const re = /[^\s,;!?]+/g;
  for (const m of text.matchAll(re)) {
    if (!DATE_HINT.test(trimPunct(m[0].slice(0, 20), HINT_EDGE))) continue;
    const hintStart = m.index;
    const last = windows[windows.length - 1];
    if (last && hintStart < last[1]) continue;
    // a few words before the hint ("the day after", "on the 3rd"), the rest after it
    let start = Math.max(0, hintStart - 24);
    const space = text.indexOf(' ', start);
    if (start > 0 && space >= 0 && space < hintStart) start = space + 1;
    let end = Math.min(text.length, start + WINDOW_CHARS);
    const cut = text.lastIndexOf(' ', end);
    if (end < text.length && cut > hintStart) end = cut;
    windows.push([start, end]);
    if (windows.length >= MAX_WINDOWS) break;
  }
  return windows;
}

const offsetFormats = new Map<string, Intl.DateTimeFormat>();

/** Whether `tz` is a time zone this runtime knows. */
export function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

const offsets = new Map<string, number>();

/** Minutes east of UTC of `timeZone` at `at` (cached per quarter hour: Intl is slow). */
export function offsetMinutes(timeZone: string, at: Date): number {
  if (timeZone === 'UTC') return 0;
  const key = `${timeZone} ${Math.floor(at.getTime() / 900_000)}`;
  const hit = offsets.get(key);
  if (hit !== undefined) return hit;
  if (offsets.size > 10_000) offsets.clear();
  const minutes = computeOffset(timeZone, at);
  offsets.set(key, minutes);
  return minutes;
}

function computeOffset(timeZone: string, at: Date): number {
  let f = offsetFormats.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' });
    offsetFormats.set(timeZone, f);
  }
  const name = f.formatToParts(at).find((p) => p.type === 'timeZoneName')?.value ?? 'GMT';
  const m = /^GMT([+-])(\d\d):(\d\d)$/.exec(name);
  if (!m) return 0;
  return (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3]));
}

/** Noon of a calendar day in the user's time zone, as an instant. */
export function noonOn(year: number, month: number, day: number, clock: Clock): Date {
  const guess = new Date(Date.UTC(year, month - 1, day, 12));
  return new Date(guess.getTime() - offsetMinutes(clock.timeZone, guess) * 60_000);
}

/** The calendar day (y, m, d) of an instant in the user's time zone. */
export function localDay(
  at: Date,
  clock: Clock,
): { y: number; m: number; d: number; hh: number; mm: number } {
  const local = new Date(at.getTime() + offsetMinutes(clock.timeZone, at) * 60_000);
  return {
    y: local.getUTCFullYear(),
    m: local.getUTCMonth() + 1,
    d: local.getUTCDate(),
    hh: local.getUTCHours(),
    mm: local.getUTCMinutes(),
  };
}

/** Days from the user's today to `at`'s day (negative in the past). */
export function daysFromToday(at: Date, clock: Clock): number {
  const a = localDay(at, clock);
  const b = localDay(clock.now, clock);
  return Math.round((Date.UTC(a.y, a.m - 1, a.d) - Date.UTC(b.y, b.m - 1, b.d)) / 86_400_000);
}

/** One word that chrono reads as a date but people mostly mean otherwise ("sun cream", "march"). */
const NOT_A_DATE = new Set([
  'now',
  'mon',
  'tue',
  'tues',
  'wed',
  'thu',
  'thur',
  'thurs',
  'fri',
  'sat',
  'sun',
  'march',
  'mar',
  'may',
  'jun',
  'june',
  'jan',
  'aug',
  'sec',
  'morning',
  'afternoon',
  'evening',
  'night',
  'this morning',
  'this evening',
]);
const PART_OF_DAY = /morning|afternoon|evening|night|tonight/i;

export interface FoundDate {
  /** Where the phrase is in the text handed in. */
  index: number;
  text: string;
  /** ISO 8601 instant. */
  iso: string;
  hasTime: boolean;
}

/** The first date or time phrase in `text`, or undefined. */
export function findDate(text: string, clock: Clock): FoundDate | undefined {
  const spaced = text.slice(0, 4000).replace(/\s/g, ' ');
  for (const [from, to] of dateWindows(spaced)) {
    const found = findDateIn(spaced.slice(from, to), clock);
    if (found) return { ...found, index: found.index + from };
  }
  return undefined;
}

function findDateIn(bounded: string, clock: Clock): FoundDate | undefined {
  const results = chrono.parse(
    bounded,
    { instant: clock.now, timezone: offsetMinutes(clock.timeZone, clock.now) },
    { forwardDate: true },
  );
  for (const r of results) {
    const phrase = r.text.trim().toLowerCase();
    if (NOT_A_DATE.has(phrase)) continue;
    // "parents evening on 12/10": the part of day belongs to the title, the date follows it
    const lead = /^(?:morning|afternoon|evening|night)\s+/.exec(phrase);
    if (lead && !r.start.isCertain('day')) {
      const from = r.index + lead[0].length;
      const rest = findDateIn(bounded.slice(from), clock);
      if (rest) return { ...rest, index: rest.index + from };
      continue;
    }
    const s = r.start;
    const year = s.get('year');
    const month = s.get('month');
    const day = s.get('day');
    if (year === null || month === null || day === null) continue;
    let at: Date;
    let hasTime = s.isCertain('hour') || PART_OF_DAY.test(phrase);
    if (hasTime) {
      at = s.date();
      // "at 5" without am/pm: people mean the afternoon.
      const hour = s.get('hour') ?? 0;
      if (s.isCertain('hour') && !s.isCertain('meridiem') && hour >= 1 && hour <= 7) {
        at = new Date(at.getTime() + 12 * 3_600_000);
        // chrono moved "5" to tomorrow because 5am had passed; 5pm today has not
        if (at.getTime() - 86_400_000 > clock.now.getTime()) at = new Date(at.getTime() - 86_400_000);
      }
    } else {
      at = noonOn(year, month, day, clock);
    }
    if (Number.isNaN(at.getTime())) continue;
    if (at.getUTCFullYear() < 1970 || at.getUTCFullYear() > 9999) continue;
    if (hasTime && localDay(at, clock).hh === 12 && localDay(at, clock).mm === 0) hasTime = false;
    return { index: r.index, text: r.text, iso: at.toISOString(), hasTime };
  }
  return undefined;
}

/** A due date as people say it: today, tomorrow, Fri, Mon, Dec 7, with the time when it has one. */
export function formatDue(iso: string, clock: Clock): string {
  const at = new Date(iso);
  const diff = daysFromToday(at, clock);
  const local = localDay(at, clock);
  const calendar = new Date(Date.UTC(local.y, local.m - 1, local.d, 12));
  let day: string;
  if (diff === 0) day = 'today';
  else if (diff === 1) day = 'tomorrow';
  else if (diff === -1) day = 'yesterday';
  else {
    const label = calendar.toLocaleDateString('en-US', {
      weekday: 'short',
      month: 'short',
      day: 'numeric',
      timeZone: 'UTC',
    });
    day = diff > 1 && diff < 7 ? (label.split(',')[0] ?? label) : label;
  }
  if (local.hh === 12 && local.mm === 0) return day;
  const h = local.hh % 12 || 12;
  const time = `${h}${local.mm ? `:${String(local.mm).padStart(2, '0')}` : ''}${local.hh < 12 ? 'am' : 'pm'}`;
  return `${day} at ${time}`;
}
