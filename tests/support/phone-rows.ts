// Queued submissions written straight into a phone's IndexedDB, in exactly the shape submitDraft
// writes them: the fast way for tests and benchmarks to give a phone a large backlog.
import type { Page } from 'playwright-core';
import { ppidPermohonanV1 } from '../../core/forms/catalog/ppid-permohonan.ts';
import type { FormData } from '../../core/forms/definition.ts';
import { validateForm } from '../../core/forms/validate.ts';
import { ulid } from '../../core/ids.ts';
import { buildEnvelope, envelopeBytes, receiptTitle } from '../../src/db/outbox.ts';
import type { OutboxRow, ReceiptRow } from '../../src/db/schema.ts';

export interface PhoneRows {
  outbox: OutboxRow[];
  receipts: ReceiptRow[];
}

/** PPID requests numbered `from` to `to - 1`, filed `stepMs` apart from `startMs`. */
export function queuedRows(
  answersFor: (i: number) => FormData,
  from: number,
  to: number,
  startMs: number,
  stepMs = 1,
): PhoneRows {
  const rows: PhoneRows = { outbox: [], receipts: [] };
  for (let i = from; i < to; i++) {
    const at = startMs + i * stepMs;
    const data = answersFor(i);
    if (validateForm(ppidPermohonanV1, data).errors.length > 0) throw new Error(`seed answers ${i} are invalid`);
    const id = ulid(at);
    const envelope = buildEnvelope(ppidPermohonanV1, id, data, at);
    rows.outbox.push({ id, envelope, bytes: envelopeBytes(envelope), state: 'queued', queuedAt: at, attempts: 0 });
    rows.receipts.push({
      id,
      formId: envelope.formId,
      formVersion: envelope.formVersion,
      title: receiptTitle(ppidPermohonanV1, envelope.data),
      createdAt: at,
      state: 'queued',
    });
  }
  return rows;
}

/** Writes rows into the app's IndexedDB, which the app has already opened and upgraded. */
export async function writeRows(page: Page, rows: PhoneRows): Promise<void> {
  await page.evaluate(async ({ outbox, receipts }) => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const open = indexedDB.open('jangkau');
      open.onsuccess = () => resolve(open.result);
      open.onerror = () => reject(open.error);
    });
    await new Promise<void>((resolve, reject) => {
      const tx = db.transaction(['outbox', 'receipts'], 'readwrite');
      for (const row of outbox) tx.objectStore('outbox').put(row);
      for (const row of receipts) tx.objectStore('receipts').put(row);
      tx.oncomplete = () => resolve();
      tx.onerror = () => reject(tx.error);
      tx.onabort = () => reject(tx.error);
    });
    db.close();
  }, rows);
}

/** Every row of one of the app's stores, read straight from the phone's IndexedDB. */
export function readStore<T>(page: Page, store: 'outbox' | 'receipts'): Promise<T[]> {
  return page.evaluate(async (name) => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const open = indexedDB.open('jangkau');
      open.onsuccess = () => resolve(open.result);
      open.onerror = () => reject(open.error);
    });
    const rows = await new Promise<unknown[]>((resolve, reject) => {
      const req = db.transaction(name).objectStore(name).getAll();
      req.onsuccess = () => resolve(req.result as unknown[]);
      req.onerror = () => reject(req.error);
    });
    db.close();
    return rows;
  }, store) as Promise<T[]>;
}

/**
 * Everything one of the page's IndexedDB databases holds, read raw in the browser (a database the
 * app has not made yet is made empty). `text` is the JSON of every row as stored, to look for
 * what must not stand there in the clear; `rows` are the rows by store, with each file (Blob) and
 * byte array carried out as base64 under `~blob` or `~bytes`, since neither crosses to the test.
 */
export interface DatabaseDump {
  text: string;
  rows: Record<string, Record<string, unknown>[]>;
}

export function readDatabase(page: Page, database = 'jangkau'): Promise<DatabaseDump> {
  return page.evaluate(async (name) => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const open = indexedDB.open(name);
      open.onsuccess = () => resolve(open.result);
      open.onerror = () => reject(open.error);
    });
    const names = [...db.objectStoreNames];
    const stores = await Promise.all(
      names.map(
        (store) =>
          new Promise<unknown[]>((resolve, reject) => {
            const req = db.transaction(store).objectStore(store).getAll();
            req.onsuccess = () => resolve(req.result as unknown[]);
            req.onerror = () => reject(req.error);
          }),
      ),
    );
    db.close();
    const base64 = (bytes: Uint8Array) => {
      let binary = '';
      for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
      return btoa(binary);
    };
    const portable = async (value: unknown): Promise<unknown> => {
      if (value instanceof Blob) return { '~blob': base64(new Uint8Array(await value.arrayBuffer())) };
      if (value instanceof Uint8Array) return { '~bytes': base64(value) };
      if (Array.isArray(value)) return Promise.all(value.map(portable));
      const plainObject = value !== null && typeof value === 'object' && [Object.prototype, null].includes(Object.getPrototypeOf(value));
      if (plainObject) {
        const entries = await Promise.all(Object.entries(value as object).map(async ([k, v]) => [k, await portable(v)] as const));
        return Object.fromEntries(entries);
      }
      return value;
    };
    const rows: Record<string, Record<string, unknown>[]> = {};
    for (const [i, store] of names.entries()) rows[store] = (await portable(stores[i])) as Record<string, unknown>[];
    return { text: JSON.stringify(stores), rows };
  }, database);
}

/** The bytes of a file or byte array in a row from readDatabase, and whether it was a plain file. */
export function portableBytes(value: unknown): { bytes: Buffer; plainFile: boolean } {
  const carried = value as { '~blob'?: string; '~bytes'?: string };
  if (typeof carried['~blob'] === 'string') return { bytes: Buffer.from(carried['~blob'], 'base64'), plainFile: true };
  if (typeof carried['~bytes'] === 'string') return { bytes: Buffer.from(carried['~bytes'], 'base64'), plainFile: false };
  throw new Error('not a file or byte array read by readDatabase');
}
