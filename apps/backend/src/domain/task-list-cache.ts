/** A rendered page of one user's task list, valid while their list version is unchanged. */
export interface TaskListPage {
  /** The user's list version the page was read at (task_list_versions; 0 before any change). */
  version: number;
  /** `{ items, nextCursor }` as sent, UTF-8 encoded once (not on every write to a socket). */
  body: Buffer;
  /** Strong entity tag of `body`. */
  etag: string;
}

/**
 * Least-recently-used store of rendered list pages, bounded by size. An entry is served only when
 * the version read from the database just now equals the version it was rendered at, so a change
 * made through any replica is seen at once: the cache saves PostgreSQL from rebuilding the same
 * JSON, never a database round trip.
 */
export class TaskListCache {
  private readonly entries = new Map<string, TaskListPage>();
  private bytes = 0;

  constructor(readonly maxBytes: number) {}

  get enabled(): boolean {
    return this.maxBytes > 0;
  }

  get size(): number {
    return this.entries.size;
  }

  static key(userId: string, query: object): string {
    return `${userId}\n${JSON.stringify(query)}`;
  }

  get(key: string, version: number): TaskListPage | undefined {
    const hit = this.entries.get(key);
    if (!hit) return undefined;
    if (hit.version !== version) {
      this.delete(key);
      return undefined;
    }
    // re-insert: a Map iterates in insertion order, so the first key is the least recently used
    this.entries.delete(key);
    this.entries.set(key, hit);
    return hit;
  }

  set(key: string, page: TaskListPage): void {
    const cost = TaskListCache.cost(key, page);
    if (!this.enabled || cost > this.maxBytes) return;
    this.delete(key);
    this.entries.set(key, page);
    this.bytes += cost;
    for (const [oldest] of this.entries) {
      if (this.bytes <= this.maxBytes) break;
      this.delete(oldest);
    }
  }

  private delete(key: string): void {
    const old = this.entries.get(key);
    if (!old) return;
    this.entries.delete(key);
    this.bytes -= TaskListCache.cost(key, old);
  }

  /** Approximate memory: the body, plus the key and tag (one byte per character in V8). */
  private static cost(key: string, page: TaskListPage): number {
    return key.length + page.body.length + page.etag.length + 64;
  }
}
