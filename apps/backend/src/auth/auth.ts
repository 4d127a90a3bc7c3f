import { apiKey } from '@better-auth/api-key';
import { betterAuth } from 'better-auth';
import { drizzleAdapter } from 'better-auth/adapters/drizzle';
import { APIError, createAuthMiddleware } from 'better-auth/api';
import { bearer } from 'better-auth/plugins/bearer';
import type { Db } from '../db/client.js';
import { schema } from '../db/schema.js';
import { isCommonPassword } from './common-passwords.js';
import { MCP_KEY_PREFIX } from './mcp-keys.js';

export interface AuthOptions {
  db: Db;
  secret: string;
  /** Public base URL of the auth API when known (BETTER_AUTH_URL); otherwise http://localhost:PORT. */
  baseURL: string;
  trustedOrigins: string[];
  production: boolean;
  /** Where Better Auth's own log lines go (the app's logger); silent when absent. */
  log?: AuthLog;
}

/** The part of a pino logger Better Auth's lines are written to. */
export interface AuthLog {
  debug(obj: object, msg: string): void;
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

/** A refused API key is the client's mistake, not the server's: it is logged as debug, not error. */
const QUIET = /^Failed to validate API key/;

/**
 * The origin a request was made to, as told by the frontend's proxy, which always overwrites
 * X-Forwarded-Proto and X-Forwarded-Host. A browser request is trusted when its Origin equals it.
 */
export function forwardedOrigin(headers: Headers): string | undefined {
  const proto = headers.get('x-forwarded-proto')?.split(',')[0]?.trim();
  const host = headers.get('x-forwarded-host')?.split(',')[0]?.trim();
  if (!proto || !host || !/^https?$/.test(proto) || !/^[A-Za-z0-9.\-:[\]]+$/.test(host)) return undefined;
  return `${proto}://${host}`;
}

const MIN_PASSWORD_LENGTH = 8;

/** The password a request sets, if it sets one. */
function newPassword(path: string, body: unknown): string | undefined {
  const b = (body ?? {}) as { password?: unknown; newPassword?: unknown };
  const value =
    path === '/sign-up/email' ? b.password : path === '/change-password' ? b.newPassword : undefined;
  return typeof value === 'string' ? value : undefined;
}

/**
 * Rules Better Auth has no option for: no common password, and a password change always signs out
 * every other session (a changed password is how people lock out whoever learnt the old one).
 */
const accountRules = createAuthMiddleware(async (ctx) => {
  const password = newPassword(ctx.path, ctx.body);
  // shorter ones get Better Auth's own "too short" answer
  if (password !== undefined && password.length >= MIN_PASSWORD_LENGTH && isCommonPassword(password)) {
    throw new APIError('BAD_REQUEST', {
      code: 'PASSWORD_TOO_COMMON',
      message: 'This password is one of the most common ones: choose another.',
    });
  }
  if (ctx.path === '/change-password') {
    return { context: { body: { ...(ctx.body as object), revokeOtherSessions: true } } };
  }
  return undefined;
});

export function createAuth(opts: AuthOptions) {
  return betterAuth({
    appName: 'Todo Chatbot',
    secret: opts.secret,
    baseURL: opts.baseURL,
    basePath: '/api/auth',
    database: drizzleAdapter(opts.db, {
      provider: 'pg',
      schema: {
        user: schema.user,
        session: schema.session,
        account: schema.account,
        verification: schema.verification,
        apikey: schema.apikey,
      },
    }),
    emailAndPassword: {
      enabled: true,
      autoSignIn: true,
      minPasswordLength: MIN_PASSWORD_LENGTH,
      maxPasswordLength: 128,
    },
    plugins: [
      // only signed tokens (the set-auth-token header) are accepted as bearer credentials
      bearer({ requireSignature: true }),
      // MCP access keys: created, listed and revoked through /api/mcp-keys (routes/mcp-keys.ts),
      // checked by /mcp; they open no session, so a leaked key reaches the MCP tools only
      apiKey({
        defaultPrefix: MCP_KEY_PREFIX,
        // the prefix and 4 more characters: enough to tell one's keys apart in the list, far too
        // few to guess the rest
        startingCharactersConfig: { shouldStore: true, charactersLength: MCP_KEY_PREFIX.length + 4 },
        enableSessionForAPIKeys: false,
        requireName: true,
        maximumNameLength: 64,
        keyExpiration: { defaultExpiresIn: null, maxExpiresIn: 366 },
        rateLimit: { enabled: true, timeWindow: 60_000, maxRequests: 600 },
      }),
    ],
    // The plugin's own HTTP endpoints are not exposed: /api/mcp-keys is the one door, and it sets
    // the scopes (server-only properties) itself.
    disabledPaths: [
      '/api-key/create',
      '/api-key/get',
      '/api-key/update',
      '/api-key/delete',
      '/api-key/list',
      '/api-key/delete-all-expired-api-keys',
    ],
    hooks: { before: accountRules },
    trustedOrigins: (request?: Request) => {
      const extra = request ? forwardedOrigin(request.headers) : undefined;
      return extra ? [...opts.trustedOrigins, extra] : opts.trustedOrigins;
    },
    // Rate limits are applied by the HTTP layer (per IP, per route) for every replica alike.
    rateLimit: { enabled: false },
    telemetry: { enabled: false },
    logger: {
      disabled: !opts.log,
      log: (level, message, ...args) => {
        const target = QUIET.test(message) ? 'debug' : level;
        opts.log?.[target]({ component: 'better-auth', detail: args.map(String) }, message);
      },
    },
    // Secure cookies only when the public URL is https: the Minikube NodePort is plain http.
    advanced: {
      useSecureCookies: opts.baseURL.startsWith('https://'),
      // Explicit, so the origin check also runs under NODE_ENV=test (Better Auth skips it there).
      disableOriginCheck: false,
      disableCSRFCheck: false,
    },
    session: { expiresIn: 60 * 60 * 24 * 7, updateAge: 60 * 60 * 24 },
  });
}

export type Auth = ReturnType<typeof createAuth>;
