import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: 'backend',
    include: ['test/**/*.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 180_000,
    // PGlite instances and spawned servers are heavy on a 2-core machine: one file at a time.
    fileParallelism: false,
    reporters: ['default'],
  },
});
