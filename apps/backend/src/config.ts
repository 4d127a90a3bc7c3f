import path from 'node:path';

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
  /** Upper bound for agent model calls in one chat turn. */
  agentMaxTurns: number;
  /** Longest accepted chat message, in characters. */
  maxMessageLength: number;
  /** Model-call timeout for remote models. */
  modelTimeoutMs: number;
  /** Memory for rendered task-list pages, in MiB (0: off). */
  taskListCacheMb: number;
}

export class ConfigError extends Error {}

const list = (value: string | undefined): string[] =>
  (value ?? '')
    .split(',')
    .map((s) => s.trim().replace(/\/+$/, ''))
    .filter(Boolean);

function int(env: NodeJS.ProcessEnv, name: string, fallback: number, min = 0): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min)
    throw new ConfigError(`${name} must be an integer ≥ ${min}, got "${raw}"`);
  return n;
}

const empty = (v: string | undefined) => (v === undefined || v.trim() === '' ? undefined : v.trim());

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const nodeEnv = env.NODE_ENV ?? 'development';
  const databaseUrl = empty(env.DATABASE_URL);
  if (databaseUrl && !/^(postgres(ql)?:\/\/|pglite:)/.test(databaseUrl)) {
    throw new ConfigError('DATABASE_URL must start with postgres://, postgresql:// or pglite:');
  }
  return {
    nodeEnv,
    isProduction: nodeEnv === 'production',
    port: int(env, 'PORT', 8000),
    host: empty(env.HOST) ?? '0.0.0.0',
    databaseUrl,
    usePgEnv: !databaseUrl && !!empty(env.PGHOST),
    dataDir: path.resolve(empty(env.DATA_DIR) ?? './.data'),
    betterAuthSecret: empty(env.BETTER_AUTH_SECRET),
    betterAuthUrl: empty(env.BETTER_AUTH_URL),
    trustedOrigins: list(env.TRUSTED_ORIGINS),
    corsOrigins: list(env.CORS_ORIGINS),
    openaiApiKey: empty(env.OPENAI_API_KEY),
    openaiBaseUrl: empty(env.OPENAI_BASE_URL),
    openaiModel: empty(env.OPENAI_MODEL) ?? 'gpt-4.1-mini',
    tracing: env.OPENAI_AGENTS_TRACING === '1' && !!empty(env.OPENAI_API_KEY),
    logLevel: empty(env.LOG_LEVEL) ?? 'info',
    shutdownTimeoutMs: int(env, 'SHUTDOWN_TIMEOUT_MS', 10_000),
    // Kubernetes removes a terminating pod from its Service asynchronously (seconds): in production
    // keep accepting for a while before closing the listener, or new connections are refused.
    shutdownDelayMs: int(env, 'SHUTDOWN_DELAY_MS', nodeEnv === 'production' ? 5_000 : 0),
    rateLimitAuthPerMinute: int(env, 'RATE_LIMIT_AUTH_PER_MINUTE', 60, 1),
    rateLimitChatPerMinute: int(env, 'RATE_LIMIT_CHAT_PER_MINUTE', 30, 1),
    taskListCacheMb: int(env, 'TASK_LIST_CACHE_MB', 32),
    agentMaxTurns: int(env, 'AGENT_MAX_TURNS', 6, 1),
    maxMessageLength: int(env, 'CHAT_MAX_MESSAGE_LENGTH', 4000, 1),
    modelTimeoutMs: int(env, 'MODEL_TIMEOUT_MS', 60_000, 1),
  };
}
