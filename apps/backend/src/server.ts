import { buildApp } from './app.js';
import { resolveAuthSecret } from './auth/secret.js';
import { ConfigError, loadConfig } from './config.js';
import { databaseOptions, openDatabase } from './db/client.js';
import { migrateWhenReachable } from './db/migrate.js';

/**
 * Entry point: config → database → HTTP server → migrations (under an advisory lock). The server
 * listens before the database is known to work, so a database it cannot use (unreachable, a wrong
 * password, an untrusted certificate) leaves it running but not ready: /ready says why, and the
 * migrations are tried again until they succeed — no crash loop, no restart needed once it is fixed.
 * Node may be PID 1 in a container, so SIGTERM/SIGINT are handled here: report not ready and keep
 * serving for SHUTDOWN_DELAY_MS, then stop accepting, let in-flight requests and open chat streams
 * finish up to SHUTDOWN_TIMEOUT_MS, close the pool.
 */
async function main(): Promise<void> {
  let config: ReturnType<typeof loadConfig>;
  let authSecret: string;
  try {
    config = loadConfig();
    authSecret = resolveAuthSecret(config);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`backend: configuration error: ${err.message}\n`);
      process.exit(78); // EX_CONFIG
    }
    throw err;
  }

  const database = await openDatabase(databaseOptions(config));
  const app = await buildApp({ config, database, authSecret });

  let shuttingDown = false;
  const shutdown = async (signal: string) => {
    if (shuttingDown) return;
    shuttingDown = true;
    app.ctx.shuttingDown = true;
    app.log.info(
      { signal, openStreams: app.ctx.openStreams.size, delayMs: config.shutdownDelayMs },
      'shutting down',
    );
    // Still serving, but /ready says 503: the Service drops this pod before the listener closes.
    if (config.shutdownDelayMs > 0) await new Promise((r) => setTimeout(r, config.shutdownDelayMs));
    const deadline = setTimeout(() => {
      app.log.error('shutdown deadline passed, closing remaining connections');
      app.server.closeAllConnections();
      setTimeout(() => process.exit(1), 500).unref();
    }, config.shutdownTimeoutMs);
    deadline.unref();
    try {
      // Stops accepting, waits for in-flight requests (hijacked chat streams included)...
      await Promise.all([app.close(), Promise.allSettled([...app.ctx.openStreams])]);
      await database.close();
      clearTimeout(deadline);
      process.exit(0);
    } catch (err) {
      app.log.error({ err }, 'shutdown failed');
      process.exit(1);
    }
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));

  await app.listen({ port: config.port, host: config.host });
  if (await migrateWhenReachable(database, app.log, { stopped: () => shuttingDown })) {
    app.log.info({ database: database.describe, assistant: app.ctx.model.mode }, 'database migrated');
  }
}

main().catch((err) => {
  process.stderr.write(
    `backend: failed to start: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
  );
  process.exit(1);
});
