import { headers } from 'next/headers';
import { backendUrl } from '../../../server/settings';

export interface SessionUser {
  id: string;
  name: string;
  email: string;
}

export type SessionResult =
  | { kind: 'signed-in'; user: SessionUser }
  | { kind: 'signed-out' }
  | { kind: 'unavailable' };

/** The forwarding headers the edge server (server/edge.ts) decided for this request, one value each. */
const FORWARDED = ['x-forwarded-for', 'x-forwarded-proto', 'x-forwarded-host'] as const;

/** Asks the backend who the cookie belongs to. Distinguishes "no session" from "backend unreachable". */
export async function getSession(): Promise<SessionResult> {
  const incoming = await headers();
  const cookie = incoming.get('cookie');
  if (!cookie) return { kind: 'signed-out' };
  let res: Response;
  try {
    // the same client identity the proxy sends, so the backend sees the browser's host and address
    const forwarded = new Headers({ cookie, accept: 'application/json' });
    for (const name of FORWARDED) {
      const value = incoming.get(name);
      if (value) forwarded.set(name, value);
    }
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
