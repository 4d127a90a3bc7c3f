import {
  Agent,
  type AgentInputItem,
  MaxTurnsExceededError,
  RunItemStreamEvent,
  Runner,
  RunRawModelStreamEvent,
} from '@openai/agents-core';
import { type ChatStreamEvent, readToolOutput } from '@todo/contracts';
import type { MessageRow, StoredToolCall } from '../db/schema.js';
import type { ConversationService } from '../domain/conversations.js';
import type { TaskService } from '../domain/tasks.js';
import { InProcessMcpServer } from './in-process-mcp.js';
import type { SelectedModel } from './models.js';
import { isTimeZone } from './offline/dates.js';

/** One chat turn in a conversation the caller has checked belongs to `userId`. */
export interface ChatTurn {
  userId: string;
  conversationId: string;
  message: string;
  /** Receives the turn's events as they happen. */
  emit: (e: ChatStreamEvent) => void;
  /** Aborts the turn (the client went away). */
  signal: AbortSignal;
  /** The conversation was created for this turn: there is no history to read. */
  newConversation?: boolean;
  /** Ids to store the user message and the reply under (ChatKit announces them first). */
  ids?: { user?: string; reply?: string };
  /** The user's IANA time zone, when the client sent one: dates such as "tomorrow at 9" are read in it. */
  timeZone?: string;
}

export interface ChatDeps {
  tasks: TaskService;
  conversations: ConversationService;
  model: SelectedModel;
  maxTurns: number;
  historyLimit?: number;
  /** Export traces (only when configured; see selectModel). */
  tracing?: boolean;
}

const instructions = (timeZone?: string) =>
  [
    "You are the assistant of a todo app. You manage the user's tasks only through the tools provided.",
    `Today is ${new Date().toISOString().slice(0, 10)} (UTC). Use ISO 8601 date-times for dueAt.`,
    ...(timeZone ? [`The user's time zone is ${timeZone}.`] : []),
    'Deleting many tasks (delete_tasks) needs the user to agree to the preview first.',
    'To act on an existing task you need its id: call list_tasks first when you do not have it.',
    'When several tasks could match what the user said, ask which one they mean instead of guessing.',
    'Answer in short plain sentences. Never invent tasks or ids.',
  ].join('\n');

/** Replays stored messages as model input: user text, earlier tool calls with their outputs, replies. */
export function historyToItems(rows: MessageRow[]): AgentInputItem[] {
  const items: AgentInputItem[] = [];
  for (const row of rows) {
    if (row.role === 'user') {
      items.push({ role: 'user', content: row.content });
      continue;
    }
    for (const call of row.toolCalls) {
      items.push({
        type: 'function_call',
        callId: call.id,
        name: call.name,
        arguments: JSON.stringify(call.arguments),
        status: 'completed',
      });
      items.push({
        type: 'function_call_result',
        callId: call.id,
        name: call.name,
        status: 'completed',
        output: call.output ?? JSON.stringify({ ok: call.ok, summary: call.summary }),
      });
    }
    if (row.content) {
      items.push({
        role: 'assistant',
        status: 'completed',
        content: [{ type: 'output_text', text: row.content }],
      });
    }
  }
  return items;
}

function outputText(output: unknown): string {
  if (typeof output === 'string') return output;
  if (Array.isArray(output)) return output.map(outputText).join('');
  if (output && typeof output === 'object' && typeof (output as { text?: unknown }).text === 'string') {
    return (output as { text: string }).text;
  }
  return output === undefined ? '' : JSON.stringify(output);
}

export class ChatService {
  private readonly runner: Runner;

  constructor(private readonly deps: ChatDeps) {
    this.runner = new Runner({
      model: deps.model.model,
      // a disabled runner makes every trace a no-op, whatever the global switch in selectModel says
      tracingDisabled: !deps.tracing,
      traceIncludeSensitiveData: false,
    });
  }

  /** Whether this service's runs produce traces (exported only when OPENAI_AGENTS_TRACING=1). */
  get tracingEnabled(): boolean {
    return !this.runner.config.tracingDisabled;
  }

  /**
   * Runs one turn: stores the user message, runs the agent (model ↔ MCP tools ↔ database),
   * streams events through `emit` and stores the reply. Errors of the model become an `error`
   * event; the returned promise never rejects for them.
   */
  async turn(turn: ChatTurn): Promise<void> {
    const {
      userId,
      conversationId,
      message,
      emit,
      signal,
      newConversation = false,
      ids = {},
      timeZone,
    } = turn;
    const { tasks, conversations } = this.deps;
    // The route has already checked that the conversation belongs to the user; a new one is empty.
    const history = newConversation
      ? []
      : await conversations.history(userId, conversationId, this.deps.historyLimit ?? 40, true);
    const userRow = await conversations.append(userId, conversationId, {
      role: 'user',
      content: message,
      ...(ids.user ? { id: ids.user } : {}),
    });
    emit({ type: 'conversation', conversationId });

    const toolCalls: StoredToolCall[] = [];
    const byCallId = new Map<string, StoredToolCall>();
    let text = '';
    let tasksChanged = false;
    const mcp = new InProcessMcpServer({ userId, tasks, onError: (err) => this.onError?.(err) });
    let failure: { code: string; message: string } | undefined;
    try {
      await mcp.connect();
      const agent = new Agent({
        name: 'Todo assistant',
        instructions: instructions(timeZone && isTimeZone(timeZone) ? timeZone : undefined),
        mcpServers: [mcp],
        modelSettings: { parallelToolCalls: false },
      });
      const input: AgentInputItem[] = [...historyToItems(history), { role: 'user', content: message }];
      const result = await this.runner.run(agent, input, {
        stream: true,
        maxTurns: this.deps.maxTurns,
        signal,
      });
      for await (const ev of result) {
        if (ev instanceof RunRawModelStreamEvent) {
          if (ev.data.type === 'output_text_delta' && ev.data.delta) {
            text += ev.data.delta;
            emit({ type: 'text-delta', delta: ev.data.delta });
          }
        } else if (ev instanceof RunItemStreamEvent) {
          const raw = ev.item.rawItem as {
            type?: string;
            callId?: string;
            name?: string;
            arguments?: string;
          };
          if (ev.name === 'tool_called' && raw.type === 'function_call' && raw.callId) {
            let args: Record<string, unknown> = {};
            try {
              args = JSON.parse(raw.arguments || '{}');
            } catch {
              args = { _raw: raw.arguments };
            }
            const call: StoredToolCall = {
              id: raw.callId,
              name: raw.name ?? '',
              arguments: args,
              summary: '',
              ok: false,
            };
            byCallId.set(raw.callId, call);
            toolCalls.push(call);
            emit({ type: 'tool-call', id: call.id, name: call.name, arguments: args });
          } else if (ev.name === 'tool_output') {
            const rawOut = ev.item.rawItem as { callId?: string; name?: string; output?: unknown };
            const call = rawOut.callId ? byCallId.get(rawOut.callId) : undefined;
            const outText = outputText(rawOut.output ?? (ev.item as { output?: unknown }).output);
            const parsed = readToolOutput(outText);
            if (call) {
              call.ok = parsed.ok !== false;
              call.summary = parsed.summary;
              call.output = outText.slice(0, 20_000);
              if (call.ok && parsed.changed) tasksChanged = true;
              emit({ type: 'tool-result', id: call.id, name: call.name, ok: call.ok, summary: call.summary });
            }
          }
        }
      }
      await result.completed;
      if (result.error) throw result.error;
      const final = typeof result.finalOutput === 'string' ? result.finalOutput : '';
      if (!text && final) {
        text = final;
        emit({ type: 'text-delta', delta: final });
      }
    } catch (err) {
      if (signal.aborted) failure = { code: 'aborted', message: 'The request was cancelled.' };
      else if (err instanceof MaxTurnsExceededError) {
        failure = {
          code: 'max_turns',
          message: 'That took too many steps. Could you break it into smaller requests?',
        };
      } else {
        failure = {
          code: 'model_error',
          message:
            'The assistant is unavailable right now. Your tasks are safe; please try again in a moment.',
        };
      }
      (err as { failure?: unknown }).failure = failure;
      this.onError?.(err);
    } finally {
      await mcp.close().catch(() => {});
    }
    // The reply is stored after the user's message even when both happen in the same millisecond.
    const at = new Date(Math.max(Date.now(), userRow.createdAt.getTime() + 1));
    const content = failure ? text || `(${failure.message})` : text;
    const reply = await conversations.append(userId, conversationId, {
      role: 'assistant',
      content,
      toolCalls,
      at,
      ...(ids.reply ? { id: ids.reply } : {}),
    });
    if (failure) emit({ type: 'error', ...failure });
    else emit({ type: 'done', messageId: reply.id, tasksChanged });
  }

  /** Hook for logging model failures (set by the HTTP layer). */
  onError?: (err: unknown) => void;
}
