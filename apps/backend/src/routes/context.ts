import type { ChatService } from '../agent/chat.js';
import type { SelectedModel } from '../agent/models.js';
import type { Auth } from '../auth/auth.js';
import type { SessionResolver } from '../auth/session.js';
import type { Config } from '../config.js';
import type { Database } from '../db/client.js';
import type { ConversationService } from '../domain/conversations.js';
import type { TaskService } from '../domain/tasks.js';

/** What route plugins need, built once in buildApp. */
export interface AppContext {
  config: Config;
  database: Database;
  auth: Auth;
  sessions: SessionResolver;
  tasks: TaskService;
  conversations: ConversationService;
  chat: ChatService;
  model: SelectedModel;
  /** Open chat streams, so shutdown can wait for them. */
  openStreams: Set<Promise<void>>;
  /** Set on SIGTERM: /ready answers 503 while the server still serves. */
  shuttingDown: boolean;
}
