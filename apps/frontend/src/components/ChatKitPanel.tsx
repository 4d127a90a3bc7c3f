'use client';

import { ChatKit, useChatKit } from '@openai/chatkit-react';
import { useEffect, useSyncExternalStore } from 'react';
import { OfflineBadge } from './OfflineBadge';

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

type ColorScheme = 'light' | 'dark';

const rootColorScheme = (): ColorScheme =>
  document.documentElement.classList.contains('dark') ? 'dark' : 'light';

function subscribeToRootClass(onChange: () => void): () => void {
  const observer = new MutationObserver(onChange);
  observer.observe(document.documentElement, { attributes: true, attributeFilter: ['class'] });
  return () => observer.disconnect();
}

/** The app's colour scheme: the `dark` class that the boot script and the theme toggle set on <html>. */
function useRootColorScheme(): ColorScheme {
  return useSyncExternalStore(subscribeToRootClass, rootColorScheme, () => 'light');
}

/** OpenAI ChatKit pointed at the same-origin /api/chatkit (proxied to the backend with the session cookie). */
export function ChatKitPanel({
  domainKey,
  onTasksChanged,
  offline,
}: {
  domainKey: string;
  onTasksChanged: () => void;
  offline: boolean;
}) {
  useEffect(loadChatKitScript, []);
  const theme = useRootColorScheme();
  const { control } = useChatKit({
    api: {
      url: '/api/chatkit',
      domainKey,
      fetch: (input, init) => fetch(input, { ...init, credentials: 'same-origin' }),
    },
    // Follows the theme toggle: useChatKit hands changed options to the mounted element (setOptions),
    // so the open thread stays on screen.
    theme,
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
      {offline && (
        <header className="flex items-center border-b border-slate-200 px-3 py-2 dark:border-slate-800">
          <OfflineBadge />
        </header>
      )}
      <ChatKit control={control} className="min-h-96 w-full flex-1" />
    </section>
  );
}
