import { betterAuth } from 'better-auth';
import { drizzleAdapter } from 'better-auth/adapters/drizzle';
import { bearer } from 'better-auth/plugins/bearer';
import type { Db } from '../db/client.js';
import { schema } from '../db/schema.js';

export interface AuthOptions {
  db: Db;
  secret: string;
  /** Public base URL of the auth API when known (BETTER_AUTH_URL); otherwise http://localhost:PORT. */
  baseURL: string;
  trustedOrigins: string[];
  production: boolean;
}

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
      },
    }),
    emailAndPassword: { enabled: true, autoSignIn: true, minPasswordLength: 8, maxPasswordLength: 128 },
    plugins: [bearer()],
    trustedOrigins: (request?: Request) => {
      const extra = request ? forwardedOrigin(request.headers) : undefined;
      return extra ? [...opts.trustedOrigins, extra] : opts.trustedOrigins;
    },
    // Rate limits are applied by the HTTP layer (per IP, per route) for every replica alike.
    rateLimit: { enabled: false },
    telemetry: { enabled: false },
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
