// Starts the provincial API (and the PWA, when built) in one process.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildApp } from './app.ts';
import { readConfig, redactUrl } from './config.ts';
import { admissionFromEnv } from './http/admission.ts';
import { pathLimitsFromEnv } from './http/path-limits.ts';
import { timeoutsFromEnv } from './http/timeouts.ts';
import type { AuthOptions } from './auth/auth-plugin.ts';
import { openPreparedDatabase } from './db/prepare.ts';
import { markServerRunning } from './ops/server-marker.ts';
import { loadAuditKey } from './crypto/audit-key.ts';
import { useAuditKey } from './repositories/audit-log.ts';

/** A whole number ≥ 1 from the environment, or undefined when unset. */
function positiveInteger(env: NodeJS.ProcessEnv, name: string): number | undefined {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${name} must be a whole number ≥ 1, got ${raw}`);
  return n;
}
import { loadKek } from './crypto/kek.ts';

/**
 * PUSH_PER_IP_PER_MINUTE overrides the per-address push limit. Carriers put many phones behind one
 * address (CGNAT), so a ferry's worth of phones may need more; the load benchmark sends 1,000
 * devices from 127.0.0.1. TOKEN_IDLE_DAYS: how long an officer's device token may go unused
 * before it expires (30 by default).
 */
function authFromEnv(env: NodeJS.ProcessEnv = process.env): AuthOptions {
  const pushMax = positiveInteger(env, 'PUSH_PER_IP_PER_MINUTE');
  const idleDays = positiveInteger(env, 'TOKEN_IDLE_DAYS');
  return {
    ...(pushMax !== undefined ? { pushPerIp: { max: pushMax, windowMs: 60_000 } } : {}),
    ...(idleDays !== undefined ? { tokenIdleMs: idleDays * 24 * 60 * 60_000 } : {}),
  };
}

/**
 * The folder holding package.json above this file: the repository when run from source, still the
 * repository when run compiled from build/server/server/main.js (npm start). The built app is
 * its dist/.
 */
function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) return process.cwd();
    dir = up;
  }
  return dir;
}

async function main(): Promise<void> {
  const config = readConfig();
  // Before the database opens: migration 014 re-keys the audit chain with it.
  useAuditKey(loadAuditKey({ dataDir: config.dataDir }));
  // Before the database opens: without a usable KEK nothing personal can be read or written.
  const kek = loadKek({ dataDir: config.dataDir });
  const opened = await openPreparedDatabase({
    dataDir: config.dataDir,
    databaseUrl: config.databaseUrl,
    schema: config.databaseSchema,
    onPoolError: (err) => console.error(`PostgreSQL pool error: ${err.message}`),
  });
  // Lets `jangkau restore` refuse to swap the SQLite file under this process; removed on exit.
  if (opened.dialect === 'sqlite') markServerRunning(config.dataDir);
  const appDir = process.env.STATIC_DIR?.trim() ? config.staticDir : join(packageRoot(), 'dist');
  const staticDir = existsSync(appDir) ? appDir : undefined;
  const app = buildApp({
    db: opened.db,
    dialect: opened.dialect,
    kek,
    staticDir,
    logger: { level: process.env.LOG_LEVEL ?? 'info' },
    admission: admissionFromEnv(),
    pathLimits: pathLimitsFromEnv(),
    timeouts: timeoutsFromEnv(),
    auth: authFromEnv(),
    trustProxy: config.trustProxy,
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
