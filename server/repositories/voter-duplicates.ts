// Pemilih ganda on the server: each voter record's blind keys are written with the record
// (prepareMatchRows + writeMatchRows, in the writer's own transaction), the search groups them in
// SQL, and staff in scope see the pairs and decide them. No plaintext NIK or name reaches SQL: the
// search opens only the sealed cards of the records in small blocks (birth date + village, birth
// date + KK) where names must be compared, and the list opens the two cards of each pair shown.
// A decided pair is never reopened: a later search leaves it as it is.
import { sql, type Kysely, type Transaction } from 'kysely';
import { covers } from '../../core/auth/scope.ts';
import { judgePair, pairKeys, type DuplicateKind, type MatchRecord } from '../../core/duplicates/rules.ts';
import { canonicalJson } from '../../core/hash.ts';
import { ulid } from '../../core/ids.ts';
import type { DuplicateCard, DuplicatePairsPage, DuplicateStatus } from '../../core/voters/duplicate-pairs.ts';
import { votersScope, type DataKeys } from '../crypto/data-keys.ts';
import { matchKeyer } from '../crypto/match-keys.ts';
import type { Database, DialectName, VoterMatchKeysTable } from '../db/schema.ts';
import { appendAudit, type AuditInput } from './audit-log.ts';
import { openRecord } from './voter-records.ts';

type Actor = Pick<AuditInput, 'actorId' | 'actorRole'>;

/** A voter record as the duplicate search reads it: the card staff see, and what the search keeps of the record. */
export interface VoterCard extends DuplicateCard {
  /** The voter record's version (assignment_voters.version); 0 when not from a record. */
  version?: number;
  /** False once the record left the list (TMS): kept, but no new pair opens for it. */
  active?: boolean;
}

/** Blocks larger than this are not compared name by name (a birth date shared by that many in one village or KK says little). */
export const MAX_BLOCK = 40;
/** Members of one NIK or name + birth date group paired at most (a NIK on hundreds of records is one problem, not 10^4 pairs). */
const MAX_GROUP = 20;
const CHUNK = 500;

function cardAad(recordKey: string): string {
  return `voter_match_keys:${recordKey}`;
}

/** The rows to write for these records: blind keys computed and cards sealed before any transaction (key lookups would wait on SQLite's one connection). */
export async function prepareMatchRows(keys: DataKeys, cards: readonly VoterCard[], now: string): Promise<VoterMatchKeysTable[]> {
  const keyer = await matchKeyer(keys);
  const deks = new Map<string, Awaited<ReturnType<DataKeys['keyForScope']>>>();
  for (const c of cards) if (!deks.has(c.desa)) deks.set(c.desa, await keys.keyForScope(votersScope(c.desa)));
  return cards.map((c) => {
    const k = keyer.of(c);
    const card = canonicalJson({ nama: c.nama, nik: c.nik, tanggalLahir: c.tanggalLahir, kk: c.kk, desa: c.desa, tps: c.tps, ...(c.jenisKelamin ? { jenisKelamin: c.jenisKelamin } : {}) });
    return {
      record_key: c.key,
      village_code: c.desa,
      tps: c.tps,
      nik_key: k.nik,
      name_birth_key: k.nameBirth,
      birth_village_key: k.birthVillage,
      birth_kk_key: k.birthKk,
      record_version: c.version ?? 0,
      card: keys.encryptWith(deks.get(c.desa)!, card, cardAad(c.key)),
      active: c.active === false ? 0 : 1,
      updated_at: now,
    };
  });
}

/** Writes (or replaces) records' keys inside the caller's transaction. */
export async function writeMatchRows(trx: Kysely<Database> | Transaction<Database>, rows: readonly VoterMatchKeysTable[]): Promise<void> {
  for (let i = 0; i < rows.length; i += CHUNK) {
    await trx
      .insertInto('voter_match_keys')
      .values(rows.slice(i, i + CHUNK))
      .onConflict((oc) =>
        oc.column('record_key').doUpdateSet((eb) => ({
          village_code: eb.ref('excluded.village_code'),
          tps: eb.ref('excluded.tps'),
          nik_key: eb.ref('excluded.nik_key'),
          name_birth_key: eb.ref('excluded.name_birth_key'),
          birth_village_key: eb.ref('excluded.birth_village_key'),
          birth_kk_key: eb.ref('excluded.birth_kk_key'),
          record_version: eb.ref('excluded.record_version'),
          card: eb.ref('excluded.card'),
          active: eb.ref('excluded.active'),
          updated_at: eb.ref('excluded.updated_at'),
        })),
      )
      .execute();
  }
}

/** Records that left the list (TMS, removed, replaced): no new pair opens for them; open pairs with them close at the next search. */
export async function retireMatchRows(trx: Kysely<Database> | Transaction<Database>, recordKeys: readonly string[], now: string): Promise<void> {
  for (let i = 0; i < recordKeys.length; i += CHUNK) {
    await trx.updateTable('voter_match_keys').set({ active: 0, updated_at: now }).where('record_key', 'in', recordKeys.slice(i, i + CHUNK)).execute();
  }
}

/**
 * Brings the keys up to date with the voter records (assignment_voters, migration 050): every
 * record whose version, village or TPS differs from the keys' (new, changed by an upload, a coklit
 * update or a resolution, moved) is opened and keyed again; a record gone from the lists, or TMS,
 * leaves the search. Upload and load call it for what they wrote; the search calls it first, so no
 * write path can leave a record out.
 */
export async function syncMatchKeys(
  db: Kysely<Database>,
  keys: DataKeys,
  now: string,
  o: { villages?: readonly string[]; page?: number } = {},
): Promise<{ indexed: number; retired: number }> {
  const page = o.page ?? 5000;
  const villages = o.villages ? [...o.villages] : undefined;
  if (villages?.length === 0) return { indexed: 0, retired: 0 };
  let after = '';
  let indexed = 0;
  for (;;) {
    const rows = await db
      .selectFrom('assignment_voters as a')
      .leftJoin('voter_match_keys as m', 'm.record_key', 'a.record_id')
      .select(['a.record_id', 'a.version', 'a.village_code', 'a.tps', 'a.position', 'a.voter_json', 'a.outcome'])
      .where('a.record_id', '>', after)
      .$if(villages !== undefined, (b) => b.where('a.village_code', 'in', villages!))
      .where((eb) =>
        eb.or([
          eb('m.record_key', 'is', null),
          eb('m.record_version', '<>', eb.ref('a.version')),
          eb('m.tps', '<>', eb.ref('a.tps')),
          eb('m.village_code', '<>', eb.ref('a.village_code')),
        ]),
      )
      .orderBy('a.record_id')
      .limit(page)
      .execute();
    if (rows.length === 0) break;
    after = rows.at(-1)!.record_id;
    const cards: VoterCard[] = [];
    for (const r of rows) {
      const v = await openRecord(keys, { village: r.village_code, tps: r.tps, position: r.position, voterJson: r.voter_json });
      cards.push({
        key: r.record_id,
        nik: v.nik,
        nama: v.nama,
        tanggalLahir: v.tanggalLahir,
        desa: r.village_code,
        tps: r.tps,
        kk: v.kk,
        jenisKelamin: v.jenisKelamin,
        version: Number(r.version),
        active: r.outcome !== 'tms',
      });
    }
    const prepared = await prepareMatchRows(keys, cards, now);
    await db.transaction().execute((trx) => writeMatchRows(trx, prepared));
    indexed += rows.length;
  }
  const retired = await db
    .updateTable('voter_match_keys')
    .set({ active: 0, updated_at: now })
    .where('active', '=', 1)
    .where('record_version', '>', 0)
    .$if(villages !== undefined, (b) => b.where('village_code', 'in', villages!))
    .where(({ not, exists, selectFrom }) => not(exists(selectFrom('assignment_voters').select('record_id').whereRef('assignment_voters.record_id', '=', 'voter_match_keys.record_key'))))
    .executeTakeFirst();
  return { indexed, retired: Number(retired.numUpdatedRows) };
}

async function openCard(keys: DataKeys, recordKey: string, sealed: string): Promise<VoterCard> {
  return { key: recordKey, ...(JSON.parse(await keys.decryptField(sealed, cardAad(recordKey))) as Omit<VoterCard, 'key'>) };
}

interface FoundPair {
  a: string;
  b: string;
  villageA: string;
  villageB: string;
  kind: DuplicateKind;
  score: number;
}

export interface SearchSummary {
  records: number;
  /** Records keyed again before the search (changed since the last write of their keys). */
  indexed: number;
  found: number;
  byKind: Record<DuplicateKind, number>;
  opened: number;
  closed: number;
  /** Records whose sealed card was opened to compare names. */
  cardsOpened: number;
  blocksCompared: number;
}

type KeyColumn = 'nik_key' | 'name_birth_key' | 'birth_village_key' | 'birth_kk_key';

/** The members of every group of `column` with 2..max active records. */
async function groupsOf(db: Kysely<Database>, column: KeyColumn, max: number, withCard: boolean) {
  const shared = db
    .selectFrom('voter_match_keys')
    .select(column)
    .where('active', '=', 1)
    .groupBy(column)
    .having(sql<number>`count(*)`, '>=', 2)
    .having(sql<number>`count(*)`, '<=', max);
  const rows = await db
    .selectFrom('voter_match_keys')
    .select([`${column} as g`, 'record_key', 'village_code', 'name_birth_key', 'birth_kk_key'])
    .$if(withCard, (q) => q.select('card'))
    .where('active', '=', 1)
    .where(column, 'in', shared)
    .orderBy(column)
    .orderBy('record_key')
    .execute();
  const groups: (typeof rows)[] = [];
  let current: typeof rows = [];
  for (const r of rows) {
    if (current.length > 0 && current[0]!.g !== r.g) {
      groups.push(current);
      current = [];
    }
    current.push(r);
  }
  if (current.length > 0) groups.push(current);
  return groups as (Pick<VoterMatchKeysTable, 'record_key' | 'village_code' | 'name_birth_key' | 'birth_kk_key'> & { g: string; card?: string })[][];
}

/**
 * Searches the whole list for duplicate pairs and brings the pairs table up to date: new pairs
 * open, open pairs no longer found close (their records changed or left), decided pairs stay.
 */
export async function searchDuplicates(db: Kysely<Database>, dialect: DialectName, keys: DataKeys, q: { by: Actor; now: string; maxBlock?: number }): Promise<SearchSummary> {
  const synced = await syncMatchKeys(db, keys, q.now);
  const found = new Map<string, FoundPair>();
  const add = (p: FoundPair) => {
    const id = `${p.a}|${p.b}`;
    const had = found.get(id);
    if (!had || had.score < p.score) found.set(id, p);
  };
  const pairUp = (x: { record_key: string; village_code: string }, y: { record_key: string; village_code: string }, kind: DuplicateKind, score: number) => {
    const [a, b] = pairKeys(x.record_key, y.record_key);
    const [va, vb] = a === x.record_key ? [x.village_code, y.village_code] : [y.village_code, x.village_code];
    add({ a, b, villageA: va, villageB: vb, kind, score });
  };

  // Exact: the same NIK. Likely: the same normalised name and birth date. Both from the keys alone.
  for (const group of await groupsOf(db, 'nik_key', Number.MAX_SAFE_INTEGER, false)) {
    const members = group.slice(0, MAX_GROUP);
    for (let i = 0; i < members.length; i++) for (let j = i + 1; j < members.length; j++) pairUp(members[i]!, members[j]!, 'nik', 100);
  }
  for (const group of await groupsOf(db, 'name_birth_key', Number.MAX_SAFE_INTEGER, false)) {
    const members = group.slice(0, MAX_GROUP);
    for (let i = 0; i < members.length; i++) {
      for (let j = i + 1; j < members.length; j++) {
        const x = members[i]!;
        const y = members[j]!;
        // The score of core's judgePair for this rule: +3 the same village, +2 the same KK (same birth date, so the same birth+KK key).
        pairUp(x, y, 'nama-lahir', 90 + (x.village_code === y.village_code ? 3 : 0) + (x.birth_kk_key === y.birth_kk_key ? 2 : 0));
      }
    }
  }
  // Near names: compared inside the small blocks, opening only the cards of blocks with two different names.
  const cards = new Map<string, VoterCard>();
  let blocksCompared = 0;
  for (const column of ['birth_village_key', 'birth_kk_key'] as const) {
    for (const group of await groupsOf(db, column, q.maxBlock ?? MAX_BLOCK, true)) {
      if (group.every((m) => m.name_birth_key === group[0]!.name_birth_key)) continue;
      blocksCompared++;
      const opened: VoterCard[] = [];
      for (const m of group) {
        let card = cards.get(m.record_key);
        if (!card) {
          card = await openCard(keys, m.record_key, m.card!);
          cards.set(m.record_key, card);
        }
        opened.push(card);
      }
      for (let i = 0; i < opened.length; i++) {
        for (let j = i + 1; j < opened.length; j++) {
          if (group[i]!.name_birth_key === group[j]!.name_birth_key) continue;
          const v = judgePair(opened[i]! as MatchRecord, opened[j]! as MatchRecord);
          if (v) pairUp(group[i]!, group[j]!, v.kind, v.score);
        }
      }
    }
  }

  const existing = await db.selectFrom('voter_duplicate_pairs').select(['id', 'key_a', 'key_b', 'status', 'kind', 'score']).execute();
  const known = new Map(existing.map((p) => [`${p.key_a}|${p.key_b}`, p]));
  const fresh = [...found.entries()].filter(([id]) => !known.has(id)).map(([, p]) => p);
  const changed = [...found.entries()].flatMap(([id, p]) => {
    const k = known.get(id);
    return k && k.status === 'terbuka' && (k.kind !== p.kind || k.score !== p.score) ? [{ id: k.id, kind: p.kind, score: p.score }] : [];
  });
  const gone = existing.filter((p) => p.status === 'terbuka' && !found.has(`${p.key_a}|${p.key_b}`)).map((p) => p.id);
  const records = Number((await db.selectFrom('voter_match_keys').select(sql<number>`count(*)`.as('n')).where('active', '=', 1).executeTakeFirstOrThrow()).n);

  const byKind: Record<DuplicateKind, number> = { nik: 0, 'nama-lahir': 0, mirip: 0 };
  for (const p of found.values()) byKind[p.kind]++;
  await db.transaction().execute(async (trx) => {
    const rows = fresh.map((p) => ({
      id: ulid(),
      key_a: p.a,
      key_b: p.b,
      village_a: p.villageA,
      village_b: p.villageB,
      kind: p.kind,
      score: p.score,
      status: 'terbuka',
      found_at: q.now,
      seen_at: q.now,
      decided_at: null,
      decided_by: null,
      tms_key: null,
    }));
    // A search running at the same time may have opened the same pair: one row stays.
    for (let i = 0; i < rows.length; i += CHUNK) {
      await trx.insertInto('voter_duplicate_pairs').values(rows.slice(i, i + CHUNK)).onConflict((oc) => oc.columns(['key_a', 'key_b']).doNothing()).execute();
    }
    for (const c of changed) {
      await trx.updateTable('voter_duplicate_pairs').set({ kind: c.kind, score: c.score, seen_at: q.now }).where('id', '=', c.id).where('status', '=', 'terbuka').execute();
    }
    for (let i = 0; i < gone.length; i += CHUNK) {
      await trx.deleteFrom('voter_duplicate_pairs').where('id', 'in', gone.slice(i, i + CHUNK)).where('status', '=', 'terbuka').execute();
    }
    await appendAudit(trx, dialect, {
      ...q.by,
      action: 'duplicates.search',
      subject: 'province',
      at: q.now,
      detail: { records, found: found.size, opened: fresh.length, closed: gone.length, cardsOpened: cards.size },
    });
  });
  return { records, indexed: synced.indexed, found: found.size, byKind, opened: fresh.length, closed: gone.length, cardsOpened: cards.size, blocksCompared };
}

/** Pairs touching `scope`: a regency's staff see every pair with at least one record in their regency. */
function touching(scope: string) {
  const inScope = (column: 'village_a' | 'village_b') => sql<boolean>`(${sql.ref(column)} = ${scope} or ${sql.ref(column)} like ${`${scope}.%`})`;
  return sql<boolean>`(${inScope('village_a')} or ${inScope('village_b')})`;
}

/**
 * One page of pairs in scope, surest first, each with both records' cards (opened, so the read is
 * audited with the pairs' ids). `after` is the last page's cursor.
 */
export async function listPairs(
  db: Kysely<Database>,
  dialect: DialectName,
  keys: DataKeys,
  q: { scope: string; status: DuplicateStatus; limit: number; after?: string; by: Actor; now: string },
): Promise<DuplicatePairsPage> {
  const [afterScore, afterId] = q.after?.split(':') ?? [];
  const rows = await db
    .selectFrom('voter_duplicate_pairs')
    .selectAll()
    .where('status', '=', q.status)
    .where(touching(q.scope))
    .$if(afterId !== undefined, (b) => b.where((eb) => eb.or([eb('score', '<', Number(afterScore)), eb.and([eb('score', '=', Number(afterScore)), eb('id', '>', afterId!)])])))
    .orderBy('score', 'desc')
    .orderBy('id')
    .limit(q.limit + 1)
    .execute();
  const page = rows.slice(0, q.limit);
  const open = Number(
    (await db.selectFrom('voter_duplicate_pairs').select(sql<number>`count(*)`.as('n')).where('status', '=', 'terbuka').where(touching(q.scope)).executeTakeFirstOrThrow()).n,
  );
  const recordKeys = [...new Set(page.flatMap((p) => [p.key_a, p.key_b]))];
  const cardRows = recordKeys.length === 0 ? [] : await db.selectFrom('voter_match_keys').select(['record_key', 'card']).where('record_key', 'in', recordKeys).execute();
  if (page.length > 0) {
    await db.transaction().execute((trx) =>
      appendAudit(trx, dialect, { ...q.by, action: 'duplicates.list', subject: q.scope, regionCode: q.scope, at: q.now, detail: { pairs: page.map((p) => p.id).join(',') } }),
    );
  }
  const cards = new Map<string, VoterCard>();
  for (const r of cardRows) cards.set(r.record_key, await openCard(keys, r.record_key, r.card));
  const missing = (key: string, village: string): VoterCard => ({ key, nik: '', nama: '', tanggalLahir: '', desa: village, tps: '', kk: '' });
  const last = page.at(-1);
  return {
    open,
    pairs: page.map((p) => ({
      id: p.id,
      kind: p.kind as DuplicateKind,
      score: p.score,
      status: p.status as DuplicateStatus,
      foundAt: p.found_at,
      ...(p.decided_at ? { decidedAt: p.decided_at } : {}),
      ...(p.tms_key ? { tmsKey: p.tms_key } : {}),
      a: cards.get(p.key_a) ?? missing(p.key_a, p.village_a),
      b: cards.get(p.key_b) ?? missing(p.key_b, p.village_b),
    })),
    ...(rows.length > q.limit && last ? { next: `${last.score}:${last.id}` } : {}),
  };
}

export type DecideResult =
  | { ok: true; status: DuplicateStatus; tmsKey?: string; tmsVillage?: string }
  | { ok: false; reason: 'not_found' | 'already_decided' | 'tms_not_in_pair' | 'tms_out_of_scope'; status?: DuplicateStatus };

/**
 * Decides an open pair in scope: ganda (the record `tmsKey`, one of the two and in the caller's
 * scope, gets the TMS-ganda outcome and leaves the search) or bukan ganda. Audited in the same
 * transaction; a pair already decided is answered with its decision, never decided again.
 * `withinTransaction` lets the caller record the TMS outcome on the voter record in the same commit.
 */
export async function decidePair(
  db: Kysely<Database>,
  dialect: DialectName,
  q: {
    id: string;
    decision: 'ganda' | 'bukan_ganda';
    tmsKey?: string;
    scope: string;
    by: Actor;
    now: string;
    withinTransaction?: (trx: Transaction<Database>, tms: { key: string; village: string }) => Promise<void>;
  },
): Promise<DecideResult> {
  return db.transaction().execute(async (trx) => {
    const pair = await trx.selectFrom('voter_duplicate_pairs').selectAll().where('id', '=', q.id).executeTakeFirst();
    if (!pair || !(covers(q.scope, pair.village_a) || covers(q.scope, pair.village_b))) return { ok: false, reason: 'not_found' } as const;
    if (pair.status !== 'terbuka') return { ok: false, reason: 'already_decided', status: pair.status as DuplicateStatus } as const;
    let tms: { key: string; village: string } | undefined;
    if (q.decision === 'ganda') {
      const village = q.tmsKey === pair.key_a ? pair.village_a : q.tmsKey === pair.key_b ? pair.village_b : undefined;
      if (!q.tmsKey || village === undefined) return { ok: false, reason: 'tms_not_in_pair' } as const;
      if (!covers(q.scope, village)) return { ok: false, reason: 'tms_out_of_scope' } as const;
      tms = { key: q.tmsKey, village };
    }
    // Only an open pair changes: two staff deciding at once, the second finds it decided.
    const updated = await trx
      .updateTable('voter_duplicate_pairs')
      .set({ status: q.decision, decided_at: q.now, decided_by: q.by.actorId, tms_key: tms?.key ?? null })
      .where('id', '=', q.id)
      .where('status', '=', 'terbuka')
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) !== 1) return { ok: false, reason: 'already_decided' } as const;
    if (tms) {
      await retireMatchRows(trx, [tms.key], q.now);
      await q.withinTransaction?.(trx, tms);
    }
    await appendAudit(trx, dialect, {
      ...q.by,
      action: 'duplicates.decide',
      subject: q.id,
      regionCode: tms?.village ?? pair.village_a,
      at: q.now,
      detail: { decision: q.decision, kind: pair.kind, score: pair.score, ...(tms ? { tms: tms.key } : {}) },
    });
    return { ok: true, status: q.decision, ...(tms ? { tmsKey: tms.key, tmsVillage: tms.village } : {}) } as const;
  });
}

/** Open pairs per TPS ('village/tps') in scope, for the coklit recap: a pair counts at each of its records' TPS. */
export async function openPairsPerTps(db: Kysely<Database>, scope: string): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  for (const side of ['key_a', 'key_b'] as const) {
    const rows = await db
      .selectFrom('voter_duplicate_pairs as p')
      .innerJoin('voter_match_keys as m', 'm.record_key', `p.${side}`)
      .select(['m.village_code', 'm.tps', sql<number>`count(*)`.as('n')])
      .where('p.status', '=', 'terbuka')
      .where((eb) => eb.or([eb('m.village_code', '=', scope), eb('m.village_code', 'like', `${scope}.%`)]))
      .groupBy(['m.village_code', 'm.tps'])
      .execute();
    for (const r of rows) out.set(`${r.village_code}/${r.tps}`, (out.get(`${r.village_code}/${r.tps}`) ?? 0) + Number(r.n));
  }
  return out;
}
