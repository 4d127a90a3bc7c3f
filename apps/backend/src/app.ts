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
import { type AppContext, type ContainerOptions, createContainer } from './container.js';
import { requireUser } from './http/authenticate.js';
import { answerClientError, installErrorHandling } from './http/problem.js';
import { installSecurityHeaders } from './http/security-headers.js';
import { assistantRoutes } from './routes/assistant.js';
import { authRoutes } from './routes/auth.js';
import { chatRoutes } from './routes/chat.js';
import { chatkitRoutes } from './routes/chatkit.js';
import { conversationRoutes } from './routes/conversations.js';
import { healthRoutes } from './routes/health.js';
import { mcpRoutes } from './routes/mcp.js';
import { mcpKeyRoutes } from './routes/mcp-keys.js';
import { taskRoutes } from './routes/tasks.js';

export interface BuildAppOptions extends ContainerOptions {
  /** pino options, or false for silence (tests). */
  logger?: boolean | Record<string, unknown>;
}

/** Largest request body: far above any valid request, far below anything that could hurt. */
export const BODY_LIMIT = 1024 * 1024;

/** The HTTP application: Fastify, its plugins, and the route groups on top of the container. */
export async function buildApp(opts: BuildAppOptions): Promise<FastifyInstance & { ctx: AppContext }> {
  const { config } = opts;
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
    // X-Forwarded-* are believed only from the configured number of proxy hops (see Config).
    trustProxy: (_address: string, hop: number) => hop < config.trustedProxyHops,
    // A request whose headers or body never finish arriving is answered 408 and cut off (chat
    // streams are responses, not requests). Node applies it only when given at creation, and looks
    // every connectionsCheckingInterval.
    requestTimeout: config.requestTimeoutMs,
    http: {
      requestTimeout: config.requestTimeoutMs,
      connectionsCheckingInterval: Math.min(30_000, Math.max(250, Math.floor(config.requestTimeoutMs / 4))),
    },
    requestIdHeader: 'x-request-id',
    genReqId: () => randomUUID(),
    routerOptions: { ignoreTrailingSlash: true },
    forceCloseConnections: 'idle',
    // While draining, a request that still arrives on a kept-alive connection (the frontend proxy
    // reuses its sockets) is served, not refused with a bare 503: the pod has already left its
    // Service during SHUTDOWN_DELAY_MS, and a rolling update must not fail a single request.
    return503OnClosing: false,
    // errors below HTTP (a timeout, a malformed request line) as problem details, like the rest
    clientErrorHandler: answerClientError,
  }).withTypeProvider<ZodTypeProvider>();

  // JSON only: any other body type is a 415 problem rather than a string the schemas reject.
  app.removeContentTypeParser('text/plain');
  app.setValidatorCompiler(validatorCompiler);
  // Outside production every response is checked against its zod schema (the tests run that way);
  // in production the typed domain objects are serialised directly, which is several times cheaper.
  app.setSerializerCompiler(config.isProduction ? () => (data) => JSON.stringify(data) : serializerCompiler);
  installErrorHandling(app);

  const ctx = createContainer({ ...opts, log: app.log });
  ctx.chat.onError = (err) => app.log.warn({ err }, 'assistant model failed');

  installSecurityHeaders(app);
  // After SIGTERM (server.ts) the pod still serves through its shutdown delay, but no connection is
  // kept for another request: a client's next request opens a new one, which the Service sends to
  // a pod that stays.
  app.addHook('onRequest', async (_request, reply) => {
    if (ctx.shuttingDown) reply.header('connection', 'close');
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

  // Open to everyone: health, the assistant's mode, Better Auth itself; /mcp answers 401 its own way.
  await app.register(healthRoutes, { ctx });
  await app.register(assistantRoutes, { ctx });
  await app.register(authRoutes, { ctx });
  await app.register(mcpRoutes, { ctx });
  // The user routes: one session check for all of them.
  await app.register(async (userScope) => {
    requireUser(userScope, ctx.sessions);
    await userScope.register(taskRoutes, { ctx });
    await userScope.register(conversationRoutes, { ctx });
    await userScope.register(chatRoutes, { ctx });
    await userScope.register(chatkitRoutes, { ctx });
    await userScope.register(mcpKeyRoutes, { ctx });
  });
  await ctx.revocations.start();
  app.addHook('onClose', async () => ctx.revocations.stop());

  return Object.assign(app, { ctx }) as unknown as FastifyInstance & { ctx: AppContext };
}
