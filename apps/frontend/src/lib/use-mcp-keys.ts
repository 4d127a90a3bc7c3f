'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { CreatedMcpKey, CreateMcpKeyInput, McpKey } from '@todo/contracts';
import { ApiError, api } from './api';

// The MCP keys of the signed-in user on TanStack Query: one list query, a create mutation that
// hands the secret to its caller only (never to the cache), and a revoke per key. Nothing is
// optimistic: a key counts as revoked only once the server said so.

export const mcpKeyQueryKey = ['mcp-keys'] as const;

/** A created key without its secret: what the list cache may hold. */
export function withoutSecret({ key: _secret, ...rest }: CreatedMcpKey): McpKey {
  return rest;
}

export function useMcpKeyList() {
  return useQuery({
    queryKey: mcpKeyQueryKey,
    queryFn: async () => (await api.listMcpKeys()).items,
  });
}

export function useCreateMcpKey() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: CreateMcpKeyInput) => api.createMcpKey(input),
    // The answer holds the secret: drop the mutation (and its data) as soon as nobody watches it.
    gcTime: 0,
    onSuccess: (created) => {
      client.setQueryData<McpKey[]>(mcpKeyQueryKey, (list) => [
        withoutSecret(created),
        ...(list ?? []).filter((k) => k.id !== created.id),
      ]);
      void client.invalidateQueries({ queryKey: mcpKeyQueryKey });
    },
  });
}

/** `revoked`: the server revoked it now; `gone`: it was already revoked (another tab, expiry). */
export type RevokeOutcome = 'revoked' | 'gone';

export function useRevokeMcpKey() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async (key: McpKey): Promise<RevokeOutcome> => {
      try {
        await api.revokeMcpKey(key.id);
        return 'revoked';
      } catch (error) {
        if (error instanceof ApiError && error.status === 404) return 'gone';
        throw error;
      }
    },
    onSuccess: (_outcome, key) => {
      client.setQueryData<McpKey[]>(mcpKeyQueryKey, (list) => list?.filter((k) => k.id !== key.id));
      void client.invalidateQueries({ queryKey: mcpKeyQueryKey });
    },
  });
}

export const errorMessage = (error: unknown) =>
  error instanceof ApiError ? error.message : 'Something went wrong. Please try again.';

/** The API's message for one field of the create form (`body.name` → `name`), if any. */
export function fieldError(error: unknown, field: keyof CreateMcpKeyInput): string | undefined {
  if (!(error instanceof ApiError)) return undefined;
  return error.errors.find((e) => e.path === `body.${field}` || e.path === field)?.message;
}
