'use client';

import type { Conversation } from '@todo/contracts';
import { useCallback, useEffect, useRef, useState } from 'react';
import { ApiError, api } from './api';
import {
  applyEvent,
  type ChatMessage,
  fromStored,
  messageText,
  pendingAssistant,
  userMessage,
} from './chat-model';
import { streamChat } from './chat-stream';

export interface ChatState {
  conversations: Conversation[];
  conversationsLoading: boolean;
  activeId: string | null;
  messages: ChatMessage[];
  isRunning: boolean;
  historyLoading: boolean;
  error: string | null;
  send: (text: string) => Promise<void>;
  cancel: () => void;
  newChat: () => void;
  switchTo: (id: string) => Promise<void>;
  remove: (id: string) => Promise<void>;
  dismissError: () => void;
}

function errorText(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  return 'The assistant could not be reached. Please try again.';
}

export function useChat(onTasksChanged: () => void): ChatState {
  const [conversations, setConversations] = useState<Conversation[]>([]);
  const [conversationsLoading, setConversationsLoading] = useState(true);
  const [activeId, setActiveId] = useState<string | null>(null);
  const [messages, setMessages] = useState<ChatMessage[]>([]);
  const [isRunning, setRunning] = useState(false);
  const [historyLoading, setHistoryLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const abortRef = useRef<AbortController | null>(null);
  const activeRef = useRef<string | null>(null);
  const tasksChangedRef = useRef(onTasksChanged);
  tasksChangedRef.current = onTasksChanged;

  const refreshConversations = useCallback(async () => {
    try {
      const { items } = await api.listConversations();
      setConversations(items);
    } catch {
      // the list is a convenience; the chat still works without it
    } finally {
      setConversationsLoading(false);
    }
  }, []);

  useEffect(() => {
    void refreshConversations();
    return () => abortRef.current?.abort();
  }, [refreshConversations]);

  const cancel = useCallback(() => {
    abortRef.current?.abort();
  }, []);

  const send = useCallback(
    async (text: string) => {
      const trimmed = text.trim();
      if (!trimmed) return;
      abortRef.current?.abort();
      const controller = new AbortController();
      abortRef.current = controller;
      const reply = pendingAssistant();
      let replyId = reply.id;
      const update = (fn: (m: ChatMessage) => ChatMessage) =>
        setMessages((all) => all.map((m) => (m.id === replyId ? fn(m) : m)));
      setMessages((all) => [...all, userMessage(trimmed), reply]);
      setRunning(true);
      setError(null);
      let changed = false;
      try {
        for await (const event of streamChat(
          { conversationId: activeRef.current ?? undefined, message: trimmed },
          controller.signal,
        )) {
          if (event.type === 'conversation') {
            if (activeRef.current !== event.conversationId) {
              activeRef.current = event.conversationId;
              setActiveId(event.conversationId);
              const now = new Date().toISOString();
              setConversations((list) =>
                list.some((c) => c.id === event.conversationId)
                  ? list
                  : [
                      {
                        id: event.conversationId,
                        title: trimmed.slice(0, 60),
                        createdAt: now,
                        updatedAt: now,
                      },
                      ...list,
                    ],
              );
            }
            continue;
          }
          const before = replyId;
          if (event.type === 'done' && event.messageId) replyId = event.messageId;
          setMessages((all) => all.map((m) => (m.id === before ? applyEvent(m, event) : m)));
          if (event.type === 'tool-result' && event.ok) {
            changed = true;
            tasksChangedRef.current();
          }
          if (event.type === 'done' && event.tasksChanged && !changed) tasksChangedRef.current();
          if (event.type === 'error') setError(event.message || 'The assistant failed to answer.');
        }
        update((m) => (m.status === 'running' ? { ...m, status: 'complete' } : m));
      } catch (err) {
        if (controller.signal.aborted) {
          update((m) => ({ ...m, status: 'cancelled' }));
        } else {
          const message = errorText(err);
          update((m) => ({ ...m, status: 'error', error: message }));
          setError(message);
        }
      } finally {
        if (abortRef.current === controller) {
          abortRef.current = null;
          setRunning(false);
        }
        void refreshConversations();
      }
    },
    [refreshConversations],
  );

  const newChat = useCallback(() => {
    abortRef.current?.abort();
    activeRef.current = null;
    setActiveId(null);
    setMessages([]);
    setError(null);
  }, []);

  const switchTo = useCallback(async (id: string) => {
    abortRef.current?.abort();
    activeRef.current = id;
    setActiveId(id);
    setMessages([]);
    setError(null);
    setHistoryLoading(true);
    try {
      const { items } = await api.listMessages(id);
      if (activeRef.current === id) setMessages(items.map(fromStored));
    } catch (err) {
      if (activeRef.current === id) setError(errorText(err));
    } finally {
      if (activeRef.current === id) setHistoryLoading(false);
    }
  }, []);

  const remove = useCallback(
    async (id: string) => {
      const previous = conversations;
      setConversations((list) => list.filter((c) => c.id !== id));
      if (activeRef.current === id) newChat();
      try {
        await api.deleteConversation(id);
      } catch (err) {
        setConversations(previous);
        setError(errorText(err));
      }
    },
    [conversations, newChat],
  );

  return {
    conversations,
    conversationsLoading,
    activeId,
    messages,
    isRunning,
    historyLoading,
    error,
    send,
    cancel,
    newChat,
    switchTo,
    remove,
    dismissError: () => setError(null),
  };
}

export { messageText };
