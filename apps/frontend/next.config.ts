import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { NextConfig } from 'next';

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
  // The backend address is read per request by the proxy route (BACKEND_URL); nothing is baked in here.
};

export default nextConfig;
