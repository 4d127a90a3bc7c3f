import { type NextRequest, NextResponse } from 'next/server';
import { chatUi } from '@/lib/server/chat-ui';
import { contentSecurityPolicy, newNonce } from '@/lib/server/csp';
import { hasSessionCookie } from '@/lib/session-cookie';

// Runs before every page: gives the page its Content-Security-Policy with a fresh nonce (Next.js
// reads the nonce from the request's copy of the header and puts it on its scripts), and sends a
// visitor without a session cookie to sign-in (optimistic only: the page itself validates the
// session with the backend).

const PUBLIC_PAGES = ['/sign-in', '/sign-up'];

export function proxy(request: NextRequest) {
  const { pathname, search } = request.nextUrl;
  const isPublic = PUBLIC_PAGES.some((page) => pathname === page || pathname.startsWith(`${page}/`));
  if (!isPublic && !hasSessionCookie(request.cookies.getAll().map((c) => c.name))) {
    const url = request.nextUrl.clone();
    url.pathname = '/sign-in';
    url.search = '';
    const next = pathname + search;
    if (next !== '/') url.searchParams.set('next', next);
    return NextResponse.redirect(url);
  }

  const nonce = newNonce();
  const csp = contentSecurityPolicy({
    nonce,
    chatkit: chatUi().kind === 'chatkit',
    dev: process.env.NODE_ENV === 'development',
  });
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set('x-nonce', nonce);
  requestHeaders.set('content-security-policy', csp);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  response.headers.set('content-security-policy', csp);
  return response;
}

export const config = {
  // every page; not the API (the backend's answers carry their own headers), not static files
  matcher: ['/((?!api/|_next/|favicon.ico|icon.svg|robots.txt).*)'],
};
