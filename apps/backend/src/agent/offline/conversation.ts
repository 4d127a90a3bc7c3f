import type { AgentInputItem, ModelRequest } from '@openai/agents-core';

/**
 * Reads the model's input — the stored conversation replayed by the chat service, then this turn's
 * tool calls — into turns: each user message with the tool results and the reply that followed.
 * The offline model decides from this alone, so everything it needs to remember across turns (a
 * pending confirmation, a question it asked) must be readable from here.
 */

/** A task as the tools report it. */
export interface TaskView {
  n?: number;
  id: string;
  title: string;
  completed: boolean;
  priority: string;
  tags: string[];
  dueAt: string | null;
  description?: string;
}

export interface ToolResult {
  name: string;
  args: Record<string, unknown>;
  out: Record<string, unknown> & { ok?: boolean; summary?: string };
}

export interface Turn {
  userText: string;
  results: ToolResult[];
  reply: string;
}

function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) return content.map(textOf).join('');
  if (content && typeof content === 'object') {
    const c = content as { text?: unknown };
    if (typeof c.text === 'string') return c.text;
  }
  return '';
}

export function parseJson(text: string): Record<string, unknown> {
  try {
    const v = JSON.parse(text);
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
  } catch {
    return { ok: false, summary: text.slice(0, 200) };
  }
}

/** Turns of an Agents SDK input (what the chat service hands the model). */
export function readTurns(input: ModelRequest['input']): Turn[] {
  const items: AgentInputItem[] = typeof input === 'string' ? [{ role: 'user', content: input }] : input;
  const turns: Turn[] = [];
  const calls = new Map<string, { name: string; args: Record<string, unknown> }>();
  const current = () => {
    if (turns.length === 0) turns.push({ userText: '', results: [], reply: '' });
    return turns[turns.length - 1] as Turn;
  };
  for (const item of items) {
    const it = item as {
      role?: string;
      content?: unknown;
      type?: string;
      callId?: string;
      name?: string;
      arguments?: string;
      output?: unknown;
    };
    if (it.role === 'user') turns.push({ userText: textOf(it.content), results: [], reply: '' });
    else if (it.role === 'assistant') current().reply += textOf(it.content);
    else if (it.type === 'function_call' && it.callId) {
      calls.set(it.callId, { name: it.name ?? '', args: parseJson(it.arguments ?? '{}') });
    } else if (it.type === 'function_call_result' && it.callId) {
      const call = calls.get(it.callId) ?? { name: it.name ?? '', args: {} };
      current().results.push({ name: call.name, args: call.args, out: parseJson(textOf(it.output)) });
    }
  }
  return turns;
}

/** Turns of an OpenAI Chat Completions conversation (what a compatible server receives). */
export function readChatTurns(
  messages: { role: string; content?: unknown; tool_calls?: unknown[]; tool_call_id?: string }[],
): Turn[] {
  const turns: Turn[] = [];
  const calls = new Map<string, { name: string; args: Record<string, unknown> }>();
  for (const m of messages) {
    if (m.role === 'user') turns.push({ userText: textOf(m.content), results: [], reply: '' });
    const turn = turns[turns.length - 1];
    if (!turn) continue;
    if (m.role === 'assistant') {
      for (const c of (m.tool_calls ?? []) as {
        id: string;
        function: { name: string; arguments: string };
      }[]) {
        calls.set(c.id, { name: c.function.name, args: parseJson(c.function.arguments) });
      }
      turn.reply += textOf(m.content);
    } else if (m.role === 'tool' && m.tool_call_id) {
      const call = calls.get(m.tool_call_id) ?? { name: '', args: {} };
      turn.results.push({ name: call.name, args: call.args, out: parseJson(textOf(m.content)) });
    }
  }
  return turns;
}
