// How much a safety copy of the queue will hold, shown before the person chooses a passphrase:
// the queued envelopes plus each file they reference once (a photo used twice travels once,
// since the copy keys files by sha256). An estimate: the encrypted file adds a few hundred bytes.
import type { OutboxRow } from '../../db/schema.ts';

function fileRefs(value: unknown, into: Map<string, number>): void {
  if (Array.isArray(value)) {
    for (const v of value) fileRefs(v, into);
    return;
  }
  if (typeof value !== 'object' || value === null) return;
  const o = value as Record<string, unknown>;
  if (typeof o.sha256 === 'string' && typeof o.size === 'number' && Number.isFinite(o.size)) {
    into.set(o.sha256, o.size);
    return;
  }
  for (const v of Object.values(o)) fileRefs(v, into);
}

export function copyEstimate(rows: readonly OutboxRow[]): { items: number; bytes: number; files: number } {
  const files = new Map<string, number>();
  let bytes = 0;
  for (const row of rows) {
    bytes += row.bytes;
    fileRefs(row.envelope.data, files);
  }
  for (const size of files.values()) bytes += size;
  return { items: rows.length, bytes, files: files.size };
}
