import { headers } from 'next/headers';
import { backendUrl } from './backend-url';

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
    res = await fetch(`${backendUrl()}/api/auth/get-session`, {
      headers: {
        cookie,
        accept: 'application/json',
        'x-forwarded-host': incoming.get('host') ?? '',
        'x-forwarded-proto': incoming.get('x-forwarded-proto')?.split(',')[0]?.trim() || 'http',
      },
      cache: 'no-store',
      signal: AbortSignal.timeout(5000),
    });
  } catch {
    return { kind: 'unavailable' };
  }
  if (res.status >= 500) return { kind: 'unavailable' };
  if (!res.ok) return { kind: 'signed-out' };
  const body = (await res.json().catch(() => null)) as { user?: SessionUser } | null;
  return body?.user ? { kind: 'signed-in', user: body.user } : { kind: 'signed-out' };
}
