const DAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];
const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/** Noon UTC of the day `days` after `now`'s UTC day: a day-only due date that reads right everywhere. */
function dayAt(now: Date, days: number): Date {
  const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + days, 12));
  return d;
}

export const DATE_PATTERN =
  '(?:today|tonight|tomorrow|tmrw|the day after tomorrow|next week|next month|this weekend|in \\d+ (?:days?|weeks?)|' +
  '(?:next |this |on )?(?:mon|tues|wednes|thurs|fri|satur|sun)day|\\d{4}-\\d{2}-\\d{2}|' +
  '(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]* \\d{1,2}(?:st|nd|rd|th)?|' +
  '\\d{1,2}(?:st|nd|rd|th)? (?:of )?(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*)';

/** Parses an everyday date phrase relative to `now`; undefined when it is not one. */
export function parseDate(phrase: string, now: Date): Date | undefined {
  const p = phrase.trim().toLowerCase().replace(/^on /, '');
  if (p === 'today' || p === 'tonight') return dayAt(now, 0);
  if (p === 'tomorrow' || p === 'tmrw') return dayAt(now, 1);
  if (p === 'the day after tomorrow') return dayAt(now, 2);
  if (p === 'next week') return dayAt(now, 7);
  if (p === 'next month') return dayAt(now, 30);
  if (p === 'this weekend') return dayAt(now, (6 - now.getUTCDay() + 7) % 7 || 7);
  let m = /^in (\d+) (day|week)s?$/.exec(p);
  if (m) return dayAt(now, Number(m[1]) * (m[2] === 'week' ? 7 : 1));
  m = /^(next |this )?(mon|tues|wednes|thurs|fri|satur|sun)day$/.exec(p);
  if (m) {
    const target = DAYS.indexOf(`${m[2]}day`);
    let diff = (target - now.getUTCDay() + 7) % 7;
    if (diff === 0 || m[1] === 'next ') diff = diff === 0 ? 7 : diff;
    return dayAt(now, diff);
  }
  m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(p);
  if (m) {
    const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), 12));
    return Number.isNaN(d.getTime()) ? undefined : d;
  }
  m = /^([a-z]+) (\d{1,2})(?:st|nd|rd|th)?$/.exec(p) ?? null;
  let month: number | undefined;
  let day: number | undefined;
  if (m) {
    month = MONTHS.indexOf((m[1] ?? '').slice(0, 3));
    day = Number(m[2]);
  } else {
    const m2 = /^(\d{1,2})(?:st|nd|rd|th)? (?:of )?([a-z]+)$/.exec(p);
    if (m2) {
      month = MONTHS.indexOf((m2[2] ?? '').slice(0, 3));
      day = Number(m2[1]);
    }
  }
  if (month !== undefined && month >= 0 && day !== undefined && day >= 1 && day <= 31) {
    let d = new Date(Date.UTC(now.getUTCFullYear(), month, day, 12));
    if (d.getTime() < dayAt(now, 0).getTime() - 86_400_000)
      d = new Date(Date.UTC(now.getUTCFullYear() + 1, month, day, 12));
    return d;
  }
  return undefined;
}

export function formatDay(iso: string, now: Date): string {
  const d = new Date(iso);
  const diff = Math.round((dayAt(d, 0).getTime() - dayAt(now, 0).getTime()) / 86_400_000);
  if (diff === 0) return 'today';
  if (diff === 1) return 'tomorrow';
  if (diff === -1) return 'yesterday';
  const label = d.toLocaleDateString('en-US', {
    weekday: 'short',
    month: 'short',
    day: 'numeric',
    timeZone: 'UTC',
  });
  return diff > 1 && diff < 7 ? (label.split(',')[0] ?? label) : label;
}
