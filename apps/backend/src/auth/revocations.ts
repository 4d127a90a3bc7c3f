import type { Database } from '../db/client.js';
import type { SessionResolver } from './session.js';

/** The PostgreSQL channel every replica listens on; the payload is the user id. */
export const REVOCATION_CHANNEL = 'todo_sessions_revoked';

/**
 * Session revocations for every replica at once. A replica that revokes a user's sessions drops
 * its own cached entries and NOTIFYs the others through PostgreSQL; each replica LISTENs and drops
 * its entries too, so a revoked session stops working everywhere within a round trip instead of
 * the session cache's TTL. A notification missed while a replica's connection was down costs at
 * most that TTL (5 s), as before.
 */
export class Revocations {
  private unlisten: (() => Promise<void>) | undefined;

  constructor(
    private readonly database: Database,
    private readonly sessions: SessionResolver,
  ) {}

  async start(): Promise<void> {
    this.unlisten ??= await this.database.listen(REVOCATION_CHANNEL, (userId) =>
      this.sessions.forgetUser(userId),
    );
  }

  async stop(): Promise<void> {
    const unlisten = this.unlisten;
    this.unlisten = undefined;
    await unlisten?.();
  }

  /** After a user's sessions were revoked (the change is committed). */
  async revoked(userId: string): Promise<void> {
    this.sessions.forgetUser(userId);
    await this.database.notify(REVOCATION_CHANNEL, userId);
  }
}
