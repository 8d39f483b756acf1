// Data keys (DEKs): the AES-256-GCM keys personal data is encrypted with at rest. Each is random,
// belongs to one *scope* (a form's month of receipts, a village's voter list), and is stored only
// wrapped by the KEK (kek.ts) in `data_keys`. A scope's data dies with its key: shredding sets
// the wrapped key to null, so every copy of that data (rows, WAL, files, backups) becomes noise
// once the backups that still hold the wrapped key are gone too. Rotating the KEK re-wraps the
// keys only; no data is re-encrypted.
//
// Stored form of an encrypted field: `j1.<dekId>.<base64url(iv | ciphertext | tag)>`, with the
// row's identity as associated data so a value cannot be moved to another row unnoticed.
import { createHmac, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { openBytes, sealBytes, type KeyEncryptionKey } from './kek.ts';

export const FIELD_PREFIX = 'j1.';

export class KeyShreddedError extends Error {
  constructor(readonly dekId: string) {
    super(`data key ${dekId} was shredded: the data it locked is gone`);
    this.name = 'KeyShreddedError';
  }
}

/** The scope of a submission's answers and files: its form and its month of receipt (UTC). */
export function submissionScope(formId: string, receivedAt: string): string {
  return `sub:${formId}:${receivedAt.slice(0, 7)}`;
}

/** The scope of one village's voter lists. */
export function votersScope(villageCode: string): string {
  return `voters:${villageCode}`;
}

export function isEncryptedField(value: string): boolean {
  return value.startsWith(FIELD_PREFIX);
}

interface Dek {
  id: string;
  key: Buffer;
}

export class DataKeys {
  /** Unwrapped keys by id and the id of each scope's key, for the life of the process. */
  private readonly byId = new Map<string, Dek>();
  private readonly byScope = new Map<string, Dek>();
  private indexKey: Buffer | undefined;

  constructor(
    private readonly db: Kysely<Database>,
    private kek: KeyEncryptionKey,
  ) {}

  /** Loads (or makes) the keys every request needs; call once before serving. */
  async ready(): Promise<this> {
    this.indexKey = await this.secretKey('voter-index');
    return this;
  }

  /**
   * A long-lived secret for one purpose (an HMAC key for an index or the audit chain): a random
   * key kept wrapped in `data_keys` under scope `secret:<purpose>`, so a KEK rotation keeps it.
   */
  async secretKey(purpose: string): Promise<Buffer> {
    return (await this.keyForScope(`secret:${purpose}`)).key;
  }

  /** The KEK's id, for reports. */
  get kekId(): string {
    return this.kek.id;
  }

  /**
   * A keyed hash of an identifier (a NIK) that lets SQL count or match it without holding it:
   * equal NIKs give equal values, and nobody without the KEK can test a guessed NIK against it.
   */
  blindIndex(value: string): string {
    if (!this.indexKey) throw new Error('DataKeys.ready() was not awaited');
    return createHmac('sha256', this.indexKey).update(value, 'utf8').digest('hex');
  }

  async encryptField(scope: string, plaintext: string, aad: string): Promise<string> {
    const dek = await this.keyForScope(scope);
    return this.encryptWith(dek, plaintext, aad);
  }

  /** Encrypts with a key already in hand (keyForScope), synchronously: for hot paths. */
  encryptWith(dek: Dek, plaintext: string, aad: string): string {
    return `${FIELD_PREFIX}${dek.id}.${sealBytes(dek.key, Buffer.from(plaintext, 'utf8'), aad).toString('base64url')}`;
  }

  async decryptField(stored: string, aad: string): Promise<string> {
    if (!isEncryptedField(stored)) throw new Error('value is not an encrypted field');
    const dot = stored.indexOf('.', FIELD_PREFIX.length);
    if (dot < 0) throw new Error('malformed encrypted field');
    const dek = await this.keyById(stored.slice(FIELD_PREFIX.length, dot));
    return openBytes(dek.key, Buffer.from(stored.slice(dot + 1), 'base64url'), aad).toString('utf8');
  }

  /** Encrypts bytes (a file); the key id travels with them. */
  async encryptBytes(scope: string, plain: Buffer, aad: string): Promise<{ dekId: string; sealed: Buffer }> {
    const dek = await this.keyForScope(scope);
    return { dekId: dek.id, sealed: sealBytes(dek.key, plain, aad) };
  }

  async decryptBytes(dekId: string, sealed: Buffer, aad: string): Promise<Buffer> {
    const dek = await this.keyById(dekId);
    return openBytes(dek.key, sealed, aad);
  }

  /** The scope's key, made (and stored wrapped) on first use. A shredded scope is never re-keyed. */
  async keyForScope(scope: string): Promise<Dek> {
    const cached = this.byScope.get(scope);
    if (cached) return cached;
    let row = await this.db.selectFrom('data_keys').selectAll().where('scope', '=', scope).executeTakeFirst();
    if (!row) {
      const id = randomBytes(8).toString('hex');
      const key = randomBytes(32);
      await this.db
        .insertInto('data_keys')
        .values({ id, scope, kek_id: this.kek.id, wrapped: this.kek.wrap(key, `dek:${id}`).toString('base64'), created_at: new Date().toISOString(), shredded_at: null })
        // Two processes making the same scope's key at once: one wins, both use the winner's.
        .onConflict((oc) => oc.column('scope').doNothing())
        .execute();
      row = await this.db.selectFrom('data_keys').selectAll().where('scope', '=', scope).executeTakeFirstOrThrow();
    }
    if (row.wrapped === null) throw new KeyShreddedError(row.id);
    const dek = { id: row.id, key: this.unwrapRow(row.id, row.wrapped) };
    this.byScope.set(scope, dek);
    this.byId.set(dek.id, dek);
    return dek;
  }

  private async keyById(id: string): Promise<Dek> {
    const cached = this.byId.get(id);
    if (cached) return cached;
    const row = await this.db.selectFrom('data_keys').select(['id', 'wrapped']).where('id', '=', id).executeTakeFirst();
    if (!row || row.wrapped === null) throw new KeyShreddedError(id);
    const dek = { id, key: this.unwrapRow(id, row.wrapped) };
    this.byId.set(id, dek);
    return dek;
  }

  private unwrapRow(id: string, wrapped: string): Buffer {
    try {
      return this.kek.unwrap(Buffer.from(wrapped, 'base64'), `dek:${id}`);
    } catch {
      throw new Error(`data key ${id} does not open with KEK ${this.kek.id}: wrong JANGKAU_KEK?`);
    }
  }

  /**
   * Crypto-shreds the keys of these scopes (retention purge, erasure): the wrapped key is
   * overwritten with null and the scope marked, so it is never keyed again. Returns how many
   * keys were shredded now. Other processes drop their cached copy at restart at the latest.
   */
  async shredKeysFor(scopes: readonly string[], at: string = new Date().toISOString()): Promise<number> {
    if (scopes.length === 0) return 0;
    const result = await this.db
      .updateTable('data_keys')
      .set({ wrapped: null, shredded_at: at })
      .where('scope', 'in', [...scopes])
      .where('wrapped', 'is not', null)
      .executeTakeFirst();
    for (const scope of scopes) {
      const dek = this.byScope.get(scope);
      if (dek) {
        dek.key.fill(0);
        this.byId.delete(dek.id);
      }
      this.byScope.delete(scope);
    }
    return Number(result.numUpdatedRows);
  }

  /** Re-wraps every live key under `next` (rotate-key); afterwards this instance uses `next`. */
  async rewrapAll(next: KeyEncryptionKey): Promise<number> {
    // Keys already under `next` (an interrupted rotation run again) are left as they are.
    const rows = await this.db.selectFrom('data_keys').select(['id', 'wrapped']).where('wrapped', 'is not', null).where('kek_id', '<>', next.id).execute();
    await this.db.transaction().execute(async (trx) => {
      for (const row of rows) {
        const key = this.unwrapRow(row.id, row.wrapped!);
        await trx
          .updateTable('data_keys')
          .set({ wrapped: next.wrap(key, `dek:${row.id}`).toString('base64'), kek_id: next.id })
          .where('id', '=', row.id)
          .execute();
      }
    });
    this.kek = next;
    return rows.length;
  }
}
