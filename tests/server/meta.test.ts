// Health, forms, the OpenAPI document, and the database settings the durability invariant needs.
import { gunzipSync } from 'node:zlib';
import { sql } from 'kysely';
import { Compile } from 'typebox/compile';
import { expect, inject, it } from 'vitest';
import { PUBLISHED_FORMS } from '../../core/forms/catalog/index.ts';
import { HealthResponseSchema } from '../../core/protocol-schemas.ts';
import { openDatabase } from '../../server/db/open.ts';
import { prepareDatabase } from '../../server/db/prepare.ts';
import { FormDefSchema } from '../../server/http/form-schema.ts';
import { migrateToLatest } from '../../server/migrations/index.ts';
import { seedPublishedForms } from '../../server/repositories/forms.ts';
import { describeEachDialect } from './helpers.ts';

it('describes every published form with the schema the forms endpoint declares', () => {
  const check = Compile(FormDefSchema);
  for (const form of PUBLISHED_FORMS) expect(check.Check(form), form.formId).toBe(true);
});

describeEachDialect('health, forms and OpenAPI', (ctx, dialect) => {
  it('answers health after a database round trip', async () => {
    const res = await ctx().app.inject({ url: '/api/v1/health' });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(Compile(HealthResponseSchema).Check(body)).toBe(true);
    expect(body.database).toBe(dialect);
  });

  it('serves the published forms for devices to cache, and lists retired versions apart', async () => {
    const { app, db } = ctx();
    const res = await app.inject({ url: '/api/v1/forms' });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    // Served ordered by form id and version, whatever order the catalogue lists them in.
    const byKey = (a: { formId: string; version: number }, b: { formId: string; version: number }) =>
      a.formId < b.formId ? -1 : a.formId > b.formId ? 1 : a.version - b.version;
    expect(body.forms).toEqual([...PUBLISHED_FORMS].sort(byKey).map((f) => JSON.parse(JSON.stringify(f))));
    expect(body.retired).toEqual([]);

    const old = { ...PUBLISHED_FORMS[0]!, version: 900 };
    await seedPublishedForms(db, [old], new Date().toISOString());
    await db.updateTable('form_versions').set({ retired_at: new Date().toISOString() }).where('version', '=', 900).execute();
    const after = (await app.inject({ url: '/api/v1/forms' })).json();
    expect(after.retired).toEqual([{ formId: old.formId, version: 900 }]);
    expect(after.forms.map((f: { version: number }) => f.version)).not.toContain(900);
  });

  it('never rewrites a stored form version when seeding again', async () => {
    const { db } = ctx();
    const form = PUBLISHED_FORMS[0]!;
    const changed = { ...form, title: { id: 'Diubah', en: 'Changed' } };
    expect(await seedPublishedForms(db, [changed], new Date().toISOString())).toBe(0);
    const row = await db
      .selectFrom('form_versions')
      .select('definition_json')
      .where('form_id', '=', form.formId)
      .where('version', '=', form.version)
      .executeTakeFirstOrThrow();
    expect(JSON.parse(row.definition_json).title).toEqual(form.title);
  });

  it('runs migrations idempotently', async () => {
    const { opened } = ctx();
    expect(await migrateToLatest(opened.db, opened.dialect, { schema: ctx().schema })).toEqual([]);
  });

  it('serves an OpenAPI 3.1 document generated from the routes', async () => {
    const res = await ctx().app.inject({ url: '/api/v1/openapi.json' });
    expect(res.statusCode).toBe(200);
    const doc = res.json();
    expect(doc.openapi).toBe('3.1.0');
    // Every route is in it; other features add theirs, so this lists the sync and officer routes.
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/changes',
        '/api/v1/forms',
        '/api/v1/health',
        '/api/v1/openapi.json',
        '/api/v1/push',
        '/api/v1/auth/login',
        '/api/v1/auth/logout',
        '/api/v1/auth/me',
        '/api/v1/admin/accounts',
        '/api/v1/admin/accounts/{id}/devices',
        '/api/v1/admin/devices/{id}/revoke',
        '/api/v1/inbox',
        '/api/v1/inbox/{id}',
        '/api/v1/inbox/{id}/status',
        '/api/v1/inbox/{id}/extend',
        '/api/v1/audit',
      ]),
    );
    expect(doc.paths['/api/v1/inbox'].get.security).toEqual([{ officer: [] }]);
    expect(doc.components.securitySchemes.officer).toMatchObject({ type: 'http', scheme: 'bearer' });
    const push = doc.paths['/api/v1/push'].post;
    expect(push.operationId).toBe('push');
    expect(push.security).toEqual([{ device: [] }, { officer: [] }]);
    expect(push.requestBody.content['application/json'].schema.properties.items.maxItems).toBe(500);
    expect(Object.keys(push.responses).sort()).toEqual(['200', '400', '401', '413', '415', '500']);
    expect(push.responses['200'].content['application/json'].schema.properties.results.type).toBe('array');
    const pull = doc.paths['/api/v1/changes'].get;
    expect(pull.parameters.map((p: { name: string }) => p.name)).toEqual(['since', 'limit', 'x-jangkau-revocation-check']);
    expect(pull.responses['200'].content['application/json'].schema.properties.cursor.type).toBe('string');
    expect(doc.components.securitySchemes.device).toMatchObject({ type: 'apiKey', in: 'header', name: 'Authorization' });
  });
});

describeEachDialect('durable commits', (ctx, dialect) => {
  if (dialect === 'sqlite') it('opens SQLite in WAL mode with synchronous=FULL and foreign keys on', async () => {
    const { db } = ctx();
    const mode = await sql<{ journal_mode: string }>`pragma journal_mode`.execute(db);
    const sync = await sql<{ synchronous: number }>`pragma synchronous`.execute(db);
    const fk = await sql<{ foreign_keys: number }>`pragma foreign_keys`.execute(db);
    const busy = await sql<{ timeout: number }>`pragma busy_timeout`.execute(db);
    expect(mode.rows[0]?.journal_mode).toBe('wal');
    expect(sync.rows[0]?.synchronous).toBe(2); // 2 = FULL
    expect(fk.rows[0]?.foreign_keys).toBe(1);
    expect(busy.rows[0]?.timeout).toBeGreaterThan(0);
  });

  if (dialect === 'postgres') it('refuses to start on PostgreSQL with synchronous_commit=off', async () => {
    const url = new URL(inject('postgresUrl') ?? '');
    url.searchParams.set('options', '-c synchronous_commit=off');
    await expect(openDatabase({ dataDir: ctx().dataDir, databaseUrl: url.toString() })).rejects.toThrow(/synchronous_commit/);
    const ok = await openDatabase({ dataDir: ctx().dataDir, databaseUrl: inject('postgresUrl') ?? '' });
    await ok.close();
  });

  it('prepares an already prepared database without error', async () => {
    const { opened, schema } = ctx();
    await prepareDatabase(opened, { schema });
  });
});

describeEachDialect('compressed answers', (ctx) => {
  it('gzips answers for clients that take gzip, and only those', async () => {
    const { app } = ctx();
    const zipped = await app.inject({ url: '/api/v1/forms', headers: { 'accept-encoding': 'gzip' } });
    expect(zipped.statusCode).toBe(200);
    expect(zipped.headers['content-encoding']).toBe('gzip');
    const body = JSON.parse(gunzipSync(zipped.rawPayload).toString('utf8')) as { forms: unknown[] };
    expect(body.forms.length).toBe(PUBLISHED_FORMS.length);
    expect(zipped.rawPayload.length).toBeLessThan(JSON.stringify(body).length / 2);
    const plain = await app.inject({ url: '/api/v1/forms' });
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.json()).toEqual(body);
  });
});
