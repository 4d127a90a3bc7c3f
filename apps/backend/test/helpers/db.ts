import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { describe, it } from 'vitest';

/** The database variants every integration suite runs against. */
export interface DbVariant {
  name: 'pglite' | 'postgres';
  /** Creates a fresh, empty database and returns its DATABASE_URL and a cleanup function. */
  create(): Promise<{ url: string; drop(): Promise<void> }>;
}

const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL?.trim() || undefined;
const IN_CI = process.env.CI === 'true';

export const pglite: DbVariant = {
  name: 'pglite',
  async create() {
    return { url: 'pglite:memory', drop: async () => {} };
  },
};

const postgres = (base: string): DbVariant => ({
  name: 'postgres',
  async create() {
    const name = `todo_t_${process.pid}_${randomBytes(4).toString('hex')}`;
    const admin = new pg.Client({ connectionString: base });
    await admin.connect();
    try {
      await admin.query(`CREATE DATABASE "${name}"`);
    } finally {
      await admin.end();
    }
    const url = new URL(base);
    url.pathname = `/${name}`;
    return {
      url: url.toString(),
      async drop() {
        const c = new pg.Client({ connectionString: base });
        await c.connect();
        try {
          await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
        } finally {
          await c.end();
        }
      },
    };
  },
});

let warned = false;

/**
 * Runs `body` once per database: PGlite always, PostgreSQL when TEST_DATABASE_URL is set. Without
 * it the PostgreSQL variant is skipped loudly, except under CI=true where that is a failure.
 */
export function describeEachDb(title: string, body: (variant: DbVariant) => void): void {
  describe(`${title} [pglite]`, () => body(pglite));
  if (TEST_DATABASE_URL) {
    describe(`${title} [postgres]`, () => body(postgres(TEST_DATABASE_URL)));
  } else if (IN_CI) {
    describe(`${title} [postgres]`, () => {
      it('needs TEST_DATABASE_URL under CI', () => {
        throw new Error('TEST_DATABASE_URL is not set: under CI=true the PostgreSQL variant must run');
      });
    });
  } else {
    if (!warned) {
      warned = true;
      console.warn(
        '\n!!! TEST_DATABASE_URL is not set: the PostgreSQL variants of the backend suites are SKIPPED.\n' +
          '!!! e.g. TEST_DATABASE_URL=postgres://todo:todo@127.0.0.1:5432/todo_test pnpm --filter backend test\n',
      );
    }
    describe.skip(`${title} [postgres] (TEST_DATABASE_URL not set)`, () =>
      body(postgres('postgres://unset')));
  }
}

export const hasPostgres = () => TEST_DATABASE_URL !== undefined;
export const postgresVariant = () => (TEST_DATABASE_URL ? postgres(TEST_DATABASE_URL) : undefined);
