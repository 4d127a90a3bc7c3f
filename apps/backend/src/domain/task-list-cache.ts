import { LRUCache } from 'lru-cache';

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
 * made through any replica is seen at once: the cache saves rendering the same page again, never
 * a database round trip.
 */
export class TaskListCache {
  private readonly entries: LRUCache<string, TaskListPage> | undefined;

  constructor(readonly maxBytes: number) {
    this.entries =
      maxBytes > 0
        ? new LRUCache<string, TaskListPage>({
            maxSize: maxBytes,
            // the body, plus the key and tag (one byte per character in V8) and some overhead
            sizeCalculation: (page, key) => key.length + page.body.length + page.etag.length + 64,
          })
        : undefined;
  }

  get enabled(): boolean {
    return this.entries !== undefined;
  }

  get size(): number {
    return this.entries?.size ?? 0;
  }

  static key(userId: string, query: object): string {
    return `${userId}\n${JSON.stringify(query)}`;
  }

  get(key: string, version: number): TaskListPage | undefined {
    const hit = this.entries?.get(key);
    if (hit && hit.version !== version) {
      this.entries?.delete(key);
      return undefined;
    }
    return hit;
  }

  set(key: string, page: TaskListPage): void {
    // LRUCache refuses (and does not store) an entry larger than maxSize on its own
    this.entries?.set(key, page);
  }
}
