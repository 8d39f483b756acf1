// On PostgreSQL the change log's advisory lock serialises every push that appends to it, so it must
// be the last thing a push takes: after it, only the change rows go in before the commit. Any other
// write done under it (the files a submission waits for, its NIK index rows) makes every other
// push wait for that write too (bench:server's PostgreSQL herd fell to 0.6× when the NIK index was
// written after the append).
import type { KyselyPlugin, RootOperationNode } from 'kysely';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { canonicalJson } from '../../core/hash.ts';
import { submissionIngest } from '../../server/repositories/submissions.ts';
import { payloadHash, secretHash } from '../../server/services/hashing.ts';
import { envelope, newDevice, openTestApp, validPpidData, type TestApp } from './helpers.ts';

const pgUrl = inject('postgresUrl');

function describeNode(node: RootOperationNode): string {
  if (node.kind === 'InsertQueryNode') return `insert ${node.into?.table.identifier.name ?? '?'}`;
  if (node.kind === 'RawNode' && node.sqlFragments.join('').includes('pg_advisory_xact_lock')) return 'lock';
  return node.kind;
}

describe.skipIf(!pgUrl)('the change-log lock is taken last [postgres]', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await openTestApp('postgres', pgUrl);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('after the lock a push only appends its change rows, with a photo and a NIK in the answers', async () => {
    const seen: string[] = [];
    const recorder: KyselyPlugin = {
      transformQuery: ({ node }) => {
        seen.push(describeNode(node));
        return node;
      },
      transformResult: async ({ result }) => result,
    };
    const ingest = submissionIngest(t.db.withPlugin(recorder), 'postgres', t.app.dataKeys);
    const device = newDevice();
    const item = envelope({ data: validPpidData() });
    const payloadJson = canonicalJson(item.data);
    const sha = 'a'.repeat(64);
    const result = await ingest({ kind: 'phone', deviceId: device.deviceId, secret: device.secret }, [
      {
        envelope: item,
        payloadJson,
        payloadHash: payloadHash(item, payloadJson),
        secretHash: secretHash(item.secret),
        files: [{ field: 'lampiran', sha256: sha, size: 10, type: 'image/jpeg' }],
        subjects: ['b'.repeat(64)],
      },
    ], new Date().toISOString());
    expect(result).toMatchObject({ ok: true, outcomes: [{ outcome: 'accepted' }] });
    expect(seen).toContain('insert submission_subjects');
    expect(seen).toContain('lock');
    expect(seen.slice(seen.indexOf('lock') + 1)).toEqual(['insert changes']);
  });
});
