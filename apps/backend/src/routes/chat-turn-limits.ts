import { SessionResolver } from '../auth/session.js';
import type { Config } from '../config.js';

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
