import type { NextRequest } from 'next/server';
import { backendUrl } from '@/lib/server/backend-url';
import { clientInfo } from '@/lib/server/client-info';
import { forward } from '@/lib/server/forward';

// Every /api/* request (except /api/healthz) goes to BACKEND_URL, read per request.
export const dynamic = 'force-dynamic';

function handle(request: NextRequest): Promise<Response> {
  return forward(request, backendUrl(), clientInfo(request));
}

export const GET = handle;
export const HEAD = handle;
export const POST = handle;
export const PUT = handle;
export const PATCH = handle;
export const DELETE = handle;
export const OPTIONS = handle;
