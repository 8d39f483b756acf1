// Every record of every store of a phone's database as IndexedDB holds it (under the at-rest
// middleware's sealing, not through it), one JSON line each: what a scan for planted personal data
// or a check that a wipe left nothing reads.
import { JangkauDb } from '../../src/db/schema.ts';

export async function rawRecordsText(name: string): Promise<string> {
  const raw = new JangkauDb(name);
  const parts: string[] = [];
  for (const table of raw.tables) for (const row of await table.toArray()) parts.push(JSON.stringify(row));
  raw.close();
  return parts.join('\n');
}
