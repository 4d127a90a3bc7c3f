import type { FastifyRequest } from 'fastify';
import type { Config } from '../config.js';

/** The problems a chat turn adds to a user route's 401, on both chat routes (429: the limit below). */
export const CHAT_TURN_PROBLEMS = [400, 404, 429] as const;

/**
 * The one rate limit of a chat turn, shared by /api/chat and /api/chatkit so both UIs draw on the
 * same budget. Keyed on the signed-in user (resolved by the user routes' first hook), so no
 * variation of the credential a client sends opens a new budget.
 */
export function chatTurnRateLimit(config: Config) {
  return {
    rateLimit: {
      max: config.rateLimitChatPerMinute,
      timeWindow: '1 minute',
      keyGenerator: (request: FastifyRequest) => `user:${request.user.id}`,
    },
  };
}
