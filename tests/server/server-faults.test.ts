// When the database fails, the answer is a 5xx ("try again later", so the device keeps the
// items) that says nothing about internals, and nothing is acknowledged.
import { expect, inject, it } from 'vitest';
import { buildApp } from '../../server/app.ts';
import { openDatabase } from '../../server/db/open.ts';
import { describeEachDialect, envelope, newDevice, push } from './helpers.ts';

describeEachDialect('server faults', (ctx, dialect) => {
  it('answers 500 internal without details when the database is gone', async () => {
    const { dataDir, schema } = ctx();
    const url = dialect === 'postgres' ? (inject('postgresUrl') ?? undefined) : undefined;
    const doomed = await openDatabase({ dataDir, databaseUrl: url, schema });
    const app = buildApp({ db: doomed.db, dialect: doomed.dialect });
    try {
      // Gone while the server runs: starting needs the database (its data keys are read then).
      await app.ready();
      await doomed.close();
      const res = await push(app, newDevice(), { items: [envelope()] });
      expect(res.statusCode).toBe(500);
      expect(res.json()).toEqual({ error: 'internal', message: 'Internal server error; try again later' });
      const health = await app.inject({ url: '/api/v1/health' });
      expect(health.statusCode).toBe(500);
    } finally {
      await app.close();
    }
  });
});
