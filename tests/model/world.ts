// The system under the model test: one phone (the real Dexie storage on fake-indexeddb, the real
// sync engine, upload phase and tus client) and the real server app (buildApp on SQLite in a temp
// directory, or PostgreSQL), joined by an in-process link that can lose an answer after the server
// committed, cut an upload mid-body, or let the server's upload sweep run between a HEAD and its
// PATCH. Nothing here stands in for the code under test; it only drives it the way the screens do
// and makes the faults the world makes. Clocks are injected: no timer decides anything.
import { createHash } from 'node:crypto';
import fs, { fstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, statSync, truncateSync } from 'node:fs';
import fsp from 'node:fs/promises';
import { syncBuiltinESMExports } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { DBCore, Middleware } from 'dexie';
import { sql } from 'kysely';
import { ulid } from '../../core/ids.ts';
import type { ServerStatus } from '../../core/protocol.ts';
import { PUBLISHED_FORMS } from '../../core/forms/catalog/index.ts';
import { buildApp } from '../../server/app.ts';
import { openPreparedDatabase } from '../../server/db/prepare.ts';
import type { DialectName, OpenedDatabase } from '../../server/db/schema.ts';
import { deleteExpiredUploads } from '../../server/uploads/cleanup.ts';
import { getDeviceIdentity } from '../../src/db/device-identity.ts';
import { seedForms } from '../../src/db/forms-cache.ts';
import { JangkauDb } from '../../src/db/schema.ts';
import { createApiClient } from '../../src/lib/api-client.ts';
import { createSyncEngine, type SyncEngine, type SyncReport } from '../../src/sync/engine.ts';
import { createUploadPhase } from '../../src/sync/upload-phase.ts';
import { onUnauthorizedFor } from '../../src/sync/unauthorized.ts';
import { pullIdentities } from '../../src/sync/pull-identities.ts';
import { relinkReceipts } from '../../src/sync/relink.ts';
import { officerOrDeviceAuth } from '../../src/auth/officer-auth.ts';
import { pushIdentities, uploadIdentity } from '../../src/sync/send-identities.ts';
import { getSession } from '../../src/auth/session.ts';
import { atRestMiddleware } from '../../src/db/crypto-at-rest.ts';
import { createAccountChecked } from '../../server/auth/accounts-service.ts';
import { PASSWORD, REGION, TEST_AUTH, TEST_SCRYPT } from '../server/auth-fixtures.ts';
import { storedFile } from '../support/test-kek.ts';

export const ORIGIN = 'http://jangkau.model';
const UPLOADS_URL = `${ORIGIN}/api/v1/uploads`;
/** The server's own limit for an unfinished upload (server/config.ts: 7 days). */
export const UPLOAD_MAX_AGE_MS = 7 * 24 * 60 * 60_000;

/** What the link does to the next matching request. */
export type LinkFault =
  /** The push reaches the server and commits; its answer never comes back. */
  | { kind: 'lose-push-answer' }
  /** No request gets out at all (no signal). */
  | { kind: 'offline' }
  /** The next PATCH delivers only its first `bytes` bytes, then the signal is gone for this sync. */
  | { kind: 'cut-upload'; bytes: number }
  /** The next PATCH's answer is lost after the server stored its bytes. */
  | { kind: 'lose-upload-answer' }
  /** The server's expiry sweep runs (a week later) just before the next PATCH arrives. */
  | { kind: 'expire-before-patch' };

// ---- what reached the disk ------------------------------------------------------------------

/**
 * The size of each file as of its last fsync, learnt by watching every fsync of this process (the
 * server runs in it): a power cut keeps no more of a file than that (powerCut below). Linux names
 * an open descriptor's file in /proc/self/fd.
 */
const syncedSizes = new Map<string, number>();

function noteSync(fd: number): void {
  try {
    const path = readlinkSync(`/proc/self/fd/${fd}`);
    const info = fstatSync(fd);
    if (info.isFile()) syncedSizes.set(path, info.size);
  } catch {
    // A descriptor gone meanwhile: nothing to note.
  }
}

function watchFsyncs(): void {
  const fsAny = fs as unknown as Record<string, (...a: unknown[]) => unknown>;
  for (const name of ['fsync', 'fdatasync'] as const) {
    const original = fsAny[name]!;
    fsAny[name] = (fd: unknown, ...rest: unknown[]) => {
      const cb = rest[0] as ((e: unknown) => void) | undefined;
      return original(fd, (error: unknown) => {
        if (!error) noteSync(fd as number);
        cb?.(error);
      });
    };
    const syncName = `${name}Sync`;
    const originalSync = fsAny[syncName]!;
    fsAny[syncName] = (fd: unknown) => {
      const out = originalSync(fd);
      noteSync(fd as number);
      return out;
    };
  }
  syncBuiltinESMExports();
}
watchFsyncs();
const probe = await fsp.open(import.meta.filename, 'r');
const handleProto = Object.getPrototypeOf(probe) as { sync: () => Promise<void>; datasync: () => Promise<void> };
await probe.close();
for (const name of ['sync', 'datasync'] as const) {
  const original = handleProto[name];
  handleProto[name] = async function (this: { fd: number }) {
    await original.call(this);
    noteSync(this.fd);
  };
}

/**
 * A power cut on the server's machine: each upload file keeps only the bytes its last fsync made
 * durable (none, if it was never synced). The database rows are safe (synchronous=FULL).
 */
export function powerCut(s: ModelServer): number {
  let lost = 0;
  for (const name of readdirSync(s.uploadsDir)) {
    if (name.endsWith('.json')) continue;
    const path = join(s.uploadsDir, name);
    const size = statSync(path).size;
    const durable = syncedSizes.get(path) ?? 0;
    if (size > durable) {
      truncateSync(path, durable);
      lost++;
    }
  }
  return lost;
}

// ---- the server ------------------------------------------------------------------------------

export interface ModelServer {
  readonly dialect: DialectName;
  app: FastifyInstance;
  opened: OpenedDatabase;
  readonly dataDir: string;
  readonly uploadsDir: string;
  readonly schema?: string;
  readonly pgUrl?: string;
  restarts: number;
  /** A pantarlih of one village, who logs in on the model's phones. */
  readonly officer: { username: string; password: string; village: string };
}

async function openApp(s: Pick<ModelServer, 'dialect' | 'dataDir' | 'uploadsDir' | 'schema' | 'pgUrl'>) {
  const opened = await openPreparedDatabase(
    s.dialect === 'postgres' ? { dataDir: s.dataDir, databaseUrl: s.pgUrl, schema: s.schema } : { dataDir: s.dataDir },
  );
  const app = buildApp({
    db: opened.db,
    dialect: opened.dialect,
    logger: false,
    auth: TEST_AUTH,
    uploads: { dir: s.uploadsDir, maxBytes: 1024 * 1024, sweepEveryMs: 0 },
    handoff: { keysDir: join(s.dataDir, 'keys') },
  });
  await app.ready();
  return { app, opened };
}

export async function openModelServer(dialect: DialectName, pgUrl?: string): Promise<ModelServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'jangkau-model-'));
  const uploadsDir = join(dataDir, 'uploads');
  mkdirSync(uploadsDir, { recursive: true });
  const schema = dialect === 'postgres' ? `m_${randomBytes(6).toString('hex')}` : undefined;
  const base = { dialect, dataDir, uploadsDir, ...(schema ? { schema } : {}), ...(pgUrl ? { pgUrl } : {}) };
  const { app, opened } = await openApp(base);
  const officer = { username: `pantarlih-${randomBytes(3).toString('hex')}`, password: PASSWORD, village: REGION.village };
  const made = await createAccountChecked(
    opened.db,
    opened.dialect,
    { username: officer.username, password: PASSWORD, role: 'pantarlih', scope: REGION.village, displayName: 'Pantarlih Model' },
    { actorId: 'model', actorRole: 'model' },
    TEST_SCRYPT,
  );
  if (!made.ok) throw new Error(`officer account not made: ${made.error}`);
  return { ...base, app, opened, restarts: 0, officer };
}

/**
 * Stops the server and starts it again on the same data. Graceful: the app closes (its hooks
 * run) before the database. Killed (SIGKILL's equivalent in one process): the database handle is
 * dropped with no hook run first, as a dead process drops it; the old app is then closed
 * only so the test process does not keep its resources.
 */
export async function restartServer(s: ModelServer, graceful: boolean): Promise<void> {
  const { app, opened } = s;
  if (graceful) {
    await app.close();
    await opened.close();
  } else {
    await opened.close();
    await app.close().catch(() => undefined);
  }
  const next = await openApp(s);
  s.app = next.app;
  s.opened = next.opened;
  s.restarts++;
}

export async function closeModelServer(s: ModelServer): Promise<void> {
  await s.app.close();
  if (s.schema) await sql`drop schema if exists ${sql.id(s.schema)} cascade`.execute(s.opened.db);
  await s.opened.close();
  rmSync(s.dataDir, { recursive: true, force: true });
}

/** How many rows the server holds for `id` (the promise: never more than one). */
export async function storedCount(s: ModelServer, id: string): Promise<number> {
  const row = await s.opened.db
    .selectFrom('submissions')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function serverStatus(s: ModelServer, id: string): Promise<ServerStatus | undefined> {
  const row = await s.opened.db.selectFrom('submissions').select('status').where('id', '=', id).executeTakeFirst();
  return row?.status as ServerStatus | undefined;
}

/** True when the server holds every byte of the file named `sha256` (its bytes hash to its name). */
export async function serverHoldsFile(s: ModelServer, sha256: string): Promise<boolean> {
  const path = join(s.uploadsDir, sha256);
  try {
    const info = JSON.parse(readFileSync(`${path}.json`, 'utf8')) as { size?: number };
    // Finished files are stored sealed (encryption at rest): opened with the test KEK, a torn or
    // altered one fails to open.
    const plain = await storedFile(s.opened.db, s.uploadsDir, sha256);
    return plain.length === info.size && createHash('sha256').update(plain).digest('hex') === sha256;
  } catch {
    return false;
  }
}

/** The server's upload sweep as it would run `laterMs` from now. */
export function sweepUploads(s: ModelServer, laterMs: number): Promise<string[]> {
  return deleteExpiredUploads(s.uploadsDir, UPLOAD_MAX_AGE_MS, new Date(Date.now() + laterMs));
}

// ---- the link --------------------------------------------------------------------------------

export interface Link {
  faults: LinkFault[];
  /** No signal at all until the next sync (set by a cut: the window closed mid-upload). */
  down: boolean;
  /** Requests that reached the server, by kind: for the reports. */
  delivered: number;
  fetch: typeof fetch;
}

export function createLink(server: ModelServer): Link {
  const link: Link = {
    faults: [],
    down: false,
    delivered: 0,
    fetch: (async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
      const request = new Request(input, init);
      const url = new URL(request.url);
      const method = request.method;
      const take = (match: (f: LinkFault) => boolean): LinkFault | undefined => {
        const i = link.faults.findIndex(match);
        return i === -1 ? undefined : link.faults.splice(i, 1)[0];
      };
      if (link.down || take((f) => f.kind === 'offline')) throw new TypeError('fetch failed: offline');
      const isPush = method === 'POST' && url.pathname.endsWith('/push');
      const isPatch = method === 'PATCH';
      const fault = isPush ? take((f) => f.kind === 'lose-push-answer') : isPatch ? take((f) => f.kind !== 'lose-push-answer') : undefined;
      const headers: Record<string, string> = {};
      request.headers.forEach((v, k) => {
        // The answer is built below without fetch's decoding: ask for it plain.
        if (k !== 'accept-encoding') headers[k] = v;
      });
      let body = method === 'GET' || method === 'HEAD' ? undefined : Buffer.from(await request.arrayBuffer());
      if (fault?.kind === 'expire-before-patch') await sweepUploads(server, UPLOAD_MAX_AGE_MS + 24 * 60 * 60_000);
      if (fault?.kind === 'cut-upload' && body) body = body.subarray(0, Math.min(fault.bytes, Math.max(0, body.length - 1)));
      const res = await server.app.inject({
        method: method as 'GET',
        url: url.pathname + url.search,
        headers,
        ...(body ? { payload: body } : {}),
      });
      link.delivered++;
      if (fault?.kind === 'cut-upload') link.down = true;
      if (fault && fault.kind !== 'expire-before-patch') throw new TypeError(`connection reset (${fault.kind})`);
      const out = new Headers();
      for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) out.set(k, String(v));
      const nullBody = method === 'HEAD' || res.statusCode === 204 || res.statusCode === 304;
      return new Response(nullBody ? null : new Uint8Array(res.rawPayload), { status: res.statusCode, headers: out });
    }) as typeof fetch,
  };
  return link;
}

// ---- the phone -------------------------------------------------------------------------------

export interface Clock {
  now: number;
}

/** A full disk: writes that add data fail as the browser fails them; deletes go through. */
export interface Quota {
  full: boolean;
}

function quotaMiddleware(quota: Quota): Middleware<DBCore> {
  return {
    stack: 'dbcore',
    name: 'model-quota',
    create: (down) => ({
      ...down,
      table: (name) => {
        const table = down.table(name);
        return {
          ...table,
          mutate: (req) => {
            // An attachment's put drops bytes or records progress: it frees space or costs none.
            if (quota.full && (req.type === 'add' || req.type === 'put') && name !== 'attachments') {
              return Promise.reject(new DOMException('The quota has been exceeded.', 'QuotaExceededError'));
            }
            return table.mutate(req);
          },
        };
      },
    }),
  };
}

export interface Phone {
  db: JangkauDb;
  engine: SyncEngine;
  readonly name: string;
  reports: SyncReport[];
  deviceId(): Promise<string>;
}

/** Opens (or reopens, after an app restart) the phone's database and builds its engine as the app does. */
export async function openPhone(name: string, link: Link, clock: Clock, quota: Quota, seedForms_ = true): Promise<Phone> {
  // As the app opens it (src/db/open-db.ts): sealed at rest once an officer's PIN unlocks the codec.
  const db = new JangkauDb(name).use(atRestMiddleware).use(quotaMiddleware(quota)) as JangkauDb;
  await db.open();
  if (seedForms_) await seedForms(db, PUBLISHED_FORMS);
  // Wired as src/sync/device-engine.ts wires the app's engine (which is bound to the app's one database).
  const getAuth = officerOrDeviceAuth(db);
  const api = createApiClient({ baseUrl: ORIGIN, getAuth, fetch: link.fetch, timeoutMs: 60_000 });
  const engine = createSyncEngine({
    db,
    api,
    now: () => clock.now,
    locks: undefined,
    channel: null,
    random: () => 0.5,
    pushAs: () => pushIdentities(db),
    onUnauthorized: onUnauthorizedFor(db, async () => (await getSession(db)) !== undefined),
    pullAs: () => pullIdentities(db),
    uploads: createUploadPhase({
      db,
      baseUrl: UPLOADS_URL,
      getAuth: uploadIdentity(db),
      fetch: link.fetch,
      now: () => clock.now,
      register: async () => (await relinkReceipts(db, api)) === undefined,
    }),
  });
  return {
    db,
    engine,
    name,
    reports: [],
    deviceId: async () => (await getDeviceIdentity(db)).deviceId,
  };
}

export function newPhoneName(): string {
  return `model-${ulid()}`;
}
