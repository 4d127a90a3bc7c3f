import { QueryClient } from '@tanstack/react-query';

/**
 * The app's TanStack Query client. The board behaves as it did before the library: no automatic
 * retries (a failure is shown at once, with Retry or a message), no refetch on window focus or
 * reconnect (the board refreshes when the assistant changed tasks, or on the user's Retry).
 */
export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: { retry: false, refetchOnWindowFocus: false, refetchOnReconnect: false },
      mutations: { retry: false },
    },
  });
}
