import { randomUUID } from 'node:crypto';
import cors from '@fastify/cors';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import scalar from '@scalar/fastify-api-reference';
import Fastify, { type FastifyInstance } from 'fastify';
import {
  jsonSchemaTransform,
  jsonSchemaTransformObject,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import { ChatService } from './agent/chat.js';
import { type SelectedModel, selectModel } from './agent/models.js';
import { createAuth } from './auth/auth.js';
import { SessionResolver } from './auth/session.js';
import type { Config } from './config.js';
import type { Database } from './db/client.js';
import { ConversationService } from './domain/conversations.js';
import { TaskListCache } from './domain/task-list-cache.js';
import { TaskService } from './domain/tasks.js';
import { installErrorHandling } from './http/problem.js';
import { authRoutes } from './routes/auth.js';
import { chatRoutes } from './routes/chat.js';
import { chatkitRoutes } from './routes/chatkit.js';
import type { AppContext } from './routes/context.js';
import { conversationRoutes } from './routes/conversations.js';
import { healthRoutes } from './routes/health.js';
import { mcpRoutes } from './routes/mcp.js';
import { taskRoutes } from './routes/tasks.js';

export interface BuildAppOptions {
  config: Config;
  database: Database;
  authSecret: string;
  /** Override the model chosen from the environment (tests). */
  model?: SelectedModel;
  /** pino options, or false for silence (tests). */
  logger?: boolean | Record<string, unknown>;
}

/** Largest request body: far above any valid request, far below anything that could hurt. */
export const BODY_LIMIT = 1024 * 1024;

export async function buildApp(opts: BuildAppOptions): Promise<FastifyInstance & { ctx: AppContext }> {
  const { config, database } = opts;
  const app = Fastify({
    logger:
      opts.logger === false
        ? false
        : {
            level: config.logLevel,
            redact: ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]'],
            ...(typeof opts.logger === 'object' ? opts.logger : {}),
          },
    bodyLimit: BODY_LIMIT,
    // The backend sits behind the frontend's proxy (ClusterIP, reachable only from it).
    trustProxy: true,
    requestIdHeader: 'x-request-id',
    genReqId: () => randomUUID(),
    routerOptions: { ignoreTrailingSlash: true },
    forceCloseConnections: 'idle',
    // While draining, a request that still arrives on a kept-alive connection (the frontend proxy
    // reuses its sockets) is served, not refused with a bare 503: the pod has already left its
    // Service during SHUTDOWN_DELAY_MS, and a rolling update must not fail a single request.
    return503OnClosing: false,
  }).withTypeProvider<ZodTypeProvider>();

  // JSON only: any other body type is a 415 problem rather than a string the schemas reject.
  app.removeContentTypeParser('text/plain');
  app.setValidatorCompiler(validatorCompiler);
  // Outside production every response is checked against its zod schema (the tests run that way);
  // in production the typed domain objects are serialised directly, which is several times cheaper.
  app.setSerializerCompiler(config.isProduction ? () => (data) => JSON.stringify(data) : serializerCompiler);
  installErrorHandling(app);

  const baseURL = config.betterAuthUrl ?? `http://localhost:${config.port}`;
  const auth = createAuth({
    db: database.db,
    secret: opts.authSecret,
    baseURL,
    trustedOrigins: config.trustedOrigins,
    production: config.isProduction,
  });
  const tasks = new TaskService(database.db, new TaskListCache(config.taskListCacheMb * 1024 * 1024));
  const conversations = new ConversationService(database.db);
  const model = opts.model ?? selectModel(config);
  const chat = new ChatService({
    tasks,
    conversations,
    model,
    maxTurns: config.agentMaxTurns,
    tracing: config.tracing && model.mode === 'openai',
  });
  chat.onError = (err) => app.log.warn({ err }, 'assistant model failed');
  const ctx: AppContext = {
    config,
    database,
    auth,
    sessions: new SessionResolver(auth),
    tasks,
    conversations,
    chat,
    model,
    openStreams: new Set(),
    shuttingDown: false,
  };

  app.addHook('onSend', async (request, reply, payload) => {
    reply.header('x-request-id', request.id);
    // A strict CSP for API responses; the /docs page (inline bootstrap script) gets its own.
    if (!request.url.startsWith('/docs')) {
      reply.header('content-security-policy', "default-src 'none'; frame-ancestors 'none'");
    }
    return payload;
  });
  await app.register(helmet, {
    contentSecurityPolicy: false,
    crossOriginEmbedderPolicy: false,
    global: true,
  });
  await app.register(cors, {
    origin: config.corsOrigins.length ? config.corsOrigins : false,
    credentials: true,
    exposedHeaders: ['set-auth-token', 'x-request-id'],
  });
  await app.register(rateLimit, {
    global: false,
    errorResponseBuilder: (_request, context) => {
      const err = new Error(`rate limit exceeded, retry in ${context.after}`) as Error & {
        statusCode: number;
        code: string;
      };
      err.statusCode = 429;
      err.code = 'FST_ERR_RATE_LIMIT';
      return err;
    },
  });
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Todo chatbot API',
        version: '1.0.0',
        description:
          'Tasks, conversations and the assistant. Authentication: Better Auth under /api/auth/* (session cookie, ' +
          'or the `set-auth-token` header of sign-in as a bearer token). MCP server at /mcp (Streamable HTTP).',
      },
      components: {
        securitySchemes: {
          bearerAuth: { type: 'http', scheme: 'bearer' },
          cookieAuth: { type: 'apiKey', in: 'cookie', name: 'better-auth.session_token' },
        },
      },
    },
    transform: jsonSchemaTransform,
    transformObject: jsonSchemaTransformObject,
  });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  await app.register(scalar, {
    routePrefix: '/docs',
    configuration: { url: '/openapi.json', title: 'Todo chatbot API' },
  });

  await app.register(healthRoutes, { ctx });
  await app.register(authRoutes, { ctx });
  await app.register(taskRoutes, { ctx });
  await app.register(conversationRoutes, { ctx });
  await app.register(chatRoutes, { ctx });
  await app.register(chatkitRoutes, { ctx });
  await app.register(mcpRoutes, { ctx });

  return Object.assign(app, { ctx }) as unknown as FastifyInstance & { ctx: AppContext };
}
