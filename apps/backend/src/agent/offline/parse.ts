import type { Priority } from '@todo/contracts';
import { DATE_PATTERN, parseDate } from './dates.js';

/** How the user points at a task: its number in the last list, "it", or (part of) its title. */
export type Ref = { kind: 'number'; n: number } | { kind: 'it' } | { kind: 'title'; text: string };

export type Intent =
  | { kind: 'greet' }
  | { kind: 'thanks' }
  | { kind: 'help' }
  | { kind: 'add'; title: string; priority?: Priority; dueAt?: string; tags?: string[] }
  | {
      kind: 'list';
      status?: 'all' | 'open' | 'done';
      priority?: Priority;
      tag?: string;
      q?: string;
      sort?: 'due' | 'priority' | '-priority' | 'title';
    }
  | { kind: 'complete'; ref: Ref; completed: boolean }
  | { kind: 'delete'; ref: Ref }
  | { kind: 'rename'; ref: Ref; title: string }
  | { kind: 'priority'; ref: Ref; priority: Priority }
  | { kind: 'due'; ref: Ref; dueAt: string | null }
  | { kind: 'unknown' };

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
  last: -1,
};

const PRIORITY_WORD: Record<string, Priority> = {
  high: 'high',
  top: 'high',
  urgent: 'high',
  important: 'high',
  medium: 'medium',
  normal: 'medium',
  low: 'low',
};

const DATE = new RegExp(`^${DATE_PATTERN}$`, 'i');

function clean(text: string): string {
  let t = text.replace(/\s+/g, ' ').trim();
  for (let i = 0; i < 3; i++) {
    t = t
      .replace(/^(please|pls|ok(ay)?|hey|so|and|also|now|then)[,!]?\s+/i, '')
      .replace(/^(can|could|would|will) you( please)?\s+/i, '')
      .replace(/^(i'd like you to|i want you to|kindly|go ahead and|let's|lets)\s+/i, '');
  }
  return t
    .replace(/\s*,?\s*(please|pls|thanks|thank you)\s*[.!?]*$/i, '')
    .replace(/\s*[.!?]+$/, '')
    .trim();
}

const unquote = (s: string) =>
  s
    .trim()
    .replace(/^["'“‘`]+|["'”’`]+$/g, '')
    .trim();

export function parseRef(raw: string): Ref {
  const text = unquote(
    raw
      .trim()
      .replace(/^(the|my|a)\s+/i, '')
      .replace(/\s+(task|todo|to-do|item|one)$/i, '')
      .replace(/\s+(as|from|on|off)\s+(my|the)\s+(list|tasks|todos)$/i, ''),
  );
  const lower = text.toLowerCase();
  const num = /^(?:task|item|number|no\.?|todo|#)?\s*#?(\d{1,3})(?:st|nd|rd|th)?$/.exec(lower);
  if (num) return { kind: 'number', n: Number(num[1]) };
  const ordinal =
    /^(?:the\s+)?(first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|last)(?:\s+(?:one|task|item))?$/.exec(
      lower,
    );
  if (ordinal?.[1]) return { kind: 'number', n: ORDINALS[ordinal[1]] ?? 1 };
  if (/^(it|that|this|that one|this one|that task|this task)$/.test(lower)) return { kind: 'it' };
  return { kind: 'title', text };
}

interface AddDetails {
  title: string;
  priority?: Priority;
  dueAt?: string;
  tags?: string[];
}

/** Pulls priority, due date and tags out of an "add" phrase; what remains is the title. */
export function parseAddDetails(rest: string, now: Date): AddDetails {
  let t = ` ${rest} `;
  const out: Omit<AddDetails, 'title'> = {};
  const tags: string[] = [];
  t = t.replace(/\s#([\p{L}\p{N}_-]{1,32})/gu, (_m, tag: string) => {
    tags.push(tag.toLowerCase());
    return ' ';
  });
  t = t.replace(
    /\s(?:and\s+)?(?:tagged(?: with)?|with (?:the )?tags?|tags?:)\s+([\p{L}\p{N}_-]+(?:\s*(?:,|and)\s*[\p{L}\p{N}_-]+)*)\s/iu,
    (_m, list: string) => {
      for (const tag of list.split(/\s*(?:,|\band\b)\s*/)) if (tag) tags.push(tag.toLowerCase());
      return ' ';
    },
  );
  t = t.replace(
    /\s(?:,\s*)?(?:and\s+)?(?:with\s+|at\s+|as\s+)?(?:a\s+)?(high|low|medium|normal|top)[- ]priority(?:\s+task)?\s/i,
    (_m, p: string) => {
      out.priority = PRIORITY_WORD[p.toLowerCase()];
      return ' ';
    },
  );
  t = t.replace(
    /\s(?:,\s*)?(?:and\s+)?(?:with\s+)?priority(?:\s+is|:)?\s+(high|low|medium)\s/i,
    (_m, p: string) => {
      out.priority = PRIORITY_WORD[p.toLowerCase()];
      return ' ';
    },
  );
  t = t.replace(/\s*(?:,\s*)?(?:it['’]?s\s+)?(urgent|asap|!!+)\s*$/i, () => {
    out.priority = 'high';
    return ' ';
  });
  const dueRe = new RegExp(
    `\\s(?:,\\s*)?(?:and\\s+)?(?:(?:it'?s\\s+)?due(?:\\s+on|\\s+by)?|by|on|for|before)?\\s*(${DATE_PATTERN})\\s`,
    'i',
  );
  t = t.replace(dueRe, (m, phrase: string) => {
    const d = parseDate(phrase, now);
    if (!d) return m;
    out.dueAt = d.toISOString();
    return ' ';
  });
  const title = unquote(
    t
      .replace(/\s+/g, ' ')
      .trim()
      .replace(
        /^(?:a\s+|an\s+)?(?:new\s+)?(?:task|todo|to-do|item|reminder)s?(?:\s+to|\s+called|\s+named|\s+for|:)?\s+/i,
        '',
      )
      .replace(/^to\s+/i, '')
      .replace(
        /\s+(?:to|on|in|onto)\s+(?:my|the)\s+(?:todo\s+|to-do\s+|task\s+|shopping\s+)?(?:list|tasks|todos)$/i,
        '',
      )
      .replace(/[\s,]+(and|with)$/i, '')
      .replace(/^[\s,:-]+|[\s,:-]+$/g, ''),
  );
  if (tags.length) out.tags = [...new Set(tags)].slice(0, 10);
  return { title, ...out };
}

export function parseIntent(input: string, now: Date = new Date()): Intent {
  if (/^\s*(thanks|thank you|thx|ty|cheers)\b[\s!.]*$/i.test(input)) return { kind: 'thanks' };
  const text = clean(input);
  const lower = text.toLowerCase();
  if (!lower) return { kind: 'help' };
  if (/^(hi|hello|hey|hiya|yo|good (morning|afternoon|evening))\b[\s!.]*$/i.test(lower))
    return { kind: 'greet' };
  if (
    /^(thanks|thank you|thx|ty|cheers|great|perfect|cool|nice|awesome)\b/.test(lower) &&
    lower.length < 30
  ) {
    return { kind: 'thanks' };
  }
  if (/^(help|\?|what can you do|how does this work|what do you do)\b/.test(lower)) return { kind: 'help' };

  let m: RegExpExecArray | null;

  // Rename.
  m = /^(?:rename|retitle|change the (?:title|name) of|call)\s+(.+?)\s+(?:to|as|into)\s+(.+)$/i.exec(text);
  if (m?.[1] && m[2]) return { kind: 'rename', ref: parseRef(m[1]), title: unquote(m[2]) };

  // Priority.
  m =
    /^(?:set|change|make|update)\s+(?:the\s+)?priority\s+(?:of|for|on)\s+(.+?)\s+(?:to|as)\s+(high|low|medium|normal|urgent)$/i.exec(
      text,
    );
  if (m?.[1] && m[2])
    return { kind: 'priority', ref: parseRef(m[1]), priority: PRIORITY_WORD[m[2].toLowerCase()] ?? 'medium' };
  m =
    /^(?:make|mark|set|change|flag)\s+(.+?)\s+(?:as\s+|to\s+)?(?:a\s+)?(high|low|medium|normal|top|urgent|important)(?:[- ]priority)?$/i.exec(
      text,
    );
  if (m?.[1] && m[2])
    return { kind: 'priority', ref: parseRef(m[1]), priority: PRIORITY_WORD[m[2].toLowerCase()] ?? 'medium' };
  m = /^(de-?)?prioriti[sz]e\s+(.+)$/i.exec(text);
  if (m?.[2]) return { kind: 'priority', ref: parseRef(m[2]), priority: m[1] ? 'low' : 'high' };

  // Due date.
  m = /^(?:move|reschedule|push|postpone|delay)\s+(.+?)\s+(?:to|until|till)\s+(.+)$/i.exec(text);
  if (m?.[1] && m[2] && DATE.test(m[2])) {
    const d = parseDate(m[2], now);
    if (d) return { kind: 'due', ref: parseRef(m[1]), dueAt: d.toISOString() };
  }
  m = /^(?:set|change|update)\s+(?:the\s+)?due(?:\s+date)?\s+(?:of|for|on)\s+(.+?)\s+to\s+(.+)$/i.exec(text);
  if (m?.[1] && m[2] && DATE.test(m[2])) {
    const d = parseDate(m[2], now);
    if (d) return { kind: 'due', ref: parseRef(m[1]), dueAt: d.toISOString() };
  }
  m = /^(?:remove|clear|drop)\s+(?:the\s+)?due\s+date\s+(?:of|from|on|for)\s+(.+)$/i.exec(text);
  if (m?.[1]) return { kind: 'due', ref: parseRef(m[1]), dueAt: null };

  // Reopen.
  m = /^(?:reopen|re-open|uncomplete|un-complete|uncheck|unmark|undo)\s+(.+)$/i.exec(text);
  if (m?.[1]) return { kind: 'complete', ref: parseRef(m[1]), completed: false };
  m = /^mark\s+(.+?)\s+(?:as\s+)?(?:not done|undone|open|incomplete|not complete|pending|to ?do)$/i.exec(
    text,
  );
  if (m?.[1]) return { kind: 'complete', ref: parseRef(m[1]), completed: false };

  // Complete.
  m = /^(?:mark|set)\s+(.+?)\s+(?:as\s+)?(?:done|complete|completed|finished)$/i.exec(text);
  if (m?.[1]) return { kind: 'complete', ref: parseRef(m[1]), completed: true };
  m = /^(?:complete|finish|finished|done with|check off|tick off|cross off|close)\s+(.+)$/i.exec(text);
  if (m?.[1]) return { kind: 'complete', ref: parseRef(m[1]), completed: true };
  m = /^i(?:'ve| have)?\s+(?:finished|completed|did|done)\s+(.+)$/i.exec(text);
  if (m?.[1]) return { kind: 'complete', ref: parseRef(m[1]), completed: true };
  m = /^(.+?)\s+is\s+(?:done|finished|complete|completed)$/i.exec(text);
  if (m?.[1]) return { kind: 'complete', ref: parseRef(m[1]), completed: true };

  // Delete.
  m =
    /^(?:delete|remove|drop|erase|trash|get rid of|cancel|forget about|scrap)\s+(.+?)(?:\s+from\s+(?:my|the)\s+(?:list|tasks|todos|todo list))?$/i.exec(
      text,
    );
  if (m?.[1]) return { kind: 'delete', ref: parseRef(m[1]) };

  // List.
  const listy =
    /^(?:list|show|display|view|see|get|give me|print|tell me|what(?:'s| is| are)|which|whats)\b/i.test(
      text,
    ) &&
    /\b(tasks?|todos?|to-dos?|list|things|done|open|pending|left|remaining|completed|finished|due|overdue|priority)\b/i.test(
      text,
    );
  if (
    listy ||
    /^(?:my\s+)?(?:tasks|todos|to-dos|todo list|list)$/i.test(text) ||
    /^what (?:do|should) i (?:have|need) to do/i.test(text) ||
    /^(?:anything|what(?:'s| is)) (?:left|pending|open)/i.test(text)
  ) {
    const intent: Extract<Intent, { kind: 'list' }> = { kind: 'list' };
    if (/\b(open|pending|remaining|left|incomplete|unfinished|not done|to do|todo)\b/i.test(lower))
      intent.status = 'open';
    if (/\b(done|completed|finished)\b/i.test(lower) && !/\bnot done\b/.test(lower)) intent.status = 'done';
    if (/\ball\b/.test(lower) && !intent.status) intent.status = 'all';
    const p = /\b(high|low|medium|urgent|important)(?:[- ]priority)?\b/i.exec(lower);
    if (p?.[1] && /priority|urgent|important/.test(lower)) intent.priority = PRIORITY_WORD[p[1]];
    const tag = /(?:#|\btagged\s+|\bwith (?:the )?tag\s+)([\p{L}\p{N}_-]{1,32})/iu.exec(text);
    if (tag?.[1]) intent.tag = tag[1].toLowerCase();
    const q = /\b(?:about|containing|matching|mentioning|with|called|named|like)\s+["'“]?(.+?)["'”]?$/i.exec(
      text,
    );
    if (q?.[1] && !tag && !/^(the )?tag\b/i.test(q[1]) && !/priority$/i.test(q[1])) intent.q = q[1];
    if (/\bby (?:due )?date\b|\bdue (?:soon|first)\b|\bby deadline\b/.test(lower)) intent.sort = 'due';
    else if (/\bby priority\b/.test(lower)) intent.sort = '-priority';
    else if (/\balphabetical(?:ly)?\b|\bby (?:title|name)\b/.test(lower)) intent.sort = 'title';
    return intent;
  }

  // Add.
  m =
    /^(?:add|create|new|make|put|note|jot down|write down|save|schedule|todo:?|to-do:?|task:)\s+(.+)$/i.exec(
      text,
    );
  if (m?.[1]) {
    const d = parseAddDetails(m[1], now);
    if (d.title) return { kind: 'add', ...d };
  }
  m =
    /^(?:remember to|remind me to|i need to|i have to|i must|i should|i gotta|don'?t (?:let me )?forget to|need to)\s+(.+)$/i.exec(
      text,
    );
  if (m?.[1]) {
    const d = parseAddDetails(m[1], now);
    if (d.title) return { kind: 'add', ...d };
  }
  return { kind: 'unknown' };
}
