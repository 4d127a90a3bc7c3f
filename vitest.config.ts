import { defineConfig } from 'vitest/config';

// One vitest project per workspace; `pnpm vitest` at the root runs them all, turbo runs each
// workspace's own `test` task with caching.
export default defineConfig({
  test: {
    projects: ['apps/*', 'packages/contracts', 'scripts', 'test'],
  },
});
