// The merge rule of voter records (issue #13), shared by phone and server. An update names the
// version it was based on; it applies only on that version. An update on any other version that
// would change the record is a conflict: both sides are kept and staff decide, field by field.
// Nothing here ever writes one side over the other silently.
import { OUTCOMES, VOTER_FIELDS, type Outcome, type RecordState, type VoterData, type VoterField } from './record.ts';

export type UpdateKind = 'coklit' | 'tanggapan' | 'staff';

/** One change proposed for one record. */
export interface RecordUpdate {
  recordId: string;
  /** The version the change was made on; null for a resident's tanggapan DPS (who never saw one). */
  baseVersion: number | null;
  kind: UpdateKind;
  outcome?: Outcome;
  tmsCode?: string;
  /** The fields it sets (ubah: the corrected ones). */
  changes?: Partial<VoterData>;
}

export type Decision =
  /** Based on the current version: the record becomes `next`. */
  | { kind: 'apply'; next: RecordState }
  /** Based elsewhere, but the record already says exactly this: nothing to decide, kept in history. */
  | { kind: 'same' }
  /** Based elsewhere and different: both sides kept, a conflict opened. */
  | { kind: 'conflict'; incoming: RecordState; fields: FieldDiff[] };

/** A field in which the two sides of a conflict differ; 'hasil' and 'alasanTms' stand for outcome and TMS code. */
export interface FieldDiff {
  field: VoterField | 'hasil' | 'alasanTms';
  current: unknown;
  incoming: unknown;
}

// Two values the same as JSON (a missing one as null). Identical values, and two different strings,
// are told without serialising (the server runs this per field of every update).
const same = (a: unknown, b: unknown) =>
  a === b || (!(typeof a === 'string' && typeof b === 'string') && JSON.stringify(a ?? null) === JSON.stringify(b ?? null));

/** The record with the update laid over it (version unchanged): what it would say. */
export function overlay(current: RecordState, u: RecordUpdate): RecordState {
  const data: VoterData = { ...current.data };
  for (const [k, v] of Object.entries(u.changes ?? {})) {
    if (!(VOTER_FIELDS as readonly string[]).includes(k)) continue;
    if (v === undefined) delete (data as unknown as Record<string, unknown>)[k];
    else (data as unknown as Record<string, unknown>)[k] = v;
  }
  const outcome = u.outcome ?? current.outcome;
  const tmsCode = u.outcome === undefined ? current.tmsCode : u.outcome === 'tms' ? (u.tmsCode ?? null) : null;
  return { recordId: current.recordId, version: current.version, data, outcome, tmsCode };
}

/** Where two states of one record differ, field by field, in form order. */
export function diffStates(a: RecordState, b: RecordState): FieldDiff[] {
  const out: FieldDiff[] = [];
  for (const f of VOTER_FIELDS) if (!same(a.data[f], b.data[f])) out.push({ field: f, current: a.data[f], incoming: b.data[f] });
  if (!same(a.outcome, b.outcome)) out.push({ field: 'hasil', current: a.outcome, incoming: b.outcome });
  if (!same(a.tmsCode, b.tmsCode)) out.push({ field: 'alasanTms', current: a.tmsCode, incoming: b.tmsCode });
  return out;
}

/**
 * What an update does to a record. A tanggapan DPS never applies by itself: a resident's word is
 * checked by staff, so one that disagrees with the record is a conflict and one that agrees is
 * only linked (history).
 */
export function decideUpdate(current: RecordState, u: RecordUpdate): Decision {
  const incoming = overlay(current, u);
  if (u.kind !== 'tanggapan' && u.baseVersion === current.version) {
    return { kind: 'apply', next: { ...incoming, version: current.version + 1 } };
  }
  const fields = diffStates(current, incoming);
  if (fields.length === 0) return { kind: 'same' };
  return { kind: 'conflict', incoming, fields };
}

/** How staff settle a conflict: one side whole, or per differing field the side to keep. */
export type Resolution =
  | { kind: 'current' }
  | { kind: 'incoming' }
  | { kind: 'merge'; pick: Partial<Record<FieldDiff['field'], 'current' | 'incoming'>> }
  /** Neither side is trusted: the record goes back to the field (unvisited) for a new visit. */
  | { kind: 'field' };

/**
 * The record after a resolution, on top of the record as it now stands (`now`, which may have
 * moved on since the conflict opened: only the fields that differed between the sides are set).
 * The version always rises, so every phone holding an older one learns of it.
 */
export function resolveConflict(now: RecordState, current: RecordState, incoming: RecordState, r: Resolution): RecordState {
  const fields = diffStates(current, incoming);
  const pickOf = (f: FieldDiff['field']): 'current' | 'incoming' =>
    r.kind === 'incoming' ? 'incoming' : r.kind === 'merge' ? (r.pick[f] ?? 'current') : 'current';
  const data: VoterData = { ...now.data };
  let outcome = now.outcome;
  let tmsCode = now.tmsCode;
  for (const d of fields) {
    const side = pickOf(d.field) === 'incoming' ? incoming : current;
    if (d.field === 'hasil') outcome = side.outcome;
    else if (d.field === 'alasanTms') tmsCode = side.tmsCode;
    else {
      const v = side.data[d.field];
      if (v === undefined) delete (data as unknown as Record<string, unknown>)[d.field];
      else (data as unknown as Record<string, unknown>)[d.field] = v;
    }
  }
  if (r.kind === 'field') {
    outcome = null;
    tmsCode = null;
  }
  if (outcome !== 'tms') tmsCode = null;
  return { recordId: now.recordId, version: now.version + 1, data, outcome, tmsCode };
}

export function isOutcome(v: unknown): v is Outcome {
  return typeof v === 'string' && (OUTCOMES as readonly string[]).includes(v);
}

/** The coklit answers' fields that are voter data (the rest: outcome, photo, GPS, notes). */
const ANSWER_TO_FIELD: readonly VoterField[] = VOTER_FIELDS;

/**
 * The update a coklit record makes: sesuai sets nothing but the outcome; ubah, baru and TMS set
 * the fields the answers hold that differ from the record the officer started from.
 */
export function updateFromCoklit(recordId: string, baseVersion: number, base: VoterData, answers: Readonly<Record<string, unknown>>): RecordUpdate {
  const outcome = isOutcome(answers.hasil) ? answers.hasil : undefined;
  const changes: Partial<VoterData> = {};
  if (outcome !== 'sesuai') {
    for (const f of ANSWER_TO_FIELD) {
      const v = answers[f];
      if (v === undefined || v === '' || (Array.isArray(v) && v.length === 0 && base[f] === undefined)) continue;
      if (!same(v, base[f])) (changes as Record<string, unknown>)[f] = v;
    }
  }
  return {
    recordId,
    baseVersion,
    kind: 'coklit',
    ...(outcome ? { outcome } : {}),
    ...(outcome === 'tms' && typeof answers.alasanTms === 'string' ? { tmsCode: answers.alasanTms } : {}),
    ...(Object.keys(changes).length > 0 ? { changes } : {}),
  };
}
