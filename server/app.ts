// The provincial API as a Fastify app: plugins for the database and repositories, one plugin per
// route, one error handler, security headers on every answer, and optionally the built PWA.
import Fastify, { type FastifyInstance } from 'fastify';
import compress from '@fastify/compress';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Kysely } from 'kysely';
import { API_PREFIX, MAX_PUSH_BYTES, PROTOCOL_VERSION } from '../core/protocol.ts';
import type { TrustProxy } from './config.ts';
import type { Database, DialectName } from './db/schema.ts';
import { admitPushes, type AdmissionOptions } from './http/admission.ts';
import { errorHandler } from './http/error-handler.ts';
import { loggerConfig, type AppLoggerOptions } from './http/logging.ts';
import { collectRoute, type DocumentedRoute } from './http/openapi.ts';
import { addSecurityHeaders } from './http/security-headers.ts';
import { limitPaths, type PathLimits } from './http/path-limits.ts';
import { resolveTimeouts, type HttpTimeouts } from './http/timeouts.ts';
import { hasAppShell, isAppNavigation, registerStaticApp, sendAppShell } from './http/static-app.ts';
import { dbPlugin } from './plugins/db.ts';
import { kekFromEnv, type KeyEncryptionKey } from './crypto/kek.ts';
import { repositoriesPlugin } from './plugins/repositories.ts';
import { statusSmsPlugin, type StatusSmsOptions } from './plugins/status-sms.ts';
import { typeboxValidatorCompiler } from './http/validator.ts';
import { changesRoute } from './routes/changes.ts';
import { formsRoute } from './routes/forms.ts';
import { healthRoute } from './routes/health.ts';
import { openApiRoute } from './routes/openapi.ts';
import { pushRoute } from './routes/push.ts';
import { resolveUploadsOptions, uploadsRoute, type UploadsOptions } from './uploads/uploads-route.ts';
import type { SubjectIndex } from './crypto/subject-index.ts';
import { retentionPlugin } from './plugins/retention.ts';
import { subjectRequestsRoute } from './routes/subject-requests.ts';
import { authPlugin, type AuthOptions } from './auth/auth-plugin.ts';
import { adminRoute } from './routes/admin.ts';
import { assignmentsRoute } from './routes/assignments.ts';
import { votersRoute } from './routes/voters.ts';
import { duplicatesRoute } from './routes/duplicates.ts';
import { auditRoute } from './routes/audit.ts';
import { authRoute } from './routes/auth.ts';
import { inboxRoute } from './routes/inbox.ts';
import { exportsRoute } from './routes/exports.ts';
import { registersRoute } from './routes/registers.ts';
import { kpiRoute } from './routes/kpi.ts';
import { sopsRoute } from './routes/sops.ts';
import { handoffPlugin, loadSealingKeys, type HandoffOptions } from './crypto/handoff-plugin.ts';

export interface AppOptions {
  db: Kysely<Database>;
  dialect: DialectName;
  /**
   * The key-encryption key for personal data at rest (server/crypto/kek.ts); main.ts passes the
   * one loadKek found. Without it JANGKAU_KEK or JANGKAU_KEK_FILE must be set.
   */
  kek?: KeyEncryptionKey;
  /** The built PWA (Vite's dist/); without it the app serves only the API. */
  staticDir?: string;
  logger?: boolean | AppLoggerOptions;
  /** Attachment uploads (tus); DATA_DIR/uploads and env limits by default. */
  uploads?: UploadsOptions;
  /** How many pushes are processed and let wait at once (http/admission.ts); defaults otherwise. */
  admission?: AdmissionOptions;
  /** Password cost and rate limits (server/auth/auth-plugin.ts); production defaults otherwise. */
  auth?: AuthOptions;
  /** Sealing keys and the SMS webhook (QR hand-off, SMS); env settings by default. */
  handoff?: HandoffOptions;
  /** Status SMS through the gateway (SMS_GATEWAY_OUTBOUND_URL); env settings by default. */
  statusSms?: StatusSmsOptions;
  /**
   * Which proxies' X-Forwarded-For to believe (TRUST_PROXY, server/config.ts), so rate limits key
   * on the real client address behind a load balancer. Off by default: a client could otherwise
   * name any address it likes and escape its limit.
   */
  trustProxy?: TrustProxy;
  /** The NIK blind index key (server/crypto/subject-index.ts); from JANGKAU_KEK by default. */
  subjectIndex?: SubjectIndex;
  /** How often the retention purge runs; PURGE_INTERVAL_HOURS (24) by default, 0: off. */
  purgeEveryMs?: number;
  /** Per-network limits of the public paths (http/path-limits.ts); defaults otherwise. */
  pathLimits?: PathLimits;
  /** Header, request, idle and keep-alive timeouts of the HTTP server (http/timeouts.ts). */
  timeouts?: Partial<HttpTimeouts>;
}

/** Bodies only go to the push route, which sets its own limit; everything else stays tiny. */
const DEFAULT_BODY_LIMIT = 16 * 1024;

export function buildApp(options: AppOptions): FastifyInstance {
  const timeouts = resolveTimeouts(options.timeouts);
  const app = Fastify({
    logger: loggerConfig(options.logger),
    // Held-open connections end on their own (http/timeouts.ts): Fastify would leave the request
    // timeout off and the idle one unset.
    connectionTimeout: timeouts.idleMs,
    requestTimeout: timeouts.requestMs,
    keepAliveTimeout: timeouts.keepAliveMs,
    http: { headersTimeout: timeouts.headersMs, connectionsCheckingInterval: timeouts.checkMs },
    bodyLimit: DEFAULT_BODY_LIMIT,
    // Reject JSON carrying __proto__ or constructor.prototype instead of silently stripping it.
    onProtoPoisoning: 'error',
    onConstructorPoisoning: 'error',
    trustProxy: options.trustProxy ?? false,
  }).withTypeProvider<TypeBoxTypeProvider>();

  app.setValidatorCompiler(typeboxValidatorCompiler);
  app.setErrorHandler(errorHandler);
  // Only JSON bodies exist in this API; text/plain would otherwise be parsed and reach handlers.
  app.removeContentTypeParser('text/plain');
  app.addHook('onSend', addSecurityHeaders);

  const documented: DocumentedRoute[] = [];
  app.addHook('onRoute', (route) => collectRoute(documented, route));

  // Answers and the app's files go out gzipped when the client takes it: on a 35 kbit/s downlink
  // the push answers, pulls and forms cost more time than the submissions going up. Request
  // bodies are ours to decode (http/gzip-body.ts, with its size limits), so that side is off.
  app.register(compress, { globalCompression: true, globalDecompression: false, encodings: ['gzip'], threshold: 1024 });
  const kek = options.kek ?? kekFromEnv();
  if (!kek) throw new Error('buildApp needs a key-encryption key: pass kek, or set JANGKAU_KEK or JANGKAU_KEK_FILE');
  app.register(dbPlugin, { db: options.db, dialect: options.dialect, kek });
  app.register(repositoriesPlugin);
  app.register(statusSmsPlugin, options.statusSms ?? {});
  const uploadsDir = resolveUploadsOptions(options.uploads ?? {}).dir;
  app.register(retentionPlugin, {
    ...(options.subjectIndex ? { subjectIndex: options.subjectIndex } : {}),
    uploadsDir,
    ...(options.purgeEveryMs !== undefined ? { purgeEveryMs: options.purgeEveryMs } : {}),
    keyStore: () => app.dataKeys,
  });
  // Before the routes: resolves officer tokens (and refuses revoked ones) on every request.
  app.register(authPlugin, options.auth ?? {});
  app.register(
    async (api) => {
      // Loaded once: officers' sealed pushes and the offline channels open with the same keys.
      const ring = await loadSealingKeys(options.handoff ?? {}, kek);
      limitPaths(api, API_PREFIX, options.pathLimits);
      admitPushes(api, `${API_PREFIX}/push`, options.admission ?? {}, MAX_PUSH_BYTES);
      await api.register(pushRoute, { ring });
      await api.register(changesRoute);
      await api.register(formsRoute);
      await api.register(healthRoute);
      await api.register(uploadsRoute, options.uploads ?? {});
      await api.register(authRoute);
      await api.register(adminRoute);
      await api.register(inboxRoute);
      await api.register(exportsRoute);
      await api.register(registersRoute);
      await api.register(assignmentsRoute);
      await api.register(votersRoute);
      await api.register(duplicatesRoute);
      await api.register(kpiRoute);
      await api.register(sopsRoute);
      await api.register(auditRoute);
      await api.register(subjectRequestsRoute, { uploadsDir });
      await api.register(handoffPlugin, { ...options.handoff, ring, kek });
      await api.register(openApiRoute, { routes: documented, version: `${PROTOCOL_VERSION}.0.0` });
    },
    { prefix: API_PREFIX },
  );

  const shell = hasAppShell(options.staticDir) ? options.staticDir : undefined;
  if (options.staticDir !== undefined) registerStaticApp(app, options.staticDir);

  app.setNotFoundHandler((request, reply) => {
    if (shell !== undefined && isAppNavigation(request)) return sendAppShell(reply);
    return reply.code(404).send({ error: 'not_found', message: 'Not found' });
  });

  return app;
}
