// The key-encryption key the test servers use (vitest.config.ts sets JANGKAU_KEK for the server,
// security, e2e and chaos projects), so a test can read back what a server stored encrypted.
import type { Kysely } from 'kysely';
import { DataKeys, FIELD_PREFIX, isEncryptedField } from '../../server/crypto/data-keys.ts';
import { kekFromEnv, openBytes, type KeyEncryptionKey } from '../../server/crypto/kek.ts';
import type { Database } from '../../server/db/schema.ts';
import { openPayload, payloadAad } from '../../server/repositories/submission-fields.ts';
import { SealingFileStore } from '../../server/uploads/encrypted-store.ts';

export function testKek(): KeyEncryptionKey {
  const kek = kekFromEnv();
  if (!kek) throw new Error('JANGKAU_KEK is not set: run this test through its vitest project');
  return kek;
}

/** The answers a server stored for a submission, decrypted with the test KEK. */
export async function storedAnswers(db: Kysely<Database>, id: string): Promise<Record<string, unknown>> {
  const row = await db.selectFrom('submissions').select('payload_json').where('id', '=', id).executeTakeFirstOrThrow();
  return openPayload(await new DataKeys(db, testKek()).ready(), id, row.payload_json);
}

/** The plain bytes of a stored upload (sealed once complete: server/uploads/encrypted-store.ts). */
export async function storedFile(db: Kysely<Database>, dir: string, sha256: string): Promise<Buffer> {
  return new SealingFileStore(dir, await new DataKeys(db, testKek()).ready(), db).plainBytes(sha256);
}

/**
 * For tests that read a server's rows with a raw driver (better-sqlite3, pg) rather than Kysely:
 * the `data_keys` rows unwrapped with the test KEK, then each stored `payload_json` opened to the
 * canonical JSON the server was sent.
 */
export function rawPayloadOpener(keyRows: readonly { id: string; wrapped: string | null }[]): (id: string, stored: string) => string {
  const kek = testKek();
  const keys = new Map<string, Buffer>();
  for (const row of keyRows) if (row.wrapped !== null) keys.set(row.id, kek.unwrap(Buffer.from(row.wrapped, 'base64'), `dek:${row.id}`));
  return (id, stored) => {
    if (!isEncryptedField(stored)) throw new Error(`payload of ${id} is stored in the clear`);
    const dot = stored.indexOf('.', FIELD_PREFIX.length);
    const key = keys.get(stored.slice(FIELD_PREFIX.length, dot));
    if (!key) throw new Error(`payload of ${id}: its data key is missing or shredded`);
    return openBytes(key, Buffer.from(stored.slice(dot + 1), 'base64url'), payloadAad(id)).toString('utf8');
  };
}
