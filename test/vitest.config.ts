import { defineConfig } from 'vitest/config';

// Each suite of the test workspace is its own vitest project, so `vitest run --project charts`
// (what `pnpm test:charts` runs) touches nothing else. Slow suites get their own timeouts.
export default defineConfig({
  test: {
    projects: [
      { test: { name: 'foundation', include: ['foundation/**/*.test.ts'] } },
      {
        test: {
          name: 'charts',
          include: ['charts/**/*.test.ts'],
          testTimeout: 120_000,
          // packages charts/todo-common into each app chart when it is missing or stale
          globalSetup: ['charts/lib/dependencies.ts'],
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['e2e/**/*.test.ts'],
          testTimeout: 180_000,
          hookTimeout: 300_000,
          // a real browser on a busy two-core machine: a UI change can take seconds, not vitest's 1 s
          expect: { poll: { timeout: 20_000, interval: 100 } },
        },
      },
      {
        test: { name: 'doors', include: ['doors/**/*.test.ts'], testTimeout: 120_000, hookTimeout: 300_000 },
      },
      {
        test: {
          name: 'containers',
          include: ['containers/**/*.test.ts'],
          testTimeout: 900_000,
          hookTimeout: 1_800_000,
          fileParallelism: false,
        },
      },
      {
        test: {
          // a real registry (distribution, built from its Go module) on loopback: images pushed
          // by the pipeline, charts as OCI artifacts, `pnpm release`, CHART_SOURCE; and the
          // helpers of the cluster phases in beyond/ (checked without a cluster)
          name: 'registry',
          include: ['registry/**/*.test.ts', 'beyond/**/*.test.ts'],
          // the suite copies and packages the charts: their todo-common must be packaged
          globalSetup: ['charts/lib/dependencies.ts'],
          testTimeout: 600_000,
          hookTimeout: 1_800_000,
          fileParallelism: false,
        },
      },
      {
        test: {
          name: 'cluster',
          include: ['cluster/**/*.test.ts'],
          testTimeout: 900_000,
          // a cold machine builds minikube and Kubernetes first (test/cluster/build.sh)
          hookTimeout: 4_200_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
