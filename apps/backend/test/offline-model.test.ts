import { describe, expect, it } from 'vitest';
import { readChatTurns, readTurns } from '../src/agent/offline/conversation.js';
import { formatDue } from '../src/agent/offline/dates.js';
import { timeZoneOf } from '../src/agent/offline/model.js';
import { parseIntent, parseMessage } from '../src/agent/offline/parse.js';
import { nextStep } from '../src/agent/offline/plan.js';
import { titleScore } from '../src/agent/offline/text.js';

// Unit tests of the offline model's stages; the evaluation corpus (corpus.test.ts) covers
// everyday phrasing end to end.

const clock = { now: new Date('2026-11-26T10:00:00Z'), timeZone: 'UTC' };
const A = '00000000-0000-4000-8000-00000000000a';
const B = '00000000-0000-4000-8000-00000000000b';
const task = (id: string, title: string, completed = false) => ({
  id,
  title,
  completed,
  priority: 'medium',
  tags: [],
  dueAt: null,
});

describe('offline model: reading', () => {
  it('splits compound requests and keeps titles clean', () => {
    expect(parseMessage('add buy eggs and mark call mom as done', clock)).toEqual([
      { kind: 'add', title: 'buy eggs' },
      { kind: 'complete', ref: { kind: 'title', text: 'call mom' }, completed: true },
    ]);
    expect(parseIntent("I need to finish the quarterly report by Friday, it's high priority", clock)).toEqual(
      {
        kind: 'add',
        title: 'finish the quarterly report',
        priority: 'high',
        dueAt: '2026-11-27T12:00:00.000Z',
      },
    );
  });

  it('reads dates in the user time zone', () => {
    expect(
      parseIntent('add call mom tomorrow at 9am', { ...clock, timeZone: 'Europe/Berlin' }),
    ).toMatchObject({
      dueAt: '2026-11-27T08:00:00.000Z',
    });
    expect(formatDue('2026-11-27T08:00:00.000Z', { ...clock, timeZone: 'Europe/Berlin' })).toBe(
      'tomorrow at 9am',
    );
    expect(timeZoneOf("Today is …\nThe user's time zone is Europe/Berlin.")).toBe('Europe/Berlin');
    expect(timeZoneOf("The user's time zone is Not/AZone.")).toBe('UTC');
  });

  it('reads both input formats into the same turns', () => {
    const agent = readTurns([
      { role: 'user', content: 'add x' },
      {
        type: 'function_call',
        callId: 'c1',
        name: 'add_task',
        arguments: '{"title":"x"}',
        status: 'completed',
      },
      {
        type: 'function_call_result',
        callId: 'c1',
        name: 'add_task',
        status: 'completed',
        output: '{"ok":true}',
      },
      { role: 'assistant', status: 'completed', content: [{ type: 'output_text', text: 'Added.' }] },
      { role: 'user', content: 'undo' },
    ] as never);
    const chat = readChatTurns([
      { role: 'system', content: 'instructions' },
      { role: 'user', content: 'add x' },
      {
        role: 'assistant',
        tool_calls: [
          { id: 'c1', type: 'function', function: { name: 'add_task', arguments: '{"title":"x"}' } },
        ],
      },
      { role: 'tool', tool_call_id: 'c1', content: '{"ok":true}' },
      { role: 'assistant', content: 'Added.' },
      { role: 'user', content: 'undo' },
    ]);
    expect(chat).toEqual(agent);
  });

  it('scores titles', () => {
    expect(titleScore('Buy Milk', 'buy milk')).toBe(1);
    expect(titleScore('milk', 'buy milk')).toBe(0.9);
    expect(titleScore('zebra', 'buy milk')).toBeLessThan(0.5);
  });
});

describe('offline model: decisions', () => {
  const lookup = (tasks: ReturnType<typeof task>[]) => ({
    name: 'list_tasks',
    args: { limit: 100 },
    out: { ok: true, tasks },
  });

  it('asks a specific question instead of guessing, and acts on the answer next turn', () => {
    const results = [lookup([task(A, 'email Sam'), task(B, 'email Alex')])];
    const first = [{ userText: 'complete email', results, reply: '' }];
    expect(nextStep(first, clock)).toEqual({ say: 'Did you mean “email Sam” or “email Alex”?' });
    const second = [
      { ...first[0], reply: 'Did you mean …' } as never,
      { userText: 'Alex', results: [], reply: '' },
    ];
    expect(nextStep(second, clock)).toEqual({ call: 'complete_task', args: { id: B, completed: true } });
  });

  it('previews a bulk delete, then confirms with the fingerprint from the stored preview', () => {
    expect(nextStep([{ userText: 'delete all completed tasks', results: [], reply: '' }], clock)).toEqual({
      call: 'delete_tasks',
      args: { status: 'done' },
    });
    const preview = {
      name: 'delete_tasks',
      args: { status: 'done' },
      out: { ok: true, pending: true, count: 1, tasks: [task(A, 'old', true)], confirm: 'abc' },
    };
    const asked = { userText: 'delete all completed tasks', results: [preview], reply: 'Delete …? (yes/no)' };
    expect(nextStep([asked], clock)).toEqual({ say: 'Delete the completed task: “old”? (yes/no)' });
    expect(nextStep([asked, { userText: 'yes', results: [], reply: '' }], clock)).toEqual({
      call: 'delete_tasks',
      args: { status: 'done', confirm: 'abc' },
    });
    expect(nextStep([asked, { userText: 'no', results: [], reply: '' }], clock)).toEqual({
      say: "OK, I didn't delete anything.",
    });
  });
});
