// Every record of every store of a phone's database as IndexedDB holds it (under the at-rest
// middleware's sealing, not through it), one JSON line each: what a scan for planted personal data
// or a check that a wipe left nothing reads. Given a name, opens a plain handle and closes it;
// given a handle, reads through it as it is (a plain one shows the raw records, the app's one what
// the app reads).
import { JangkauDb } from '../../src/db/schema.ts';

export async function rawRecordsText(source: string | JangkauDb): Promise<string> {
  const raw = typeof source === 'string' ? new JangkauDb(source) : source;
  const parts: string[] = [];
  for (const table of raw.tables) for (const row of await table.toArray()) parts.push(JSON.stringify(row));
  if (typeof source === 'string') raw.close();
  return parts.join('\n');
}
