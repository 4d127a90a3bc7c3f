import type { ThreadMessageLike } from '@assistant-ui/react';
import type { ChatStreamEvent, Message } from '@todo/contracts';

export interface ToolPart {
  type: 'tool';
  id: string;
  name: string;
  args: Record<string, unknown>;
  result?: { ok: boolean; summary: string } | undefined;
}

export interface TextPart {
  type: 'text';
  text: string;
}

export interface ChatMessage {
  id: string;
  role: 'user' | 'assistant';
  parts: (TextPart | ToolPart)[];
  status: 'running' | 'complete' | 'error' | 'cancelled';
  error?: string | undefined;
}

let counter = 0;
export const localId = (prefix: string) => `${prefix}-${Date.now().toString(36)}-${(counter++).toString(36)}`;

export function userMessage(text: string): ChatMessage {
  return { id: localId('user'), role: 'user', parts: [{ type: 'text', text }], status: 'complete' };
}

export function pendingAssistant(): ChatMessage {
  return { id: localId('assistant'), role: 'assistant', parts: [], status: 'running' };
}

/** Folds one stream event into the assistant message being written. Pure, so it is easy to test. */
export function applyEvent(message: ChatMessage, event: ChatStreamEvent): ChatMessage {
  switch (event.type) {
    case 'text-delta': {
      const parts = [...message.parts];
      const last = parts.at(-1);
      if (last?.type === 'text') parts[parts.length - 1] = { type: 'text', text: last.text + event.delta };
      else parts.push({ type: 'text', text: event.delta });
      return { ...message, parts };
    }
    case 'tool-call':
      return {
        ...message,
        parts: [
          ...message.parts,
          { type: 'tool', id: event.id, name: event.name, args: event.arguments, result: undefined },
        ],
      };
    case 'tool-result': {
      let found = false;
      const parts = message.parts.map((part) => {
        if (part.type !== 'tool' || part.id !== event.id) return part;
        found = true;
        return { ...part, result: { ok: event.ok, summary: event.summary } };
      });
      if (!found)
        parts.push({
          type: 'tool',
          id: event.id,
          name: event.name,
          args: {},
          result: { ok: event.ok, summary: event.summary },
        });
      return { ...message, parts };
    }
    case 'done':
      return { ...message, id: event.messageId || message.id, status: 'complete' };
    case 'error':
      return { ...message, status: 'error', error: event.message || 'The assistant failed to answer.' };
    default:
      return message;
  }
}

export function fromStored(stored: Message): ChatMessage {
  const parts: ChatMessage['parts'] = stored.toolCalls.map((call, index) => ({
    type: 'tool',
    id: `${stored.id}-tool-${index}`,
    name: call.name,
    args: call.arguments,
    result: { ok: call.ok, summary: call.summary },
  }));
  if (stored.content) parts.push({ type: 'text', text: stored.content });
  return { id: stored.id, role: stored.role, parts, status: 'complete' };
}

export function messageText(message: ChatMessage): string {
  return message.parts
    .filter((p): p is TextPart => p.type === 'text')
    .map((p) => p.text)
    .join('');
}

/** Our message shape → assistant-ui's. Tool results carry `{ ok, summary }` for the chips. */
export function convertMessage(message: ChatMessage): ThreadMessageLike {
  const content = message.parts.map((part) =>
    part.type === 'text'
      ? ({ type: 'text', text: part.text } as const)
      : ({
          type: 'tool-call',
          toolCallId: part.id,
          toolName: part.name,
          args: part.args as Record<string, never>,
          result: part.result,
          isError: part.result ? !part.result.ok : undefined,
        } as const),
  );
  if (message.role === 'user') return { id: message.id, role: 'user', content };
  const status: ThreadMessageLike['status'] =
    message.status === 'running'
      ? { type: 'running' }
      : message.status === 'complete'
        ? { type: 'complete', reason: 'stop' }
        : message.status === 'cancelled'
          ? { type: 'incomplete', reason: 'cancelled' }
          : { type: 'incomplete', reason: 'error', error: message.error ?? 'error' };
  return { id: message.id, role: 'assistant', content, status };
}

const TOOL_VERBS: Record<string, string> = {
  add_task: 'Adding task',
  list_tasks: 'Looking at your tasks',
  complete_task: 'Completing task',
  update_task: 'Updating task',
  delete_task: 'Deleting task',
  reopen_task: 'Reopening task',
  complete_tasks: 'Updating tasks',
  delete_tasks: 'Checking which tasks to delete',
};

export function pendingToolLabel(name: string): string {
  return `${TOOL_VERBS[name] ?? `Running ${name}`}…`;
}
