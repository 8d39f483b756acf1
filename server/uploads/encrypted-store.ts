// Finished uploads are kept encrypted (personal data at rest: photos of people and their
// documents). tus writes the plain bytes while an upload is in progress (it appends at offsets,
// so it must); once the last byte is in and the file passed its type and sha256 checks, the file
// is replaced, in one rename, by its sealed form: `JNGF1`, the data key's id (16 hex), then
// AES-256-GCM iv | ciphertext | tag, with the sha256 as associated data. The key is the scope of
// the first submission naming the file (so a retention purge shreds it with the answers), or the
// month of arrival for a file no submission names yet.
//
// To tus a sealed file must still look complete: a sealed file is larger than its Upload-Length
// (tus never writes past it), so that is how getUpload recognises one and reports offset = size.
import { randomBytes } from 'node:crypto';
import { open, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { FileStore } from '@tus/file-store';
import type { Upload } from '@tus/utils';
import type { Kysely } from 'kysely';
import { submissionScope, type DataKeys } from '../crypto/data-keys.ts';
import type { Database } from '../db/schema.ts';

const MAGIC = Buffer.from('JNGF1', 'ascii');
const DEK_ID_CHARS = 16;
const HEADER_BYTES = MAGIC.length + DEK_ID_CHARS;

function fileAad(sha256: string): string {
  return `upload:${sha256}`;
}

export class SealingFileStore extends FileStore {
  constructor(
    private readonly dir: string,
    private readonly keys: DataKeys,
    private readonly db: Kysely<Database>,
  ) {
    super({ directory: dir });
  }

  override async getUpload(id: string): Promise<Upload> {
    const upload = await super.getUpload(id);
    if (upload.size !== undefined && upload.offset > upload.size) upload.offset = upload.size;
    return upload;
  }

  async isSealed(id: string): Promise<boolean> {
    const handle = await open(join(this.dir, id), 'r');
    try {
      const head = Buffer.alloc(MAGIC.length);
      const { bytesRead } = await handle.read(head, 0, MAGIC.length, 0);
      return bytesRead === MAGIC.length && head.equals(MAGIC);
    } finally {
      await handle.close();
    }
  }

  /** The file's plain bytes, whether still as tus wrote it or already sealed. */
  async plainBytes(id: string): Promise<Buffer> {
    const stored = await readFile(join(this.dir, id));
    if (stored.length < HEADER_BYTES || !stored.subarray(0, MAGIC.length).equals(MAGIC)) return stored;
    const dekId = stored.subarray(MAGIC.length, HEADER_BYTES).toString('ascii');
    return this.keys.decryptBytes(dekId, stored.subarray(HEADER_BYTES), fileAad(id));
  }

  /**
   * Replaces a finished, verified plain file by its sealed form: written beside it, flushed, then
   * renamed over it and the folder flushed, so a crash leaves either whole file.
   */
  async seal(id: string, plain: Buffer, now: string): Promise<void> {
    const { dekId, sealed } = await this.keys.encryptBytes(await this.scopeOf(id, now), plain, fileAad(id));
    const path = join(this.dir, id);
    const temp = `${path}.${randomBytes(6).toString('hex')}.sealing`;
    await writeFile(temp, Buffer.concat([MAGIC, Buffer.from(dekId, 'ascii'), sealed]), { mode: 0o600 });
    await syncPath(temp);
    await rename(temp, path);
    await syncPath(this.dir);
  }

  private async scopeOf(sha256: string, now: string): Promise<string> {
    const named = await this.db
      .selectFrom('submission_attachments as a')
      .innerJoin('submissions as s', 's.id', 'a.submission_id')
      .select(['s.form_id', 's.received_at'])
      .where('a.sha256', '=', sha256)
      .orderBy('s.received_at')
      .limit(1)
      .executeTakeFirst();
    return named ? submissionScope(named.form_id, named.received_at) : `file:${now.slice(0, 7)}`;
  }
}

async function syncPath(path: string): Promise<void> {
  const handle = await open(path, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
