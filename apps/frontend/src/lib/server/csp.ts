// The pages' Content-Security-Policy: scripts only from this origin and with this response's
// nonce (Next.js puts it on its own scripts; the layout on the theme boot script), nothing framed
// and no framing of us. Built per request by src/proxy.ts. ChatKit mode (CHAT_UI=chatkit) adds
// exactly OpenAI's CDN for its web component's script and frame, nothing else.

/** Where the ChatKit web component comes from (see ChatKitPanel.tsx and docs/chatkit.md). */
export const CHATKIT_ORIGIN = 'https://cdn.platform.openai.com';

export interface CspOptions {
  nonce: string;
  /** CHAT_UI=chatkit with a domain key: the panel loads OpenAI's script and frame. */
  chatkit: boolean;
  /** `next dev`: React's dev build needs eval, Next's dev overlay inline styles, HMR a websocket. */
  dev: boolean;
}

export function contentSecurityPolicy({ nonce, chatkit, dev }: CspOptions): string {
  const thirdParty = chatkit ? [CHATKIT_ORIGIN] : [];
  const directives: Record<string, string[]> = {
    'default-src': ["'self'"],
    'script-src': ["'self'", `'nonce-${nonce}'`, ...thirdParty, ...(dev ? ["'unsafe-eval'"] : [])],
    'style-src': ["'self'", dev ? "'unsafe-inline'" : `'nonce-${nonce}'`],
    'img-src': ["'self'", 'data:', 'blob:'],
    'font-src': ["'self'"],
    'connect-src': ["'self'", ...(dev ? ['ws:', 'wss:'] : [])],
    'frame-src': thirdParty.length ? thirdParty : ["'none'"],
    'object-src': ["'none'"],
    'base-uri': ["'none'"],
    'form-action': ["'self'"],
    'frame-ancestors': ["'none'"],
  };
  return Object.entries(directives)
    .map(([name, sources]) => `${name} ${sources.join(' ')}`)
    .join('; ');
}

/** 128 random bits, base64: a fresh nonce for every page response. */
export function newNonce(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return btoa(String.fromCharCode(...bytes));
}

/** Headers every response of the frontend carries (next.config.ts); the CSP is per page (src/proxy.ts). */
export const SECURITY_HEADERS = [
  { key: 'X-Frame-Options', value: 'DENY' },
  { key: 'X-Content-Type-Options', value: 'nosniff' },
  { key: 'Referrer-Policy', value: 'strict-origin-when-cross-origin' },
] as const;
