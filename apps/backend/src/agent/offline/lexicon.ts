import type { Priority } from '@todo/contracts';
import { editDistance } from './text.js';

/**
 * The offline model's vocabulary: fillers people wrap requests in, the command verbs and their
 * synonyms, priority words, yes and no. Plain data, matched word by word. Over 300 lines because
 * the formatter puts each word of a list on its own line: it is a word list, not logic.
 */

/** Said before a request and meaning nothing for it ("please", "could you", "hey, so"). */
export const LEADING_FILLERS = [
  'please',
  'pls',
  'plz',
  'kindly',
  'ok',
  'okay',
  'ok so',
  'alright',
  'right',
  'hey',
  'hi',
  'hello',
  'yo',
  'so',
  'um',
  'uh',
  'oh',
  'and',
  'also',
  'now',
  'then',
  'and then',
  'just',
  'quickly',
  'can you',
  'could you',
  'would you',
  'will you',
  'can u',
  'could u',
  'would you mind',
  'would you please',
  'could you please',
  'can you please',
  "i'd like you to",
  'i would like you to',
  'i want you to',
  'i need you to',
  'go ahead and',
  "let's",
  'lets',
  'i want to',
  "i'd like to",
  'i would like to',
  'help me',
  'actually',
  'wait',
  'oops',
  'sorry',
  'oh wait',
  'well',
  'hmm',
  'assistant',
];

/** Said after a request: dropped from titles and references. */
export const TRAILING_FILLERS = [
  'please',
  'pls',
  'plz',
  'thanks',
  'thank you',
  'thx',
  'ty',
  'for me',
  'if you can',
  'if possible',
  'thanks a lot',
  'thank you very much',
  'cheers',
  'ok',
  'okay',
  'now',
];

/** Prefixes that make the rest a new task ("remind me to …", "I need to …"). */
export const ADD_PREFIXES = [
  'remind me to',
  'remind me that i need to',
  'remind me about',
  'remember to',
  'remember that i need to',
  'i need to',
  'i have to',
  'i must',
  'i should',
  'i gotta',
  "i've got to",
  'i have got to',
  'need to',
  'have to',
  'gotta',
  'must',
  "don't forget to",
  'dont forget to',
  "don't let me forget to",
  'dont let me forget to',
  'note to self',
  'note to self:',
  'todo',
  'todo:',
  'to-do',
  'to do:',
  'task:',
  'new task:',
  'reminder:',
  'reminder to',
  'remind me',
];

/** Verbs that start an "add" request; what follows is the task. */
export const ADD_VERBS = [
  'add',
  'create',
  'new',
  'put',
  'note',
  'note down',
  'jot down',
  'write down',
  'save',
  'schedule',
  'insert',
  'adding',
  'make a task',
  'make a new task',
  'make a todo',
  'make a reminder',
  'make a note',
  'set a reminder',
  'set a reminder to',
  'set up a task',
];

export const COMPLETE_VERBS = [
  'complete',
  'finish',
  'finished',
  'check off',
  'check',
  'tick off',
  'tick',
  'cross off',
  'cross out',
  'close',
  'done with',
  "i'm done with",
  'im done with',
  'i am done with',
  'i finished',
  'i completed',
  'i did',
  "i've done",
  "i've finished",
  "i've completed",
  'i have finished',
  'i have completed',
  'i have done',
  'completed',
  'resolve',
];

export const REOPEN_VERBS = [
  'reopen',
  're-open',
  'uncomplete',
  'un-complete',
  'uncheck',
  'un-check',
  'untick',
  'unmark',
  'undo',
  'restore',
  'revive',
  'bring back',
];

export const DELETE_VERBS = [
  'delete',
  'del',
  'remove',
  'erase',
  'trash',
  'get rid of',
  'cancel',
  'forget about',
  'forget',
  'scrap',
  'scratch',
  'drop',
  'clear',
  'clear out',
  'wipe',
  'nuke',
  'ditch',
  'toss',
  'rm',
];

export const LIST_VERBS = [
  'list',
  'show',
  'show me',
  'display',
  'view',
  'see',
  'get',
  'give me',
  'print',
  'tell me',
  'read',
  'read me',
  'what are',
  "what's",
  'whats',
  'what is',
  'which',
  'what',
];

/** Words that can begin a new request inside one message ("add X and mark Y as done"). */
export const CLAUSE_STARTERS = [
  'add',
  'create',
  'mark',
  'delete',
  'remove',
  'rename',
  'reschedule',
  'move',
  'reopen',
  'show',
  'list',
  'complete',
  'change',
  'set',
  'tick',
  'check off',
  'cross off',
  'undo',
  'uncheck',
  'postpone',
  'prioritize',
  'prioritise',
  'tag',
  'untag',
  'erase',
  'remind me',
  'make',
];

/** Known first words, for correcting typos in the first word only. */
const COMMAND_WORDS = [
  'add',
  'create',
  'delete',
  'remove',
  'complete',
  'finish',
  'mark',
  'rename',
  'reopen',
  'uncomplete',
  'uncheck',
  'show',
  'list',
  'display',
  'change',
  'move',
  'reschedule',
  'postpone',
  'prioritize',
  'remind',
  'erase',
  'clear',
  'cancel',
  'check',
  'tick',
  'update',
  'please',
  'could',
  'would',
  'schedule',
  'deprioritize',
  'deprioritise',
  'prioritise',
  'untick',
  'unmark',
  'retitle',
];

/** Short first words that are typos of a command word too often to ask about. */
const SHORT_TYPOS: Record<string, string> = {
  ad: 'add',
  addd: 'add',
  dlete: 'delete',
  del: 'delete',
  'un-do': 'undo',
};

/** The first word corrected when it is one typo away from a command word ("delte", "compelte"). */
export function correctFirstWord(w: string): string {
  if (SHORT_TYPOS[w]) return SHORT_TYPOS[w];
  if (w.length < 4 || COMMAND_WORDS.includes(w)) return w;
  let best: string | undefined;
  for (const c of COMMAND_WORDS) {
    if (c.length < 4) continue;
    const d = editDistance(w, c);
    if (d === 1 || (d === 2 && c.length >= 7)) {
      if (best) return w; // two candidates: not a clear typo
      best = c;
    }
  }
  return best ?? w;
}

/** Common misspellings of date words, fixed before the date parser reads the text. */
export const DATE_TYPOS: Record<string, string> = {
  tomorow: 'tomorrow',
  tommorow: 'tomorrow',
  tommorrow: 'tomorrow',
  tomorro: 'tomorrow',
  tomrrow: 'tomorrow',
  tmrw: 'tomorrow',
  tmr: 'tomorrow',
  tmrow: 'tomorrow',
  '2morrow': 'tomorrow',
  '2moro': 'tomorrow',
  tday: 'today',
  '2day': 'today',
  tonite: 'tonight',
  nxt: 'next',
  wk: 'week',
  wednsday: 'wednesday',
  wensday: 'wednesday',
  thursady: 'thursday',
  thrusday: 'thursday',
  firday: 'friday',
  fridy: 'friday',
  saturady: 'saturday',
  mondy: 'monday',
  tuesdy: 'tuesday',
};

export const PRIORITY_WORD: Record<string, Priority> = {
  high: 'high',
  top: 'high',
  urgent: 'high',
  important: 'high',
  critical: 'high',
  highest: 'high',
  medium: 'medium',
  normal: 'medium',
  mid: 'medium',
  moderate: 'medium',
  low: 'low',
  lowest: 'low',
  minor: 'low',
};

const YES = new Set([
  'yes',
  'y',
  'yeah',
  'yep',
  'yup',
  'sure',
  'ok',
  'okay',
  'do it',
  'go ahead',
  'go for it',
  'confirm',
  'confirmed',
  'please do',
  'yes please',
  'yes do it',
  'yes delete them',
  'yes delete it',
  'yes delete',
  'delete them',
  'absolutely',
  'correct',
  'right',
  'affirmative',
  'proceed',
  'of course',
  'sure thing',
  'yes go ahead',
  'yes all of them',
]);
const NO = new Set([
  'no',
  'n',
  'nope',
  'nah',
  'cancel',
  'stop',
  "don't",
  'dont',
  'no thanks',
  'no thank you',
  'never mind',
  'nevermind',
  'forget it',
  'keep them',
  'no keep them',
  'no dont',
  "no don't",
  'abort',
  'not now',
  'neither',
  'none',
  'none of them',
  'wait no',
]);

/** "yes", "yes please", "sure, go ahead" → true; "no", "never mind" → false; anything else undefined. */
export function yesOrNo(ws: readonly string[]): boolean | undefined {
  const t = ws.join(' ');
  if (YES.has(t)) return true;
  if (NO.has(t)) return false;
  const first = ws[0];
  if (ws.length <= 4 && (first === 'yes' || first === 'yeah' || first === 'yep' || first === 'sure'))
    return true;
  if (ws.length <= 4 && (first === 'no' || first === 'nope' || first === 'nah')) return false;
  return undefined;
}

const split = new WeakMap<readonly string[], string[][]>();

/** A phrase list as word arrays, split once per list. */
function phraseWords(phrases: readonly string[]): string[][] {
  let out = split.get(phrases);
  if (!out) {
    out = phrases.map((p) => p.split(' '));
    split.set(phrases, out);
  }
  return out;
}

/** How many words the longest phrase of `phrases` that `ws` starts with (at `from`) takes; 0 for none. */
export function startsWithPhrase(ws: readonly string[], phrases: readonly string[], from = 0): number {
  let best = 0;
  for (const pw of phraseWords(phrases)) {
    if (pw.length <= best || from + pw.length > ws.length) continue;
    let ok = true;
    for (let i = 0; i < pw.length && ok; i++) ok = ws[from + i] === pw[i];
    if (ok) best = pw.length;
  }
  return best;
}
