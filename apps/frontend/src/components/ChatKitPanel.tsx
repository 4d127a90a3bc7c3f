'use client';

import { ChatKit, useChatKit } from '@openai/chatkit-react';
import { useEffect } from 'react';

/** The ChatKit web component's script; it is not on npm and only loads from OpenAI's CDN. */
export const CHATKIT_SCRIPT_URL = 'https://cdn.platform.openai.com/deployments/chatkit/chatkit.js';

function loadChatKitScript(): void {
  if (typeof document === 'undefined' || customElements.get('openai-chatkit')) return;
  if (document.querySelector(`script[src="${CHATKIT_SCRIPT_URL}"]`)) return;
  const script = document.createElement('script');
  script.src = CHATKIT_SCRIPT_URL;
  script.async = true;
  document.head.appendChild(script);
}

/** OpenAI ChatKit pointed at the same-origin /api/chatkit (proxied to the backend with the session cookie). */
export function ChatKitPanel({
  domainKey,
  onTasksChanged,
}: {
  domainKey: string;
  onTasksChanged: () => void;
}) {
  useEffect(loadChatKitScript, []);
  const { control } = useChatKit({
    api: {
      url: '/api/chatkit',
      domainKey,
      fetch: (input, init) => fetch(input, { ...init, credentials: 'same-origin' }),
    },
    // The app's theme at mount (the panel is client-only, so the document is there).
    theme: document.documentElement.classList.contains('dark') ? 'dark' : 'light',
    history: { enabled: true, showDelete: true, showRename: true },
    startScreen: { greeting: 'What should I add to your list?' },
    composer: { placeholder: 'Message the assistant' },
    // Both the effect the backend sends when a tool changed tasks and the end of a turn refresh the board.
    onEffect: ({ name }) => {
      if (name === 'tasks.changed') onTasksChanged();
    },
    onResponseEnd: onTasksChanged,
  });
  return (
    <section
      aria-label="Assistant"
      data-testid="chatkit-panel"
      className="flex h-full min-h-96 flex-col overflow-hidden rounded-2xl border border-slate-200 dark:border-slate-800"
    >
      <ChatKit control={control} className="h-full min-h-96 w-full" />
    </section>
  );
}
