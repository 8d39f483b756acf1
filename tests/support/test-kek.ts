// The key-encryption key the test servers use (vitest.config.ts sets JANGKAU_KEK for the server,
// security, e2e and chaos projects), so a test can read back what a server stored encrypted.
import type { Kysely } from 'kysely';
import { DataKeys } from '../../server/crypto/data-keys.ts';
import { kekFromEnv, type KeyEncryptionKey } from '../../server/crypto/kek.ts';
import type { Database } from '../../server/db/schema.ts';
import { openPayload } from '../../server/repositories/submission-fields.ts';
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
