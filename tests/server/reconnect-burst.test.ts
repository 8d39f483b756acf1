// A ferry docks and 300 phones find signal in the same second: every one pushes its queue at
// once, some items are held by two devices (an officer's and a resident's), and every phone
// sends its batch twice because the first answer was "lost". Against the real server process,
// on SQLite and on PostgreSQL: each id must be stored once and accepted exactly once across all
// answers, every other answer must be a duplicate with the same receivedAt, and nothing may be
// a 5xx (a 5xx is safe for the device, but under a burst it would mean everyone backs off and
// retries, which is the load we are trying to absorb).
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ppidPermohonanV1 } from '../../core/forms/catalog/ppid-permohonan.ts';
import type { PushResponse, SubmissionEnvelope } from '../../core/protocol.ts';
import type { DialectName } from '../../server/db/schema.ts';
import { sampleAnswers } from '../support/form-filler.ts';
import { countSubmissions as countSqliteSubmissions } from '../support/server-db.ts';
import { startServerProcess, type ServerProcess } from '../support/server-process.ts';
import { envelope, newDevice, type TestDevice } from './helpers.ts';

const DEVICES = 300;
const OWN_ITEMS = 17;
const SHARED_PER_DEVICE = 3;
const SHARED_POOL = 150;
const SENDS_PER_DEVICE = 2;

interface Answer {
  status: number;
  body: PushResponse | undefined;
}

async function pushOnce(url: string, device: TestDevice, items: SubmissionEnvelope[]): Promise<Answer> {
  const res = await fetch(`${url}/api/v1/push`, {
    method: 'POST',
    headers: { authorization: device.authorization, 'content-type': 'application/json' },
    body: JSON.stringify({ items }),
  });
  const text = await res.text();
  return { status: res.status, body: res.status === 200 ? (JSON.parse(text) as PushResponse) : undefined };
}

/** Deterministic shuffle (a small LCG), so a failing run can be replayed. */
function shuffled<T>(items: readonly T[], seed: number): T[] {
  const out = [...items];
  let state = seed >>> 0 || 1;
  for (let i = out.length - 1; i > 0; i--) {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
    const j = state % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

function buildBurst(): { devices: TestDevice[]; batches: SubmissionEnvelope[][]; uniqueIds: Set<string> } {
  const data = sampleAnswers(ppidPermohonanV1);
  const shared = Array.from({ length: SHARED_POOL }, () => envelope({ data }));
  const devices: TestDevice[] = [];
  const batches: SubmissionEnvelope[][] = [];
  for (let d = 0; d < DEVICES; d++) {
    devices.push(newDevice());
    const own = Array.from({ length: OWN_ITEMS }, () => envelope({ data }));
    // Each shared item lands on several devices, at different places in their queues, so two
    // transactions meet the same ids in different orders.
    const picked = Array.from({ length: SHARED_PER_DEVICE }, (_, k) => shared[(d * 7 + k * 53) % SHARED_POOL]!);
    batches.push(shuffled([...own, ...picked], d + 1));
  }
  const uniqueIds = new Set(batches.flat().map((e) => e.id));
  return { devices, batches, uniqueIds };
}

const pgUrl = inject('postgresUrl');
const DIALECTS: readonly DialectName[] = ['sqlite', 'postgres'];

for (const dialect of DIALECTS) {
  describe.skipIf(dialect === 'postgres' && !pgUrl)(`reconnect burst after a ferry docks [${dialect}]`, () => {
    let server: ServerProcess | undefined;
    const schema = `t_${randomBytes(6).toString('hex')}`;

    beforeAll(async () => {
      server = await startServerProcess({
        env: dialect === 'postgres' ? { DATABASE_URL: pgUrl ?? '', DATABASE_SCHEMA: schema } : { DATABASE_URL: '' },
      });
    });

    afterAll(async () => {
      await server?.stop();
      if (server) rmSync(server.dataDir, { recursive: true, force: true });
      if (dialect === 'postgres' && pgUrl) {
        const client = new pg.Client({ connectionString: pgUrl });
        await client.connect();
        await client.query(`drop schema if exists ${schema} cascade`);
        await client.end();
      }
    });

    /** What the database holds, read directly rather than through the API. */
    async function stored(): Promise<{ submissions: number; links: number }> {
      if (!server) throw new Error('server not started');
      if (dialect === 'sqlite') {
        const { default: Database } = await import('better-sqlite3');
        const db = new Database(`${server.dataDir}/jangkau.sqlite`, { readonly: true, fileMustExist: true });
        try {
          const links = (db.prepare('select count(*) as n from submission_devices').get() as { n: number }).n;
          return { submissions: countSqliteSubmissions(server.dataDir), links };
        } finally {
          db.close();
        }
      }
      const client = new pg.Client({ connectionString: pgUrl ?? '' });
      await client.connect();
      try {
        const s = await client.query<{ n: string }>(`select count(*) as n from ${schema}.submissions`);
        const l = await client.query<{ n: string }>(`select count(*) as n from ${schema}.submission_devices`);
        return { submissions: Number(s.rows[0]?.n), links: Number(l.rows[0]?.n) };
      } finally {
        await client.end();
      }
    }

    it(`${DEVICES} devices push ~20 items each, twice at once: every id stored and accepted exactly once`, async () => {
      if (!server) throw new Error('server not started');
      const { url } = server;
      const { devices, batches, uniqueIds } = buildBurst();

      const started = Date.now();
      const sends = devices.flatMap((device, d) =>
        Array.from({ length: SENDS_PER_DEVICE }, () => pushOnce(url, device, batches[d]!)),
      );
      const answers = await Promise.all(sends);
      const elapsed = Date.now() - started;
      console.log(`[${dialect}] ${answers.length} pushes, ${uniqueIds.size} distinct ids, answered in ${elapsed} ms`);

      const statuses = new Map<number, number>();
      for (const a of answers) statuses.set(a.status, (statuses.get(a.status) ?? 0) + 1);
      expect(Object.fromEntries(statuses), server.output().slice(-2000)).toEqual({ 200: DEVICES * SENDS_PER_DEVICE });

      const accepted = new Map<string, number>();
      const receivedAt = new Map<string, Set<string>>();
      const outcomes = { accepted: 0, duplicate: 0, rejected: 0 };
      for (const a of answers) {
        for (const r of a.body?.results ?? []) {
          outcomes[r.outcome]++;
          if (r.outcome === 'accepted') accepted.set(r.id, (accepted.get(r.id) ?? 0) + 1);
          const seen = receivedAt.get(r.id) ?? new Set<string>();
          seen.add(r.receivedAt ?? 'missing');
          receivedAt.set(r.id, seen);
        }
      }
      const totalItems = DEVICES * SENDS_PER_DEVICE * (OWN_ITEMS + SHARED_PER_DEVICE);
      expect(outcomes).toEqual({ accepted: uniqueIds.size, duplicate: totalItems - uniqueIds.size, rejected: 0 });
      expect([...uniqueIds].filter((id) => accepted.get(id) !== 1)).toEqual([]);
      // A duplicate carries the original acknowledgement: one receivedAt per id across all answers.
      expect([...receivedAt.entries()].filter(([, times]) => times.size !== 1 || times.has('missing'))).toEqual([]);

      // Every device holds the secret of every item it sent, so each is linked to all of them.
      expect(await stored()).toEqual({ submissions: uniqueIds.size, links: DEVICES * (OWN_ITEMS + SHARED_PER_DEVICE) });
    });

    it('is healthy afterwards: health answers, a new device is accepted, a retry is a duplicate, no request failed', async () => {
      if (!server) throw new Error('server not started');
      const health = await fetch(`${server.url}/api/v1/health`);
      expect(health.status).toBe(200);
      expect(await health.json()).toMatchObject({ status: 'ok', database: dialect });
      const device = newDevice();
      const item = envelope();
      const first = await pushOnce(server.url, device, [item]);
      expect(first.body?.results[0]?.outcome).toBe('accepted');
      const again = await pushOnce(server.url, device, [item]);
      expect(again.body?.results[0]).toMatchObject({ outcome: 'duplicate', receivedAt: first.body?.results[0]?.receivedAt });
      expect(server.output()).not.toContain('request failed');
    });
  });
}
