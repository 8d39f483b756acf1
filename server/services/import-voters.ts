// The operator's `import-voters <file.csv>`: the same voter list upload as POST /api/v1/assignments,
// from a shell on the server (province scope, recorded in the audit log as the CLI). Prints TPS and
// counts only; a refused file is answered with its problems by line and column, never the data.
import { readFile, stat } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { MAX_LIST_BYTES, parseVoterList } from '../../core/assignments/voter-list.ts';
import { localDate } from '../../core/calendar/working-days.ts';
import { PROVINCE_CODE } from '../../core/regions.ts';
import { REGION_CATALOG } from '../../core/regions/catalog.generated.ts';
import type { DataKeys } from '../crypto/data-keys.ts';
import type { OpenedDatabase } from '../db/schema.ts';
import { replaceTpsLists } from '../repositories/assignments.ts';
import { syncMatchKeys } from '../repositories/voter-duplicates.ts';

export async function importVotersCommand(opened: OpenedDatabase, args: string[], keys: () => Promise<DataKeys>): Promise<string> {
  const { positionals } = parseArgs({ args, allowPositionals: true, options: {} });
  const [file, ...extra] = positionals;
  if (file === undefined || extra.length > 0) throw new Error('import-voters needs exactly one CSV file: npm run jangkau -- import-voters <file.csv>');
  if ((await stat(file)).size > MAX_LIST_BYTES) throw new Error(`${file}: larger than ${MAX_LIST_BYTES} bytes; split it by village`);
  const now = new Date().toISOString();
  const parsed = parseVoterList(await readFile(file, 'utf8'), { catalog: REGION_CATALOG, scope: PROVINCE_CODE, today: localDate(now) });
  if (!parsed.ok) {
    const lines = parsed.problems.map((p) => `  baris ${p.line}${p.column ? `, ${p.column}` : ''}: ${p.message}`);
    const more = parsed.problemCount > parsed.problems.length ? [`  … dan ${parsed.problemCount - parsed.problems.length} masalah lain`] : [];
    throw new Error([`${file}: ditolak, ${parsed.problemCount} masalah; tidak ada yang disimpan.`, ...lines, ...more].join('\n'));
  }
  const dataKeys = await keys();
  const lists = await replaceTpsLists(opened.db, opened.dialect, dataKeys, parsed.voters, { actorId: 'cli', actorRole: 'operator-cli' }, now);
  await syncMatchKeys(opened.db, dataKeys, now, { villages: [...new Set(lists.map((l) => l.village))] });
  return [...lists.map((l) => `${l.village} TPS ${l.tps}: ${l.voters} voters`), `${parsed.voters.length} voters in ${lists.length} TPS lists`].join('\n');
}
