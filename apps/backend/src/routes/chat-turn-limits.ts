import { SessionResolver } from '../auth/session.js';
import type { Config } from '../config.js';
import { ProblemSchema } from '../http/problem.js';

/** The problems a chat turn can answer with, on both chat routes (429: the limit below). */
export const chatTurnProblems = {
  400: ProblemSchema,
  401: ProblemSchema,
  404: ProblemSchema,
  429: ProblemSchema,
} as const;

/**
 * The one rate limit of a chat turn, shared by /api/chat and /api/chatkit so both UIs draw on the
 * same budget: per credential (the session), falling back to the client address.
 */
export function chatTurnRateLimit(config: Config) {
  return {
    rateLimit: {
      max: config.rateLimitChatPerMinute,
      timeWindow: '1 minute',
      keyGenerator: (request: { headers: Parameters<typeof SessionResolver.credentialKey>[0]; ip: string }) =>
        SessionResolver.credentialKey(request.headers)?.slice(0, 200) ?? request.ip,
    },
  };
}
