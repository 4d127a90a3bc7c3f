'use client';

import {
  type AppendMessage,
  AssistantRuntimeProvider,
  ComposerPrimitive,
  MessagePrimitive,
  type TextMessagePartProps,
  ThreadPrimitive,
  type ToolCallMessagePartProps,
  useExternalStoreRuntime,
} from '@assistant-ui/react';
import { useId, useState } from 'react';
import { convertMessage, pendingToolLabel } from '@/lib/chat-model';
import { type ChatState, useChat } from '@/lib/use-chat';
import { OfflineBadge } from './OfflineBadge';

const SUGGESTIONS = ['add buy milk tomorrow', 'what is on my list?', 'complete buy milk'];

function TextPart({ text }: TextMessagePartProps) {
  return <p className="whitespace-pre-wrap break-words">{text}</p>;
}

function ToolChip({ toolName, result }: ToolCallMessagePartProps) {
  const outcome = result as { ok: boolean; summary: string } | undefined;
  const base =
    'my-1 mr-1.5 inline-flex max-w-full items-center gap-1.5 rounded-full border px-2.5 py-0.5 text-xs font-medium';
  if (!outcome)
    return (
      <span
        data-testid="tool-chip"
        className={`${base} border-slate-300 bg-slate-100 text-slate-700 dark:border-slate-600 dark:bg-slate-800 dark:text-slate-200`}
      >
        <span aria-hidden="true" className="inline-block h-2 w-2 animate-pulse rounded-full bg-indigo-500" />
        {pendingToolLabel(toolName)}
      </span>
    );
  return (
    <span
      data-testid="tool-chip"
      title={toolName}
      className={
        outcome.ok
          ? `${base} border-emerald-300 bg-emerald-50 text-emerald-900 dark:border-emerald-800 dark:bg-emerald-950 dark:text-emerald-200`
          : `${base} border-red-300 bg-red-50 text-red-900 dark:border-red-800 dark:bg-red-950 dark:text-red-200`
      }
    >
      <span aria-hidden="true">{outcome.ok ? '✓' : '!'}</span>
      <span className="truncate">{outcome.summary || toolName}</span>
    </span>
  );
}

function UserMessage() {
  return (
    <MessagePrimitive.Root className="flex justify-end" data-role="user">
      <div className="max-w-[85%] rounded-2xl rounded-br-md bg-indigo-600 px-3.5 py-2 text-white">
        <span className="sr-only">You said: </span>
        <MessagePrimitive.Parts components={{ Text: TextPart }} />
      </div>
    </MessagePrimitive.Root>
  );
}

function AssistantMessage() {
  return (
    <MessagePrimitive.Root className="flex justify-start" data-role="assistant">
      <div className="max-w-[90%] rounded-2xl rounded-bl-md bg-white px-3.5 py-2 text-slate-900 shadow-sm ring-1 ring-slate-200 dark:bg-slate-800 dark:text-slate-100 dark:ring-slate-700">
        <span className="sr-only">Assistant: </span>
        <MessagePrimitive.Parts components={{ Text: TextPart, tools: { Fallback: ToolChip } }} />
        <MessagePrimitive.If last>
          <ThreadPrimitive.If running>
            <span className="inline-flex gap-1 py-1" role="status" aria-label="Assistant is typing">
              <span className="h-1.5 w-1.5 animate-bounce rounded-full bg-slate-400" />
              <span className="h-1.5 w-1.5 animate-bounce rounded-full bg-slate-400 [animation-delay:120ms]" />
              <span className="h-1.5 w-1.5 animate-bounce rounded-full bg-slate-400 [animation-delay:240ms]" />
            </span>
          </ThreadPrimitive.If>
        </MessagePrimitive.If>
        <MessagePrimitive.Error>
          <p role="alert" className="mt-1 text-sm text-red-700 dark:text-red-300">
            The reply was interrupted.
          </p>
        </MessagePrimitive.Error>
      </div>
    </MessagePrimitive.Root>
  );
}

function ConversationList({ chat, onPicked }: { chat: ChatState; onPicked: () => void }) {
  if (chat.conversationsLoading)
    return <p className="px-3 py-2 text-sm text-slate-600 dark:text-slate-400">Loading conversations…</p>;
  if (chat.conversations.length === 0)
    return <p className="px-3 py-2 text-sm text-slate-600 dark:text-slate-400">No earlier conversations.</p>;
  return (
    <ul className="max-h-56 overflow-y-auto py-1" aria-label="Conversations">
      {chat.conversations.map((c) => {
        const active = c.id === chat.activeId;
        return (
          <li key={c.id} className="group flex items-center gap-1 px-1">
            <button
              type="button"
              aria-current={active ? 'true' : undefined}
              onClick={() => {
                void chat.switchTo(c.id);
                onPicked();
              }}
              className={`min-w-0 flex-1 truncate rounded-md px-2 py-1.5 text-left text-sm hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-indigo-600 dark:hover:bg-slate-800 ${
                active
                  ? 'bg-indigo-50 font-medium text-indigo-900 dark:bg-indigo-950 dark:text-indigo-100'
                  : ''
              }`}
            >
              {c.title || 'Untitled conversation'}
            </button>
            <button
              type="button"
              onClick={() => void chat.remove(c.id)}
              aria-label={`Delete conversation “${c.title || 'Untitled'}”`}
              className="rounded-md px-2 py-1 text-slate-500 hover:bg-red-50 hover:text-red-700 focus-visible:outline-2 focus-visible:outline-indigo-600 dark:text-slate-400 dark:hover:bg-red-950 dark:hover:text-red-300"
            >
              <span aria-hidden="true">×</span>
            </button>
          </li>
        );
      })}
    </ul>
  );
}

export function ChatPanel({ onTasksChanged, offline }: { onTasksChanged: () => void; offline: boolean }) {
  const chat = useChat(onTasksChanged);
  const [showList, setShowList] = useState(false);
  const listId = useId();

  const runtime = useExternalStoreRuntime({
    messages: chat.messages,
    isRunning: chat.isRunning,
    isLoading: chat.historyLoading,
    convertMessage,
    onNew: async (message: AppendMessage) => {
      const text = message.content
        .map((part) => (part.type === 'text' ? part.text : ''))
        .join('')
        .trim();
      await chat.send(text);
    },
    onCancel: async () => chat.cancel(),
  });

  const active = chat.conversations.find((c) => c.id === chat.activeId);

  return (
    <section
      aria-labelledby="chat-heading"
      className="flex h-full min-h-0 flex-col rounded-2xl border border-slate-200 bg-slate-50 dark:border-slate-800 dark:bg-slate-900/60"
    >
      <header className="flex flex-wrap items-center gap-x-2 gap-y-1 border-b border-slate-200 px-3 py-2 dark:border-slate-800">
        <h2 id="chat-heading" className="text-base font-semibold">
          Assistant
        </h2>
        {offline && <OfflineBadge />}
        <div className="ml-auto flex items-center gap-1 whitespace-nowrap">
          <button
            type="button"
            aria-expanded={showList}
            aria-controls={listId}
            onClick={() => setShowList((v) => !v)}
            className="rounded-lg px-2 py-1 text-sm text-slate-700 hover:bg-slate-200 focus-visible:outline-2 focus-visible:outline-indigo-600 dark:text-slate-200 dark:hover:bg-slate-800"
          >
            History
          </button>
          <button
            type="button"
            onClick={() => {
              chat.newChat();
              setShowList(false);
            }}
            className="rounded-lg bg-white px-2 py-1 text-sm font-medium text-slate-800 ring-1 ring-slate-300 hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-indigo-600 dark:bg-slate-800 dark:text-slate-100 dark:ring-slate-700 dark:hover:bg-slate-700"
          >
            New chat
          </button>
        </div>
      </header>
      {showList && (
        <div id={listId} className="border-b border-slate-200 dark:border-slate-800">
          <ConversationList chat={chat} onPicked={() => setShowList(false)} />
        </div>
      )}
      {active && (
        <p className="truncate border-b border-slate-200 px-3 py-1 text-xs text-slate-600 dark:border-slate-800 dark:text-slate-400">
          {active.title}
        </p>
      )}
      <AssistantRuntimeProvider runtime={runtime}>
        <ThreadPrimitive.Root className="flex min-h-0 flex-1 flex-col">
          <ThreadPrimitive.Viewport
            className="flex min-h-0 flex-1 flex-col gap-3 overflow-y-auto px-3 py-4"
            aria-live="polite"
            aria-label="Conversation"
            role="log"
          >
            {chat.historyLoading && (
              <p className="text-center text-sm text-slate-600 dark:text-slate-400">Loading messages…</p>
            )}
            {!chat.historyLoading && chat.messages.length === 0 && (
              <div className="m-auto max-w-xs text-center">
                <p className="font-medium">Ask me to manage your tasks.</p>
                <p className="mt-1 text-sm text-slate-600 dark:text-slate-400">For example:</p>
                <ul className="mt-3 flex flex-col gap-2">
                  {SUGGESTIONS.map((s) => (
                    <li key={s}>
                      <button
                        type="button"
                        onClick={() => void chat.send(s)}
                        className="w-full rounded-full border border-slate-300 bg-white px-3 py-1.5 text-sm hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-indigo-600 dark:border-slate-700 dark:bg-slate-800 dark:hover:bg-slate-700"
                      >
                        “{s}”
                      </button>
                    </li>
                  ))}
                </ul>
              </div>
            )}
            <ThreadPrimitive.Messages components={{ UserMessage, AssistantMessage }} />
          </ThreadPrimitive.Viewport>
          {chat.error && (
            <div
              role="alert"
              className="mx-3 mb-2 flex items-start gap-2 rounded-lg border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800 dark:border-red-900 dark:bg-red-950 dark:text-red-200"
            >
              <span className="flex-1">{chat.error}</span>
              <button
                type="button"
                onClick={chat.dismissError}
                className="underline"
                aria-label="Dismiss error"
              >
                Dismiss
              </button>
            </div>
          )}
          <ComposerPrimitive.Root className="flex items-end gap-2 border-t border-slate-200 p-3 dark:border-slate-800">
            <label htmlFor="chat-input" className="sr-only">
              Message the assistant
            </label>
            <ComposerPrimitive.Input
              id="chat-input"
              rows={1}
              autoFocus={false}
              placeholder="Message the assistant…"
              className="max-h-40 min-h-10 flex-1 resize-none rounded-xl border border-slate-300 bg-white px-3 py-2 text-sm text-slate-900 placeholder:text-slate-500 focus:border-indigo-500 focus:outline-none focus:ring-2 focus:ring-indigo-500/40 dark:border-slate-700 dark:bg-slate-950 dark:text-slate-100 dark:placeholder:text-slate-400"
            />
            <ThreadPrimitive.If running={false}>
              <ComposerPrimitive.Send className="h-10 rounded-xl bg-indigo-600 px-4 text-sm font-medium text-white hover:bg-indigo-500 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600 disabled:opacity-50">
                Send
              </ComposerPrimitive.Send>
            </ThreadPrimitive.If>
            <ThreadPrimitive.If running>
              <ComposerPrimitive.Cancel className="h-10 rounded-xl bg-slate-200 px-4 text-sm font-medium text-slate-900 hover:bg-slate-300 focus-visible:outline-2 focus-visible:outline-indigo-600 dark:bg-slate-700 dark:text-slate-100">
                Stop
              </ComposerPrimitive.Cancel>
            </ThreadPrimitive.If>
          </ComposerPrimitive.Root>
        </ThreadPrimitive.Root>
      </AssistantRuntimeProvider>
    </section>
  );
}
