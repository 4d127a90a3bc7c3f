/** Which chat UI the panel shows, from CHAT_UI and CHATKIT_DOMAIN_KEY, read per request (never at build time). */
export type ChatUi = { kind: 'builtin' } | { kind: 'chatkit'; domainKey: string };

export function chatUi(env: Record<string, string | undefined> = process.env): ChatUi {
  const mode = env.CHAT_UI?.trim().toLowerCase();
  const domainKey = env.CHATKIT_DOMAIN_KEY?.trim();
  // ChatKit cannot start without a registered domain key: fall back to the built-in panel.
  if (mode === 'chatkit' && domainKey) return { kind: 'chatkit', domainKey };
  return { kind: 'builtin' };
}
