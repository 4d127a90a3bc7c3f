import { describe, expect, it } from 'vitest';
import { nextStep, titleScore } from '../src/agent/offline/model.js';
import { type Intent, parseIntent } from '../src/agent/offline/parse.js';

// Thursday 26 November 2026, 10:00 UTC.
const NOW = new Date('2026-11-26T10:00:00Z');
const day = (iso: string) => `${iso}T12:00:00.000Z`;

const cases: [string, Partial<Intent> & { kind: Intent['kind'] }][] = [
  // add
  ['add buy milk', { kind: 'add', title: 'buy milk' }],
  ['Add "call mom" to my list', { kind: 'add', title: 'call mom' }],
  ['please add a task to water the plants', { kind: 'add', title: 'water the plants' }],
  ['create a task called Book flights', { kind: 'add', title: 'Book flights' }],
  ['remind me to pay rent tomorrow', { kind: 'add', title: 'pay rent', dueAt: day('2026-11-27') }],
  [
    'i need to renew my passport by friday',
    { kind: 'add', title: 'renew my passport', dueAt: day('2026-11-27') },
  ],
  [
    'add dentist appointment on monday',
    { kind: 'add', title: 'dentist appointment', dueAt: day('2026-11-30') },
  ],
  ['add file taxes due 2026-12-15', { kind: 'add', title: 'file taxes', dueAt: day('2026-12-15') }],
  ['add buy milk with high priority', { kind: 'add', title: 'buy milk', priority: 'high' }],
  [
    'add a low priority task to clean the garage',
    { kind: 'add', title: 'clean the garage', priority: 'low' },
  ],
  ['add submit report, it’s urgent', { kind: 'add', title: 'submit report', priority: 'high' }],
  ['add groceries #shopping #weekly', { kind: 'add', title: 'groceries', tags: ['shopping', 'weekly'] }],
  ['add buy bread tagged shopping and food', { kind: 'add', title: 'buy bread', tags: ['shopping', 'food'] }],
  [
    'Could you add call the bank tomorrow with high priority please?',
    { kind: 'add', title: 'call the bank', priority: 'high', dueAt: day('2026-11-27') },
  ],
  ['todo: fix the bike', { kind: 'add', title: 'fix the bike' }],
  [
    'remember to send the invoice in 3 days',
    { kind: 'add', title: 'send the invoice', dueAt: day('2026-11-29') },
  ],
  ['add pick up parcel on dec 3', { kind: 'add', title: 'pick up parcel', dueAt: day('2026-12-03') }],
  ["don't forget to buy a gift next week", { kind: 'add', title: 'buy a gift', dueAt: day('2026-12-03') }],
  // list
  ['show my tasks', { kind: 'list' }],
  ['list', { kind: 'list' }],
  ['what are my open tasks?', { kind: 'list', status: 'open' }],
  ['what do I have to do', { kind: 'list', status: 'open' }],
  ['show completed tasks', { kind: 'list', status: 'done' }],
  ['list my high priority tasks', { kind: 'list', priority: 'high' }],
  ['show tasks tagged shopping', { kind: 'list', tag: 'shopping' }],
  ['list tasks about taxes', { kind: 'list', q: 'taxes' }],
  ['show my tasks by due date', { kind: 'list', sort: 'due' }],
  ["what's left", { kind: 'list', status: 'open' }],
  ['show all tasks', { kind: 'list', status: 'all' }],
  // complete / reopen
  ['complete 2', { kind: 'complete', ref: { kind: 'number', n: 2 }, completed: true }],
  ['mark task 3 as done', { kind: 'complete', ref: { kind: 'number', n: 3 }, completed: true }],
  ['I finished buy milk', { kind: 'complete', ref: { kind: 'title', text: 'buy milk' }, completed: true }],
  ['done with the first one', { kind: 'complete', ref: { kind: 'number', n: 1 }, completed: true }],
  ['check off groceries', { kind: 'complete', ref: { kind: 'title', text: 'groceries' }, completed: true }],
  ['the report is done', { kind: 'complete', ref: { kind: 'title', text: 'report' }, completed: true }],
  ['mark it as done', { kind: 'complete', ref: { kind: 'it' }, completed: true }],
  ['reopen 1', { kind: 'complete', ref: { kind: 'number', n: 1 }, completed: false }],
  [
    'mark buy milk as not done',
    { kind: 'complete', ref: { kind: 'title', text: 'buy milk' }, completed: false },
  ],
  // delete
  ['delete 4', { kind: 'delete', ref: { kind: 'number', n: 4 } }],
  ['remove the dentist task', { kind: 'delete', ref: { kind: 'title', text: 'dentist' } }],
  ['get rid of "old stuff" from my list', { kind: 'delete', ref: { kind: 'title', text: 'old stuff' } }],
  ['delete the last one', { kind: 'delete', ref: { kind: 'number', n: -1 } }],
  // rename
  [
    'rename buy milk to buy oat milk',
    { kind: 'rename', ref: { kind: 'title', text: 'buy milk' }, title: 'buy oat milk' },
  ],
  ['rename 2 to "Call grandma"', { kind: 'rename', ref: { kind: 'number', n: 2 }, title: 'Call grandma' }],
  [
    'change the title of task 1 to Pay bills',
    { kind: 'rename', ref: { kind: 'number', n: 1 }, title: 'Pay bills' },
  ],
  // priority
  ['make 1 high priority', { kind: 'priority', ref: { kind: 'number', n: 1 }, priority: 'high' }],
  [
    'set the priority of taxes to low',
    { kind: 'priority', ref: { kind: 'title', text: 'taxes' }, priority: 'low' },
  ],
  ['prioritize the report', { kind: 'priority', ref: { kind: 'title', text: 'report' }, priority: 'high' }],
  ['mark 2 as urgent', { kind: 'priority', ref: { kind: 'number', n: 2 }, priority: 'high' }],
  // due dates
  ['move 2 to friday', { kind: 'due', ref: { kind: 'number', n: 2 }, dueAt: day('2026-11-27') }],
  [
    'postpone taxes until next week',
    { kind: 'due', ref: { kind: 'title', text: 'taxes' }, dueAt: day('2026-12-03') },
  ],
  ['clear the due date of 3', { kind: 'due', ref: { kind: 'number', n: 3 }, dueAt: null }],
  // small talk
  ['hello', { kind: 'greet' }],
  ['thanks!', { kind: 'thanks' }],
  ['what can you do?', { kind: 'help' }],
  ['the weather is nice', { kind: 'unknown' }],
];

describe('offline model: everyday phrasing → intent', () => {
  it('has at least 40 phrasings', () => expect(cases.length).toBeGreaterThanOrEqual(40));
  it.each(cases)('%s', (text, expected) => {
    expect(parseIntent(text, NOW)).toEqual(expected);
  });
});

const listResult = (tasks: { id: string; title: string; completed?: boolean }[], limit?: number) => ({
  name: 'list_tasks',
  args: limit ? { limit } : {},
  out: {
    ok: true,
    summary: `Listed ${tasks.length} tasks`,
    tasks: tasks.map((t, i) => ({
      n: i + 1,
      priority: 'medium',
      tags: [],
      dueAt: null,
      completed: false,
      ...t,
    })),
  },
});

const A = '00000000-0000-4000-8000-00000000000a';
const B = '00000000-0000-4000-8000-00000000000b';
const C = '00000000-0000-4000-8000-00000000000c';

describe('offline model: decisions', () => {
  it('adds with one tool call, then answers from the result', () => {
    expect(nextStep('add buy milk', [], [], NOW)).toEqual({ call: 'add_task', args: { title: 'buy milk' } });
    const done = {
      name: 'add_task',
      args: { title: 'buy milk' },
      out: {
        ok: true,
        summary: 'x',
        task: { id: A, title: 'buy milk', priority: 'medium', tags: [], dueAt: null },
      },
    };
    expect(nextStep('add buy milk', [], [done], NOW)).toEqual({ say: 'Added “buy milk”.' });
  });

  it('resolves a number against the last list shown in earlier turns', () => {
    const earlier = [
      listResult([
        { id: A, title: 'buy milk' },
        { id: B, title: 'call mom' },
      ]),
    ];
    expect(nextStep('complete 2', earlier, [], NOW)).toEqual({
      call: 'complete_task',
      args: { id: B, completed: true },
    });
    expect(nextStep('complete 5', earlier, [], NOW)).toEqual({
      say: 'There is no task number 5 in the last list (it had 2).',
    });
  });

  it('lists first when a number has no list to refer to', () => {
    expect(nextStep('delete 1', [], [], NOW)).toEqual({ call: 'list_tasks', args: {} });
  });

  it('looks a title up, then acts on the single fuzzy match', () => {
    expect(nextStep('delete the dentist task', [], [], NOW)).toEqual({
      call: 'list_tasks',
      args: { limit: 100 },
    });
    const lookup = listResult(
      [
        { id: A, title: 'Dentist appointment' },
        { id: B, title: 'buy milk' },
      ],
      100,
    );
    expect(nextStep('delete the dentist task', [], [lookup], NOW)).toEqual({
      call: 'delete_task',
      args: { id: A },
    });
    // a typo still matches
    expect(nextStep('complete buy mlik', [], [lookup], NOW)).toEqual({
      call: 'complete_task',
      args: { id: B, completed: true },
    });
  });

  it('asks back when a reference is ambiguous', () => {
    const lookup = listResult(
      [
        { id: A, title: 'buy milk' },
        { id: B, title: 'buy milk and eggs' },
        { id: C, title: 'call mom' },
      ],
      100,
    );
    const step = nextStep('complete buy', [], [lookup], NOW);
    expect(step).toHaveProperty('say');
    expect((step as { say: string }).say).toMatch(
      /Which one do you mean\?\n1\. “buy milk”\n2\. “buy milk and eggs”/,
    );
    // an exact title wins over a longer one
    expect(nextStep('complete buy milk', [], [lookup], NOW)).toEqual({
      call: 'complete_task',
      args: { id: A, completed: true },
    });
  });

  it('says so when nothing matches', () => {
    const lookup = listResult([{ id: A, title: 'buy milk' }], 100);
    expect(nextStep('delete quantum physics homework', [], [lookup], NOW)).toEqual({
      say: 'I couldn’t find a task matching “quantum physics homework”.'.replace('’', "'"),
    });
  });

  it('refers to "it" as the task touched last', () => {
    const earlier = [
      {
        name: 'add_task',
        args: {},
        out: { ok: true, summary: '', task: { id: C, title: 'call mom', completed: false } },
      },
    ];
    expect(nextStep('mark it as done', earlier, [], NOW)).toEqual({
      call: 'complete_task',
      args: { id: C, completed: true },
    });
  });

  it('answers plain sentences for lists', () => {
    const shown = listResult([{ id: A, title: 'buy milk' }]);
    expect(nextStep('show my tasks', [], [shown], NOW)).toEqual({ say: 'You have 1 task:\n1. buy milk' });
  });

  it('scores titles', () => {
    expect(titleScore('Buy Milk', 'buy milk')).toBe(1);
    expect(titleScore('milk', 'buy milk')).toBe(0.9);
    expect(titleScore('zebra', 'buy milk')).toBeLessThan(0.5);
  });
});
