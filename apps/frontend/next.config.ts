import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { NextConfig } from 'next';
import { SECURITY_HEADERS } from './src/lib/server/csp';

const here = path.dirname(fileURLToPath(import.meta.url));

const nextConfig: NextConfig = {
  output: 'standalone',
  // pnpm monorepo: trace files from the repository root so the standalone output carries every module.
  outputFileTracingRoot: path.join(here, '../..'),
  turbopack: { root: path.join(here, '../..') },
  // @todo/contracts is a workspace package published as TypeScript source: Next compiles it.
  transpilePackages: ['@todo/contracts'],
  poweredByHeader: false,
  reactStrictMode: true,
  // The backend address is read per request by the proxy (server/, BACKEND_URL); nothing is baked in here.
  // Every response Next.js sends (pages, static files, /api/healthz) is neither frameable nor sniffable.
  async headers() {
    return [{ source: '/:path*', headers: [...SECURITY_HEADERS] }];
  },
};

export default nextConfig;
