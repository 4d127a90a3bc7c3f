import { type NextRequest, NextResponse } from 'next/server';
import { hasSessionCookie } from '@/lib/session-cookie';

// Optimistic check only: a visitor without a session cookie goes to sign-in. The page itself validates the
// session with the backend.
export function proxy(request: NextRequest) {
  if (hasSessionCookie(request.cookies.getAll().map((c) => c.name))) return NextResponse.next();
  const url = request.nextUrl.clone();
  url.pathname = '/sign-in';
  url.search = '';
  const next = request.nextUrl.pathname + request.nextUrl.search;
  if (next !== '/') url.searchParams.set('next', next);
  return NextResponse.redirect(url);
}

export const config = {
  matcher: ['/((?!api/|_next/|sign-in|sign-up|favicon.ico|icon.svg|robots.txt).*)'],
};
