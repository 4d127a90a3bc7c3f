import { ChatService } from './agent/chat.js';
import { type SelectedModel, selectModel } from './agent/models.js';
import { type Auth, type AuthLog, createAuth } from './auth/auth.js';
import { McpKeyService } from './auth/mcp-keys.js';
import { Revocations } from './auth/revocations.js';
import { SessionResolver } from './auth/session.js';
import type { Config } from './config.js';
import type { Database } from './db/client.js';
import { ConversationService } from './domain/conversations.js';
import { TaskListCache } from './domain/task-list-cache.js';
import { TaskService } from './domain/tasks.js';

/** The app's dependency container: every service, built once per app and handed to the routes. */
export interface AppContext {
  config: Config;
  database: Database;
  auth: Auth;
  sessions: SessionResolver;
  /** Session revocations, told to every replica. */
  revocations: Revocations;
  mcpKeys: McpKeyService;
  tasks: TaskService;
  conversations: ConversationService;
  chat: ChatService;
  model: SelectedModel;
  /** Open chat streams, so shutdown can wait for them. */
  openStreams: Set<Promise<void>>;
  /** Set on SIGTERM: /ready answers 503 while the server still serves. */
  shuttingDown: boolean;
}

export interface ContainerOptions {
  config: Config;
  database: Database;
  authSecret: string;
  /** Override the model chosen from the environment (tests). */
  model?: SelectedModel;
  /** The app's logger, for the services that log on their own (Better Auth). */
  log?: AuthLog;
}

export function createContainer({ config, database, authSecret, model, log }: ContainerOptions): AppContext {
  const auth = createAuth({
    db: database.db,
    secret: authSecret,
    baseURL: config.betterAuthUrl ?? `http://localhost:${config.port}`,
    trustedOrigins: config.trustedOrigins,
    production: config.isProduction,
    ...(log ? { log } : {}),
  });
  const tasks = new TaskService(database.db, new TaskListCache(config.taskListCacheMb * 1024 * 1024));
  const conversations = new ConversationService(database.db);
  const selected = model ?? selectModel(config);
  const chat = new ChatService({
    tasks,
    conversations,
    model: selected,
    maxTurns: config.agentMaxTurns,
    tracing: config.tracing && selected.mode === 'openai',
  });
  const sessions = new SessionResolver(auth);
  return {
    config,
    database,
    auth,
    sessions,
    revocations: new Revocations(database, sessions),
    mcpKeys: new McpKeyService(auth, database.db),
    tasks,
    conversations,
    chat,
    model: selected,
    openStreams: new Set(),
    shuttingDown: false,
  };
}
