'use client';

import type { AssistantInfo } from '@todo/contracts';
import dynamic from 'next/dynamic';
import { useCallback, useEffect, useRef, useState } from 'react';
import { api } from '@/lib/api';
import type { ChatUi } from '@/lib/server/chat-ui';
import { QueryProvider } from './QueryProvider';
import { TaskBoard } from './TaskBoard';
import { ThemeToggle } from './ThemeToggle';
import { ghostButton } from './ui';

interface User {
  name: string;
  email: string;
}

type Tab = 'tasks' | 'chat';

// The chat (assistant-ui and its dependencies) loads right after the board, outside the first-load bundle.
function ChatLoading() {
  return (
    <section
      aria-label="Assistant"
      aria-busy="true"
      className="flex h-full min-h-64 items-center justify-center rounded-2xl border border-slate-200 bg-slate-50 text-sm text-slate-600 dark:border-slate-800 dark:bg-slate-900/60 dark:text-slate-400"
    >
      Loading assistant…
    </section>
  );
}

const ChatPanel = dynamic(() => import('./ChatPanel').then((m) => m.ChatPanel), {
  ssr: false,
  loading: ChatLoading,
});

// OpenAI ChatKit (CHAT_UI=chatkit) loads only when selected, so the default bundle is unchanged.
const ChatKitPanel = dynamic(() => import('./ChatKitPanel').then((m) => m.ChatKitPanel), {
  ssr: false,
  loading: ChatLoading,
});

// The MCP keys dialog is a chunk of its own, fetched when the user first reaches for it.
const loadMcpDialog = () => import('./McpDialog');
const McpDialog = dynamic(() => loadMcpDialog().then((m) => m.McpDialog), { ssr: false });

function PlugIcon() {
  return (
    <svg
      aria-hidden="true"
      viewBox="0 0 24 24"
      width="18"
      height="18"
      fill="none"
      stroke="currentColor"
      strokeWidth="2"
      strokeLinecap="round"
      strokeLinejoin="round"
    >
      <path d="M12 22v-5M9 8V2M15 8V2M18 8v5a4 4 0 0 1-4 4h-4a4 4 0 0 1-4-4V8Z" />
    </svg>
  );
}

export function AppShell({ user, chatUi = { kind: 'builtin' } }: { user: User; chatUi?: ChatUi }) {
  const [refreshKey, setRefreshKey] = useState(0);
  const [assistant, setAssistant] = useState<AssistantInfo | null>(null);
  const [tab, setTab] = useState<Tab>('tasks');
  const [signingOut, setSigningOut] = useState(false);
  const [mcpOpen, setMcpOpen] = useState(false);
  const mcpButton = useRef<HTMLButtonElement>(null);
  const closeMcp = useCallback(() => {
    setMcpOpen(false);
    mcpButton.current?.focus();
  }, []);

  useEffect(() => {
    api
      .assistant()
      .then(setAssistant)
      .catch(() => setAssistant(null));
  }, []);

  const onTasksChanged = useCallback(() => setRefreshKey((k) => k + 1), []);

  async function signOut() {
    setSigningOut(true);
    try {
      const { authClient } = await import('@/lib/auth-client');
      await authClient().signOut();
    } finally {
      window.location.assign('/sign-in');
    }
  }

  const tabClass = (t: Tab) =>
    `flex-1 rounded-md px-3 py-1.5 text-sm font-medium focus-visible:outline-2 focus-visible:outline-indigo-600 ${
      tab === t
        ? 'bg-white text-slate-900 shadow-sm dark:bg-slate-950 dark:text-slate-100'
        : 'text-slate-700 dark:text-slate-300'
    }`;

  return (
    <QueryProvider>
      <div className="flex h-dvh flex-col">
        <a
          href="#main"
          className="sr-only focus:not-sr-only focus:absolute focus:top-2 focus:left-2 focus:z-50 focus:rounded-md focus:bg-white focus:px-3 focus:py-2 focus:text-slate-900"
        >
          Skip to content
        </a>
        <header className="flex items-center gap-3 border-b border-slate-200 bg-white px-4 py-2.5 dark:border-slate-800 dark:bg-slate-900">
          {/* biome-ignore lint/performance/noImgElement: tiny static SVG logo */}
          <img src="/icon.svg" alt="" width={28} height={28} />
          <h1 className="whitespace-nowrap text-base font-semibold tracking-tight">Todo Assistant</h1>
          <div className="ml-auto flex items-center gap-2">
            <span
              className="hidden max-w-48 truncate text-sm text-slate-600 sm:inline dark:text-slate-400"
              title={user.email}
            >
              {user.email}
            </span>
            <ThemeToggle />
            <button
              ref={mcpButton}
              type="button"
              aria-haspopup="dialog"
              onClick={() => setMcpOpen(true)}
              onPointerEnter={() => void loadMcpDialog()}
              onFocus={() => void loadMcpDialog()}
              aria-label="MCP clients"
              title="Connect an MCP client"
              className={`${ghostButton} inline-flex items-center gap-1.5 whitespace-nowrap`}
            >
              <PlugIcon />
              <span className="hidden sm:inline">MCP clients</span>
            </button>
            <button
              type="button"
              onClick={() => void signOut()}
              disabled={signingOut}
              className={`${ghostButton} whitespace-nowrap`}
            >
              {signingOut ? 'Signing out…' : 'Sign out'}
            </button>
          </div>
        </header>
        <div className="border-b border-slate-200 px-4 py-2 lg:hidden dark:border-slate-800">
          <fieldset className="flex rounded-lg bg-slate-200/70 p-0.5 dark:bg-slate-800">
            <legend className="sr-only">Show</legend>
            <button
              type="button"
              aria-pressed={tab === 'tasks'}
              aria-controls="tasks-panel"
              onClick={() => setTab('tasks')}
              className={tabClass('tasks')}
            >
              Tasks
            </button>
            <button
              type="button"
              aria-pressed={tab === 'chat'}
              aria-controls="chat-panel"
              onClick={() => setTab('chat')}
              className={tabClass('chat')}
            >
              Assistant
            </button>
          </fieldset>
        </div>
        <main
          id="main"
          className="mx-auto grid min-h-0 w-full max-w-7xl flex-1 gap-4 p-4 lg:grid-cols-[minmax(0,1fr)_26rem]"
        >
          <div
            id="tasks-panel"
            className={`min-h-0 overflow-y-auto pb-16 lg:block ${tab === 'tasks' ? 'block' : 'hidden'}`}
          >
            <TaskBoard refreshKey={refreshKey} />
          </div>
          <div id="chat-panel" className={`min-h-0 lg:block ${tab === 'chat' ? 'block' : 'hidden'}`}>
            {chatUi.kind === 'chatkit' ? (
              <ChatKitPanel
                domainKey={chatUi.domainKey}
                onTasksChanged={onTasksChanged}
                offline={assistant?.mode === 'offline'}
              />
            ) : (
              <ChatPanel onTasksChanged={onTasksChanged} offline={assistant?.mode === 'offline'} />
            )}
          </div>
        </main>
        {mcpOpen && <McpDialog onClose={closeMcp} />}
      </div>
    </QueryProvider>
  );
}
