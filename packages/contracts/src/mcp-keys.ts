import { z } from 'zod';
import { SingleLine } from './tasks.ts';

// MCP access keys: what a user hands an MCP client (an IDE, a desktop assistant) instead of a
// session. Scoped, revocable, never a session token.

/** read: list_tasks only. write: every task tool. */
export const McpKeyScope = z.enum(['read', 'write']);
export type McpKeyScope = z.infer<typeof McpKeyScope>;

export const CreateMcpKeyInput = z.strictObject({
  name: SingleLine.min(1).max(64),
  scope: McpKeyScope.default('write'),
  /** Days until the key stops working; none: until revoked. */
  expiresInDays: z.number().int().min(1).max(366).optional(),
});
export type CreateMcpKeyInput = z.infer<typeof CreateMcpKeyInput>;

export const McpKey = z
  .object({
    id: z.string(),
    name: z.string(),
    /** The first characters of the key, to tell keys apart; the key itself is shown once. */
    start: z.string().nullable(),
    scope: McpKeyScope,
    createdAt: z.string(),
    expiresAt: z.string().nullable(),
    lastUsedAt: z.string().nullable(),
  })
  .meta({ id: 'McpKey' });
export type McpKey = z.infer<typeof McpKey>;

/** The answer to a creation: the only time the secret is shown. */
export const CreatedMcpKey = McpKey.extend({ key: z.string() }).meta({ id: 'CreatedMcpKey' });
export type CreatedMcpKey = z.infer<typeof CreatedMcpKey>;

export const McpKeyList = z.object({ items: z.array(McpKey) });
export type McpKeyList = z.infer<typeof McpKeyList>;
