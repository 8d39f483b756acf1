// One way to get an app for a dialect: SQLite in a fresh temp directory, or PostgreSQL in a
// fresh random schema (dropped afterwards). Every server test file runs its suite once per dialect.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, inject } from 'vitest';
import { deviceAuthorization, type PushResponse, type SubmissionEnvelope } from '../../core/protocol.ts';
import { randomSecret, ulid } from '../../core/ids.ts';
import { buildApp, type AppOptions } from '../../server/app.ts';
import { openPreparedDatabase } from '../../server/db/prepare.ts';
import { kekFromBytes, kekFromEnv } from '../../server/crypto/kek.ts';
import type { Database, DialectName, OpenedDatabase } from '../../server/db/schema.ts';

export const DIALECTS: readonly DialectName[] = ['sqlite', 'postgres'];

export interface TestApp {
  app: FastifyInstance;
  db: Kysely<Database>;
  dialect: DialectName;
  opened: OpenedDatabase;
  dataDir: string;
  /** The PostgreSQL schema this file works in. */
  schema?: string;
  close(): Promise<void>;
}

export async function openTestApp(
  dialect: DialectName,
  pgUrl: string | null,
  options: Omit<AppOptions, 'db' | 'dialect'> = {},
): Promise<TestApp> {
  const dataDir = mkdtempSync(join(tmpdir(), 'jangkau-test-'));
  const schema = dialect === 'postgres' ? `t_${randomBytes(6).toString('hex')}` : undefined;
  if (dialect === 'postgres' && !pgUrl) throw new Error('PostgreSQL suite started without a URL');
  const opened = await openPreparedDatabase(
    dialect === 'postgres' ? { dataDir, databaseUrl: pgUrl ?? undefined, schema } : { dataDir },
  );
  // The suites' JANGKAU_KEK (vitest.config.ts); a bench run outside vitest gets a throwaway one.
  const kek = options.kek ?? kekFromEnv() ?? kekFromBytes(randomBytes(32));
  const app = buildApp({ db: opened.db, dialect: opened.dialect, ...options, kek });
  await app.ready();
  return {
    app,
    db: opened.db,
    dialect,
    opened,
    dataDir,
    schema,
    async close() {
      await app.close();
      if (schema) {
        await sql`drop schema if exists ${sql.id(schema)} cascade`.execute(opened.db);
      }
      await opened.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * Declares `name` once per dialect; `body` gets a getter for that dialect's app, opened before
 * the block's tests and closed after. PostgreSQL blocks are skipped when it is not reachable.
 */
export function describeEachDialect(
  name: string,
  body: (ctx: () => TestApp, dialect: DialectName) => void,
  options: Omit<AppOptions, 'db' | 'dialect'> | (() => Omit<AppOptions, 'db' | 'dialect'>) = {},
): void {
  const pgUrl = inject('postgresUrl');
  for (const dialect of DIALECTS) {
    describe.skipIf(dialect === 'postgres' && !pgUrl)(`${name} [${dialect}]`, () => {
      let current: TestApp | undefined;
      beforeAll(async () => {
        current = await openTestApp(dialect, pgUrl, typeof options === 'function' ? options() : options);
      });
      afterAll(async () => {
        await current?.close();
      });
      body(() => {
        if (!current) throw new Error('test app not open');
        return current;
      }, dialect);
    });
  }
}

// ---- fixtures -------------------------------------------------------------------------------

/** A complete, valid PPID request (NIK of a woman born 1990-01-05 in 19.01.02). */
export function validPpidData(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    ditujukanKepada: '19',
    nik: '1901024501900001',
    nama: 'Siti Aminah',
    alamat: 'Jl. Merdeka No. 1, Pangkalpinang',
    pekerjaan: 'Guru',
    telepon: '081234567890',
    rincianInformasi: 'Daftar pemilih tetap Kecamatan Bukit Intan tahun 2024',
    tujuanPenggunaan: 'Penelitian skripsi',
    caraMenerima: 'ambil',
    ...overrides,
  };
}

export function envelope(overrides: Partial<SubmissionEnvelope> = {}): SubmissionEnvelope {
  return {
    id: ulid(),
    formId: 'ppid-permohonan',
    formVersion: 1,
    createdAt: new Date().toISOString(),
    data: validPpidData(),
    secret: randomSecret(),
    ...overrides,
  };
}

export interface TestDevice {
  deviceId: string;
  secret: string;
  authorization: string;
}

export function newDevice(): TestDevice {
  const deviceId = ulid();
  const secret = randomSecret();
  return { deviceId, secret, authorization: deviceAuthorization(deviceId, secret) };
}

export interface PushOptions {
  gzip?: boolean;
  headers?: Record<string, string>;
}

export function push(app: FastifyInstance, device: TestDevice, body: unknown, options: PushOptions = {}): Promise<LightMyRequestResponse> {
  const json = typeof body === 'string' ? body : JSON.stringify(body);
  return app.inject({
    method: 'POST',
    url: '/api/v1/push',
    headers: {
      authorization: device.authorization,
      'content-type': 'application/json',
      ...(options.gzip ? { 'content-encoding': 'gzip' } : {}),
      ...options.headers,
    },
    payload: options.gzip ? gzipSync(json) : json,
  });
}

export async function pushOk(app: FastifyInstance, device: TestDevice, items: unknown[]): Promise<PushResponse> {
  const res = await push(app, device, { items });
  if (res.statusCode !== 200) throw new Error(`push answered ${res.statusCode}: ${res.body}`);
  return res.json<PushResponse>();
}

export function pull(app: FastifyInstance, device: TestDevice, query = ''): Promise<LightMyRequestResponse> {
  return app.inject({
    method: 'GET',
    url: `/api/v1/changes${query ? `?${query}` : ''}`,
    headers: { authorization: device.authorization },
  });
}

export async function countSubmissions(db: Kysely<Database>, id?: string): Promise<number> {
  let query = db.selectFrom('submissions').select((eb) => eb.fn.countAll<number | string>().as('n'));
  if (id !== undefined) query = query.where('id', '=', id);
  return Number((await query.executeTakeFirstOrThrow()).n);
}

export async function countChanges(db: Kysely<Database>, submissionId: string): Promise<number> {
  const row = await db
    .selectFrom('changes')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .where('submission_id', '=', submissionId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** A fetch that is an adapter over app.inject: the phone's real sync code against the real server app. */
export function injectFetch(app: FastifyInstance): typeof fetch {
  return (async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const request = input instanceof Request ? input : new Request(input, init);
    const url = new URL(request.url);
    const body = request.method === 'GET' || request.method === 'HEAD' ? undefined : Buffer.from(await request.arrayBuffer());
    const res = await app.inject({
      method: request.method as 'GET',
      url: url.pathname + url.search,
      headers: Object.fromEntries(request.headers),
      ...(body && body.length > 0 ? { payload: body } : {}),
    });
    const headers = new Headers();
    for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) headers.set(k, String(v));
    const empty = request.method === 'HEAD' || res.statusCode === 204;
    return new Response(empty ? null : new Uint8Array(res.rawPayload), { status: res.statusCode, headers });
  }) as typeof fetch;
}
