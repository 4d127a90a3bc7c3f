import type { CreatedMcpKey, CreateMcpKeyInput, McpKey, McpKeyScope } from '@todo/contracts';
import { and, desc, eq } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { apikey } from '../db/schema.js';
import { NotFoundError } from '../domain/errors.js';
import type { Auth } from './auth.js';

/** Every MCP key starts with this, so a leaked one is recognisable (and scannable) as ours. */
export const MCP_KEY_PREFIX = 'todo_mcp_';

const PERMISSIONS: Record<McpKeyScope, Record<string, string[]>> = {
  read: { tasks: ['read'] },
  write: { tasks: ['read', 'write'] },
};

function scopeOf(permissions: unknown): McpKeyScope {
  const p = typeof permissions === 'string' ? safeJson(permissions) : permissions;
  const tasks = (p as { tasks?: unknown } | null)?.tasks;
  return Array.isArray(tasks) && tasks.includes('write') ? 'write' : 'read';
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

const iso = (d: Date | string | null | undefined) => (d ? new Date(d).toISOString() : null);

/** Who a valid MCP key acts for, and what it may do. */
export interface McpPrincipal {
  userId: string;
  scope: McpKeyScope;
}

/**
 * MCP access keys on top of Better Auth's API-key plugin: it generates the secret and stores only
 * its hash, checks expiry and its per-key rate limit; this service sets the scope and keeps every
 * read and revocation scoped to the owner.
 */
export class McpKeyService {
  constructor(
    private readonly auth: Auth,
    private readonly db: Db,
  ) {}

  async create(userId: string, input: CreateMcpKeyInput): Promise<CreatedMcpKey> {
    const created = await this.auth.api.createApiKey({
      body: {
        userId,
        name: input.name,
        permissions: PERMISSIONS[input.scope],
        ...(input.expiresInDays ? { expiresIn: input.expiresInDays * 86_400 } : {}),
      },
    });
    return {
      id: created.id,
      name: created.name ?? input.name,
      start: created.start ?? null,
      scope: input.scope,
      createdAt: iso(created.createdAt) ?? new Date().toISOString(),
      expiresAt: iso(created.expiresAt),
      lastUsedAt: null,
      key: created.key,
    };
  }

  async list(userId: string): Promise<McpKey[]> {
    const rows = await this.db
      .select()
      .from(apikey)
      .where(eq(apikey.referenceId, userId))
      .orderBy(desc(apikey.createdAt))
      .limit(100);
    return rows.map((r) => ({
      id: r.id,
      name: r.name ?? '',
      start: r.start,
      scope: scopeOf(r.permissions),
      createdAt: r.createdAt.toISOString(),
      expiresAt: iso(r.expiresAt),
      lastUsedAt: iso(r.lastRequest),
    }));
  }

  async revoke(userId: string, id: string): Promise<void> {
    const rows = await this.db
      .delete(apikey)
      .where(and(eq(apikey.id, id), eq(apikey.referenceId, userId)))
      .returning({ id: apikey.id });
    if (rows.length === 0) throw new NotFoundError('mcp key');
  }

  /** The key's owner and scope, or null for anything that is not a valid, unexpired key of ours. */
  async verify(key: string): Promise<McpPrincipal | null> {
    if (!key.startsWith(MCP_KEY_PREFIX) || key.length > 256) return null;
    const result = await this.auth.api.verifyApiKey({ body: { key } });
    if (!result.valid || !result.key) return null;
    return { userId: result.key.referenceId, scope: scopeOf(result.key.permissions) };
  }
}
