/** The evaluation corpus's shapes: a case is a short conversation and the task list it must leave. */

export const CATEGORIES = [
  'add',
  'politeness',
  'typos-casing',
  'dates-times',
  'priority-tags',
  'quoted',
  'ref-number',
  'ref-title',
  'ref-it',
  'complete-reopen',
  'delete',
  'edit',
  'bulk',
  'compound',
  'questions',
  'clarify',
  'undo',
] as const;
export type Category = (typeof CATEGORIES)[number];

/** The failure kinds issue 17 found; every one must be covered by corpus cases that pass. */
export const FAILURE_KINDS = [
  'title-swallows-sentence',
  'time-left-in-title',
  'date-inside-quotes',
  'reopen',
  'bulk',
  'compound',
  'punctuated-command',
  'possessive',
  'unsure-asks',
] as const;
export type FailureKind = (typeof FAILURE_KINDS)[number];

/**
 * A task as the case states it. `due` is a day (`2026-11-27`, due at noon in the case's time
 * zone) or a local time (`2026-11-27T09:00`). Omitted fields are the defaults.
 */
export interface CaseTask {
  title: string;
  done?: boolean;
  priority?: 'low' | 'medium' | 'high';
  due?: string;
  tags?: string[];
}

export interface Case {
  category: Category;
  /** Tasks that exist before the conversation, listed newest first (as "show my tasks" numbers them). */
  seed?: CaseTask[];
  /** The user's messages, one turn each. */
  say: string[];
  /** The whole task list afterwards. */
  expect: CaseTask[];
  /** What the last reply must contain (case-insensitive), e.g. the question it must ask. */
  reply?: string;
  tz?: string;
  kinds?: FailureKind[];
}
