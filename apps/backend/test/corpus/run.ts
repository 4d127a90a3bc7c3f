import { randomUUID } from 'node:crypto';
import type { Model } from '@openai/agents-core';
import { ChatService } from '../../src/agent/chat.js';
import { localDay } from '../../src/agent/offline/dates.js';
import { type Database, openDatabase } from '../../src/db/client.js';
import { runMigrations } from '../../src/db/migrate.js';
import { tasks as tasksTable, user } from '../../src/db/schema.js';
import { ConversationService } from '../../src/domain/conversations.js';
import { TaskService } from '../../src/domain/tasks.js';
import { CATEGORIES, type Case, type CaseTask, type Category } from './types.js';

/**
 * Runs the evaluation corpus through the real chat service (model ↔ in-memory MCP tools ↔
 * database): every case gets a fresh user, its seed tasks, and one conversation with its
 * messages; the task list afterwards is compared with the case's. Used by the corpus tests and
 * by `pnpm --filter backend bench`.
 */

/** Thursday 26 November 2026, 10:00 UTC: the corpus's "now". */
export const CORPUS_NOW = new Date('2026-11-26T10:00:00Z');

export interface CaseResult {
  c: Case;
  ok: boolean;
  why?: string;
  replies: string[];
  toolCalls: string[];
  /** Wall time of each chat turn, in ms. */
  turnMs: number[];
}

const norm = (t: CaseTask) =>
  JSON.stringify({
    title: t.title,
    done: t.done ?? false,
    priority: t.priority ?? 'medium',
    due: t.due ?? null,
    tags: [...(t.tags ?? [])].sort(),
  });

function dueOf(iso: string | null, timeZone: string): string | undefined {
  if (!iso) return undefined;
  const d = localDay(new Date(iso), { now: CORPUS_NOW, timeZone });
  const day = `${d.y}-${String(d.m).padStart(2, '0')}-${String(d.d).padStart(2, '0')}`;
  return d.hh === 12 && d.mm === 0
    ? day
    : `${day}T${String(d.hh).padStart(2, '0')}:${String(d.mm).padStart(2, '0')}`;
}

function dueIso(due: string, timeZone: string): Date {
  const [day, time] = due.split('T');
  const [y, m, d] = (day as string).split('-').map(Number);
  const [hh, mm] = (time ?? '12:00').split(':').map(Number);
  const guess = new Date(Date.UTC(y as number, (m as number) - 1, d, hh, mm));
  const off = localDay(guess, { now: guess, timeZone });
  const shift = Date.UTC(off.y, off.m - 1, off.d, off.hh, off.mm) - guess.getTime();
  return new Date(guess.getTime() - shift);
}

export class CorpusRunner {
  private constructor(
    private readonly database: Database,
    private readonly chat: ChatService,
    private readonly tasks: TaskService,
    private readonly conversations: ConversationService,
  ) {}

  static async open(model: Model, databaseUrl = 'pglite:memory'): Promise<CorpusRunner> {
    const database = await openDatabase({ databaseUrl, dataDir: '/tmp', poolMax: 5 });
    await runMigrations(database);
    const tasks = new TaskService(database.db);
    const conversations = new ConversationService(database.db);
    const chat = new ChatService({
      tasks,
      conversations,
      model: { mode: 'offline', name: 'corpus', model },
      maxTurns: 6,
    });
    // a model error ends the turn with an error event: recorded as the reply, so the case fails
    chat.onError = () => {};
    return new CorpusRunner(database, chat, tasks, conversations);
  }

  async close(): Promise<void> {
    await this.database.close();
  }

  async run(c: Case): Promise<CaseResult> {
    const tz = c.tz ?? 'UTC';
    const userId = randomUUID();
    await this.database.db
      .insert(user)
      .values({ id: userId, name: 'corpus', email: `${userId}@example.com` });
    const seed = c.seed ?? [];
    // newest first in the case: insert the last one first, a second apart
    for (let i = seed.length - 1; i >= 0; i--) {
      const t = seed[i] as CaseTask;
      await this.database.db.insert(tasksTable).values({
        userId,
        title: t.title,
        completed: t.done ?? false,
        priority: t.priority ?? 'medium',
        tags: t.tags ?? [],
        dueAt: t.due ? dueIso(t.due, tz) : null,
        createdAt: new Date(CORPUS_NOW.getTime() - (i + 1) * 60_000),
      });
    }
    const conversation = await this.conversations.create(userId, c.say[0] ?? '');
    const replies: string[] = [];
    const toolCalls: string[] = [];
    const turnMs: number[] = [];
    for (const [i, message] of c.say.entries()) {
      const started = performance.now();
      let text = '';
      let error = '';
      await this.chat.turn({
        userId,
        conversationId: conversation.id,
        message,
        newConversation: i === 0,
        signal: new AbortController().signal,
        ...(c.tz ? { timeZone: c.tz } : {}),
        emit: (e) => {
          if (e.type === 'text-delta') text += e.delta;
          if (e.type === 'tool-call') toolCalls.push(`${e.name} ${JSON.stringify(e.arguments)}`);
          if (e.type === 'error') error = e.message;
        },
      });
      turnMs.push(performance.now() - started);
      replies.push(error ? `ERROR: ${error}` : text);
    }
    const page = await this.tasks.list(userId, { status: 'all', sort: '-created', limit: 100 });
    const actual = page.items
      .map((t) =>
        norm({
          title: t.title,
          done: t.completed,
          priority: t.priority,
          due: dueOf(t.dueAt, tz),
          tags: t.tags,
        }),
      )
      .sort();
    const expected = c.expect.map(norm).sort();
    const last = replies[replies.length - 1] ?? '';
    let why: string | undefined = replies.find((r) => r.startsWith('ERROR: '));
    if (why) why = `turn failed: ${why}`;
    else if (JSON.stringify(actual) !== JSON.stringify(expected))
      why = `tasks:\n  got      ${actual.join('\n           ')}\n  expected ${expected.join('\n           ')}`;
    else if (c.reply && !last.toLowerCase().includes(c.reply.toLowerCase()))
      why = `reply ${JSON.stringify(last)} lacks ${JSON.stringify(c.reply)}`;
    return { c, ok: !why, ...(why ? { why } : {}), replies, toolCalls, turnMs };
  }
}

export interface Accuracy {
  category: Category | 'overall';
  passed: number;
  total: number;
  pct: number;
}

export function accuracy(results: readonly CaseResult[]): Accuracy[] {
  const rows: Accuracy[] = [];
  for (const category of [...CATEGORIES, 'overall' as const]) {
    const mine = category === 'overall' ? results : results.filter((r) => r.c.category === category);
    const passed = mine.filter((r) => r.ok).length;
    rows.push({
      category,
      passed,
      total: mine.length,
      pct: mine.length ? (100 * passed) / mine.length : 100,
    });
  }
  return rows;
}
