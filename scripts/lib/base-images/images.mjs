// @ts-check
// The registry-less stand-ins `pnpm images:base` builds, and the official images they stand in
// for (an official image that the engine has or can pull makes the stand-in unnecessary).
//
// PostgreSQL: the chart runs the official `postgres:17-bookworm` (PGDG's packages on Debian
// bookworm). Debian bookworm's own archive, backports included, has PostgreSQL 15 only; Debian
// trixie's has 17. The stand-in is built from trixie so that it runs the same major version as
// the chart's default: a data folder written by one can be opened by the other.

export const IMAGES = /** @type {const} */ ({
  node: {
    standIn: 'todo-local/node:24-bookworm-slim',
    official: 'node:24-bookworm-slim',
    suite: 'bookworm',
  },
  postgres: {
    standIn: 'todo-local/postgres:17-trixie',
    official: 'postgres:17-bookworm',
    suite: 'trixie',
    major: 17,
  },
});

/** @typedef {keyof typeof IMAGES} BaseImage */
