import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import type { NodePgDatabase } from 'drizzle-orm/node-postgres';
import { migrate as migrateNodePg } from 'drizzle-orm/node-postgres/migrator';
import type { PgliteDatabase } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import type { Database } from './client.js';

/**
 * `drizzle/` sits two levels above this file (`src/db/`). The esbuild bundle (`dist/server.js`, one
 * level deep) gets `'../drizzle'` instead: build.mjs rewrites the literal and fails if it changes.
 */
export const migrationsFolder = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../drizzle');

/** Arbitrary constant shared by every replica: "todo-chatbot migrations". */
const MIGRATION_LOCK_KEY = 72_707_001;

function requireMigrationsFolder(): void {
  if (!fs.existsSync(path.join(migrationsFolder, 'meta', '_journal.json'))) {
    throw new Error(`migrations folder not found at ${migrationsFolder}`);
  }
}

export async function runMigrations(database: Database): Promise<void> {
  requireMigrationsFolder();
  await database.withAdvisoryLock(MIGRATION_LOCK_KEY, async () => {
    if (database.kind === 'postgres') {
      await migrateNodePg(database.db as unknown as NodePgDatabase, { migrationsFolder });
    } else {
      await migratePglite(database.db as unknown as PgliteDatabase, { migrationsFolder });
    }
  });
}

/** Number of migrations in the folder vs. applied in the database: readiness means they match. */
export async function isMigrated(database: Database): Promise<boolean> {
  const journal = JSON.parse(
    fs.readFileSync(path.join(migrationsFolder, 'meta', '_journal.json'), 'utf8'),
  ) as {
    entries: unknown[];
  };
  // a database nobody has migrated yet has no journal table: "not migrated", not "unreachable"
  const journalTable = await database.db.execute(
    sql`SELECT to_regclass('drizzle.__drizzle_migrations') IS NOT NULL AS present`,
  );
  if (!(journalTable as unknown as { rows: { present: boolean }[] }).rows[0]?.present) return false;
  const result = await database.db.execute(sql`SELECT count(*)::int AS n FROM drizzle.__drizzle_migrations`);
  const rows = (result as unknown as { rows: { n: number }[] }).rows;
  return (rows[0]?.n ?? 0) >= journal.entries.length;
}

interface MigrationLog {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

/**
 * Runs the migrations at start-up, trying again while the database cannot be used (unreachable,
 * a wrong password, an untrusted certificate…) instead of exiting: the server serves meanwhile,
 * /ready answers 503 with the reason, and each failed attempt is logged with the reason's code in
 * `notReady` (what `pnpm diagnose` reads). Waits 1 s, 2 s, 4 s… up to `maxDelayMs` between attempts.
 * Resolves true once migrated, false when `stopped()` turns true first (shutdown).
 */
export async function migrateWhenReachable(
  database: Database,
  log: MigrationLog,
  o: { stopped: () => boolean; maxDelayMs?: number },
): Promise<boolean> {
  requireMigrationsFolder();
  let delayMs = 1_000;
  for (let attempt = 1; !o.stopped(); attempt++) {
    try {
      await runMigrations(database);
      return true;
    } catch (err) {
      if (o.stopped()) break;
      const p = database.explain(err);
      log.warn(
        { notReady: p.reason, attempt, retryInMs: delayMs },
        `database not ready: ${p.detail}; migrations are tried again in ${Math.round(delayMs / 1000)} s`,
      );
      await new Promise((r) => setTimeout(r, delayMs));
      delayMs = Math.min(delayMs * 2, o.maxDelayMs ?? 30_000);
    }
  }
  return false;
}
