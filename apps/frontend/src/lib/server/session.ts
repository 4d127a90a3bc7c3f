import { headers } from 'next/headers';
import { backendUrl } from './backend-url';
import { clientInfoFromHeaders } from './client-info';
import { upstreamRequestHeaders } from './forward';

export interface SessionUser {
  id: string;
  name: string;
  email: string;
}

export type SessionResult =
  | { kind: 'signed-in'; user: SessionUser }
  | { kind: 'signed-out' }
  | { kind: 'unavailable' };

/** Asks the backend who the cookie belongs to. Distinguishes "no session" from "backend unreachable". */
export async function getSession(): Promise<SessionResult> {
  const incoming = await headers();
  const cookie = incoming.get('cookie');
  if (!cookie) return { kind: 'signed-out' };
  let res: Response;
  try {
    // the same headers the proxy would send, so the backend sees the browser's host and address
    const forwarded = upstreamRequestHeaders(
      new Headers({ cookie, accept: 'application/json' }),
      clientInfoFromHeaders(incoming),
    );
    res = await fetch(`${backendUrl()}/api/auth/get-session`, {
      headers: forwarded,
      cache: 'no-store',
      signal: AbortSignal.timeout(5000),
    });
  } catch {
    return { kind: 'unavailable' };
  }
  if (res.status === 401 || res.status === 403) return { kind: 'signed-out' };
  // 5xx, 429 and anything unexpected: the session may be fine, the backend is not
  if (!res.ok) return { kind: 'unavailable' };
  const body = (await res.json().catch(() => null)) as { user?: SessionUser } | null;
  return body?.user ? { kind: 'signed-in', user: body.user } : { kind: 'signed-out' };
}
