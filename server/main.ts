// Starts the provincial API (and the PWA, when built) in one process.
import { existsSync } from 'node:fs';
import { buildApp } from './app.ts';
import { readConfig, redactUrl } from './config.ts';
import { admissionFromEnv } from './http/admission.ts';
import { openPreparedDatabase } from './db/prepare.ts';
import { markServerRunning } from './ops/server-marker.ts';

async function main(): Promise<void> {
  const config = readConfig();
  const opened = await openPreparedDatabase({
    dataDir: config.dataDir,
    databaseUrl: config.databaseUrl,
    schema: config.databaseSchema,
    onPoolError: (err) => console.error(`PostgreSQL pool error: ${err.message}`),
  });
  // Lets `jangkau restore` refuse to swap the SQLite file under this process; removed on exit.
  if (opened.dialect === 'sqlite') markServerRunning(config.dataDir);
  const staticDir = existsSync(config.staticDir) ? config.staticDir : undefined;
  const app = buildApp({
    db: opened.db,
    dialect: opened.dialect,
    staticDir,
    logger: { level: process.env.LOG_LEVEL ?? 'info' },
    admission: admissionFromEnv(),
  });

  let closing = false;
  const shutdown = (signal: NodeJS.Signals) => {
    if (closing) return;
    closing = true;
    app.log.info(`${signal}: closing`);
    // In-flight pushes finish and commit before the database closes; new requests get 503.
    app
      .close()
      .then(() => opened.close())
      .then(
        () => process.exit(0),
        (err: unknown) => {
          console.error('Shutdown failed:', err);
          process.exit(1);
        },
      );
  };
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);

  try {
    await app.listen({
      port: config.port,
      host: config.host,
      listenTextResolver: (address) => `Jangkau API listening on ${address}`,
    });
  } catch (err) {
    await opened.close();
    throw err;
  }
  const where = config.databaseUrl ? redactUrl(config.databaseUrl) : config.dataDir;
  app.log.info(`database: ${opened.dialect} (${where}); app: ${staticDir ?? 'not built, API only'}`);
}

main().catch((err: unknown) => {
  console.error(`Jangkau API failed to start: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
