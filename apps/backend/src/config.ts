import path from 'node:path';
import { DEFAULT_MAX_MESSAGE_LENGTH } from '@todo/contracts';
import { z } from 'zod';

export class ConfigError extends Error {}

// Empty and blank values mean "not set", like an unset variable.
const optional = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v.trim()));

const list = optional.transform((v) =>
  (v ?? '')
    .split(',')
    .map((s) => s.trim().replace(/\/+$/, ''))
    .filter(Boolean),
);

const int = (fallback: number, min = 0) =>
  optional.transform((v, ctx) => {
    if (v === undefined) return fallback;
    const n = Number(v);
    if (Number.isInteger(n) && n >= min) return n;
    ctx.addIssue({ code: 'custom', message: `must be an integer ≥ ${min}, got "${v}"` });
    return z.NEVER;
  });

/** Every variable the backend reads, with its default: the one place they are defined. */
const Env = z.object({
  NODE_ENV: optional,
  PORT: int(8000),
  HOST: optional,
  DATABASE_URL: optional.refine((v) => !v || /^(postgres(ql)?:\/\/|pglite:)/.test(v), {
    message: 'must start with postgres://, postgresql:// or pglite:',
  }),
  PGHOST: optional,
  PGSSLROOTCERT: optional,
  DATA_DIR: optional,
  BETTER_AUTH_SECRET: optional,
  BETTER_AUTH_URL: optional,
  TRUSTED_ORIGINS: list,
  CORS_ORIGINS: list,
  OPENAI_API_KEY: optional,
  OPENAI_BASE_URL: optional,
  OPENAI_MODEL: optional,
  OPENAI_AGENTS_TRACING: optional,
  LOG_LEVEL: optional,
  SHUTDOWN_TIMEOUT_MS: int(10_000),
  SHUTDOWN_DELAY_MS: optional,
  RATE_LIMIT_AUTH_PER_MINUTE: int(60, 1),
  RATE_LIMIT_CHAT_PER_MINUTE: int(30, 1),
  SIGN_IN_FAILURES_PER_ACCOUNT: int(10, 1),
  TRUSTED_PROXY_HOPS: int(0),
  REQUEST_TIMEOUT_MS: int(30_000, 1),
  TASK_LIST_CACHE_MB: int(32),
  AGENT_MAX_TURNS: int(6, 1),
  CHAT_MAX_MESSAGE_LENGTH: int(DEFAULT_MAX_MESSAGE_LENGTH, 1),
  MODEL_TIMEOUT_MS: int(60_000, 1),
});

/** Everything the backend reads from the environment, parsed once at start-up. */
export interface Config {
  nodeEnv: string;
  isProduction: boolean;
  port: number;
  host: string;
  /** `postgres://…`, `pglite:memory`, `pglite:<dir>`, or undefined (PGlite in DATA_DIR, or PGHOST). */
  databaseUrl: string | undefined;
  /** True when libpq-style PG* variables select the server (DATABASE_URL unset, PGHOST set). */
  usePgEnv: boolean;
  /**
   * CA certificate file (PEM) the backend trusts for the database's TLS, libpq's PGSSLROOTCERT:
   * applied to a DATABASE_URL that names no sslrootcert itself; with no sslmode it means
   * verify-full (the chart sets it when it is given the database's CA).
   */
  databaseCaFile: string | undefined;
  dataDir: string;
  betterAuthSecret: string | undefined;
  betterAuthUrl: string | undefined;
  trustedOrigins: string[];
  corsOrigins: string[];
  openaiApiKey: string | undefined;
  openaiBaseUrl: string | undefined;
  openaiModel: string;
  /** Export agent traces to OpenAI; off unless OPENAI_AGENTS_TRACING=1 and a key is present. */
  tracing: boolean;
  logLevel: string;
  shutdownTimeoutMs: number;
  /** After SIGTERM: keep serving (but report not ready) this long, so the load balancer lets go first. */
  shutdownDelayMs: number;
  rateLimitAuthPerMinute: number;
  rateLimitChatPerMinute: number;
  /** Failed sign-ins per account (any address) within 15 minutes before it refuses attempts. */
  signInFailuresPerAccount: number;
  /**
   * How many proxies in front of the backend may set X-Forwarded-For: 0 (default) trusts none, so
   * the client address is the socket's; 1 when the frontend's proxy always sits in front (the chart
   * sets it), which replaces whatever the client sent with the address it saw.
   */
  trustedProxyHops: number;
  /** Longest time to receive a whole request (headers and body) before the socket is closed. */
  requestTimeoutMs: number;
  /** Upper bound for agent model calls in one chat turn. */
  agentMaxTurns: number;
  /** Longest accepted chat message, in characters. */
  maxMessageLength: number;
  /** Model-call timeout for remote models. */
  modelTimeoutMs: number;
  /** Memory for rendered task-list pages, in MiB (0: off). */
  taskListCacheMb: number;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = Env.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ConfigError(`${String(issue?.path[0] ?? 'configuration')} ${issue?.message ?? 'is invalid'}`);
  }
  const e = parsed.data;
  const nodeEnv = e.NODE_ENV ?? 'development';
  const isProduction = nodeEnv === 'production';
  // Kubernetes removes a terminating pod from its Service asynchronously (seconds): in production
  // keep accepting for a while before closing the listener, or new connections are refused.
  const shutdownDelayMs = int(isProduction ? 5_000 : 0).safeParse(e.SHUTDOWN_DELAY_MS);
  if (!shutdownDelayMs.success) {
    throw new ConfigError(`SHUTDOWN_DELAY_MS ${shutdownDelayMs.error.issues[0]?.message ?? 'is invalid'}`);
  }
  return {
    nodeEnv,
    isProduction,
    port: e.PORT,
    host: e.HOST ?? '0.0.0.0',
    databaseUrl: e.DATABASE_URL,
    usePgEnv: !e.DATABASE_URL && !!e.PGHOST,
    databaseCaFile: e.PGSSLROOTCERT,
    dataDir: path.resolve(e.DATA_DIR ?? './.data'),
    betterAuthSecret: e.BETTER_AUTH_SECRET,
    betterAuthUrl: e.BETTER_AUTH_URL,
    trustedOrigins: e.TRUSTED_ORIGINS,
    corsOrigins: e.CORS_ORIGINS,
    openaiApiKey: e.OPENAI_API_KEY,
    openaiBaseUrl: e.OPENAI_BASE_URL,
    openaiModel: e.OPENAI_MODEL ?? 'gpt-4.1-mini',
    tracing: e.OPENAI_AGENTS_TRACING === '1' && !!e.OPENAI_API_KEY,
    logLevel: e.LOG_LEVEL ?? 'info',
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
    shutdownDelayMs: shutdownDelayMs.data,
    rateLimitAuthPerMinute: e.RATE_LIMIT_AUTH_PER_MINUTE,
    rateLimitChatPerMinute: e.RATE_LIMIT_CHAT_PER_MINUTE,
    signInFailuresPerAccount: e.SIGN_IN_FAILURES_PER_ACCOUNT,
    trustedProxyHops: e.TRUSTED_PROXY_HOPS,
    requestTimeoutMs: e.REQUEST_TIMEOUT_MS,
    taskListCacheMb: e.TASK_LIST_CACHE_MB,
    agentMaxTurns: e.AGENT_MAX_TURNS,
    maxMessageLength: e.CHAT_MAX_MESSAGE_LENGTH,
    modelTimeoutMs: e.MODEL_TIMEOUT_MS,
  };
}
