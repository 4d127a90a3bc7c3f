import type { Priority } from '@todo/contracts';
import type { Ref } from './refs.js';

/** What one clause of a message asks for. */
export type Intent =
  | { kind: 'greet' }
  | { kind: 'thanks' }
  | { kind: 'help' }
  | { kind: 'undo' }
  | { kind: 'yes' }
  | { kind: 'no' }
  | { kind: 'unknown'; text: string; question?: boolean }
  | { kind: 'add'; title: string; priority?: Priority; dueAt?: string; tags?: string[] }
  | {
      kind: 'list';
      status?: 'all' | 'open' | 'done';
      priority?: Priority;
      tag?: string;
      q?: string;
      sort?: 'due' | '-priority' | 'title';
      due?: 'today' | 'tomorrow' | 'week' | 'overdue';
    }
  | { kind: 'count'; status?: 'open' | 'done' }
  | { kind: 'complete'; ref: Ref; completed: boolean }
  | { kind: 'delete'; ref: Ref }
  | { kind: 'rename'; ref: Ref; title: string }
  | { kind: 'priority'; ref: Ref; priority: Priority }
  | { kind: 'due'; ref: Ref; dueAt: string | null; shiftDays?: number }
  | { kind: 'tag'; ref: Ref; add: string[]; remove: string[] }
  | { kind: 'ask'; ref: Ref; about: 'status' | 'due' | 'priority' | 'exists' };

export type IntentKind = Intent['kind'];
