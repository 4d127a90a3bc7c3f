import path from 'node:path';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vitest/config';

const here = path.dirname(fileURLToPath(import.meta.url));
const resolve = { alias: { '@': path.join(here, 'src') } };

// Two projects: the library and server tests need no DOM and run in plain Node; the component tests run in
// jsdom, created once per worker (`vmThreads` keeps each file's modules and mocks isolated).
// Component tests render lazily loaded chunks whose first transform is slow on a busy two-core
// machine, so their limit is 30 s instead of vitest's 5 s default; none comes near it when idle.
export default defineConfig({
  test: {
    projects: [
      {
        resolve,
        test: {
          name: 'frontend:lib',
          environment: 'node',
          include: ['src/lib/**/*.test.ts', 'server/**/*.test.ts'],
        },
      },
      {
        plugins: [react()],
        resolve,
        test: {
          name: 'frontend:components',
          environment: 'jsdom',
          pool: 'vmThreads',
          include: ['src/components/**/*.test.tsx'],
          setupFiles: ['./src/test/setup.ts'],
          css: false,
          testTimeout: 30_000,
          hookTimeout: 30_000,
        },
      },
    ],
  },
});
