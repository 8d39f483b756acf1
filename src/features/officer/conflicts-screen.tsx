// #/petugas/konflik: the Konflik queue for PPS, PPK and KPU staff in scope (issue #13). Each open
// conflict of a voter record shows its two sides field by field (the differing rows marked, with a
// choice of side per differing field), and is settled here: keep the recorded side, take the
// incoming one, merge field by field, or send the voter back to the field. The record's history
// (upload, coklit, linked tanggapan DPS with its receipt number, decisions) opens beside it. The
// sides hold personal data, so nothing is kept on the device: each view asks the server again.
import { useCallback, useEffect, useState } from 'react';
import { Button } from '../../app/button.tsx';
import { href } from '../../app/router.ts';
import { onTokenRefused } from '../../auth/lock-control.ts';
import { listVoterConflicts, resolveVoterConflict, voterRecordHistory, type OfficerResult } from '../../auth/officer-api.ts';
import { coklitPilkadaV1 } from '../../../core/forms/catalog/coklit-pilkada.ts';
import { choicesOf } from '../../../core/forms/validate.ts';
import { formatReceipt } from '../../../core/ids.ts';
import { isRole } from '../../../core/auth/roles.ts';
import type { ConflictResolution, ConflictSide, VoterConflict, VoterHistoryEntry } from '../../../core/voters/conflicts.ts';
import { VOTER_FIELDS } from '../../../core/voters/record.ts';
import { useI18n } from '../../i18n/use-i18n.ts';
import { useConflictsText, type ConflictsKey } from './conflicts-text.ts';
import { useOfficerText, type OfficerKey } from './officer-text.ts';
import { regionName } from './region-name.ts';

type Problem = 'offline' | 'forbidden' | 'unauthorized' | 'failed' | 'alreadyResolved';
type Side = 'current' | 'incoming';

/** The rows compared: the voter's fields in form order, then the outcome and the TMS code. */
const ROWS = [...VOTER_FIELDS, 'hasil', 'alasanTms'] as const;

async function problemOf(answer: Exclude<OfficerResult<unknown>, { kind: 'ok' }>): Promise<Problem> {
  if (answer.kind === 'offline') return 'offline';
  if (answer.kind === 'unauthorized') {
    await onTokenRefused();
    return 'unauthorized';
  }
  if (answer.kind === 'forbidden') return 'forbidden';
  if (answer.kind === 'refused' && answer.status === 409) return 'alreadyResolved';
  return 'failed';
}

function when(iso: string): string {
  return new Date(iso).toLocaleString('id-ID', { timeZone: 'Asia/Jakarta', dateStyle: 'medium', timeStyle: 'short' });
}

function sideValue(side: ConflictSide, row: (typeof ROWS)[number]): unknown {
  if (row === 'hasil') return side.outcome;
  if (row === 'alasanTms') return side.tmsCode;
  return side.data[row];
}

/** A field's value as the coklit form words it: choice labels, region names, lists joined. */
function useShowValue() {
  const { local } = useI18n();
  const c = useConflictsText();
  return (row: (typeof ROWS)[number], value: unknown): string => {
    if (row === 'hasil' && (value === null || value === undefined)) return c('out_none');
    if (value === null || value === undefined || value === '' || (Array.isArray(value) && value.length === 0)) return c('empty_value');
    if (row === 'desa' && typeof value === 'string') return regionName(value);
    const def = coklitPilkadaV1.fields.find((f) => f.name === row);
    const choices = def ? choicesOf(coklitPilkadaV1, def) : [];
    const word = (v: unknown) => {
      const choice = choices.find((ch) => ch.value === v);
      return choice ? local(choice.label) : String(v);
    };
    return Array.isArray(value) ? value.map(word).join(', ') : word(value);
  };
}

function useFieldLabel() {
  const { local } = useI18n();
  return (row: (typeof ROWS)[number]): string => {
    const def = coklitPilkadaV1.fields.find((f) => f.name === row);
    return def ? local(def.label) : row;
  };
}

function History({ recordId }: { recordId: string }) {
  const c = useConflictsText();
  const o = useOfficerText();
  const [entries, setEntries] = useState<VoterHistoryEntry[] | undefined>();
  const [problem, setProblem] = useState<Problem>();
  const [open, setOpen] = useState(false);

  useEffect(() => {
    if (!open) return;
    let live = true;
    void voterRecordHistory(recordId).then(async (answer) => {
      if (!live) return;
      if (answer.kind === 'ok') setEntries(answer.body.history);
      else setProblem(await problemOf(answer));
    });
    return () => {
      live = false;
    };
  }, [open, recordId]);

  const who = (role: string) => (isRole(role) ? o(`role_${role}` as OfficerKey) : role === 'warga' ? c('role_warga') : role === 'system' ? c('role_system') : role);
  const what = (e: VoterHistoryEntry) => {
    const kind = (['upload', 'coklit', 'conflict', 'tanggapan', 'resolve', 'staff'] as const).find((k) => k === e.kind);
    const parts = [kind ? c(`hist_${kind}`) : e.kind];
    if (e.outcome) parts.push(c(`out_${e.outcome}` as ConflictsKey));
    if (e.version !== null) parts.push(c('historyVersion', { version: e.version }));
    return parts.join(', ');
  };

  return (
    <details onToggle={(e) => setOpen(e.currentTarget.open)} data-testid="conflict-history">
      <summary>{c('history')}</summary>
      {problem && (
        <p className="notice bad" role="alert">
          {c(problem)}
        </p>
      )}
      {open && !entries && !problem && <p>{c('historyLoading')}</p>}
      {entries && entries.length === 0 && <p>{c('historyEmpty')}</p>}
      {entries && entries.length > 0 && (
        <ol className="history">
          {entries.map((e, i) => (
            <li key={i} data-kind={e.kind}>
              {c('historyLine', { when: when(e.at), what: what(e), who: who(e.actorRole) })}
              {e.submissionId && (
                <>
                  {' '}
                  · {c('receipt')} <span className="receipt">{formatReceipt(e.submissionId)}</span>
                </>
              )}
            </li>
          ))}
        </ol>
      )}
    </details>
  );
}

function ConflictCard({ conflict, onResolved }: { conflict: VoterConflict; onResolved: (version: number | undefined, problem?: Problem) => void }) {
  const c = useConflictsText();
  const show = useShowValue();
  const label = useFieldLabel();
  const [pick, setPick] = useState<Record<string, Side>>({});
  const [busy, setBusy] = useState(false);
  const differing = new Set(conflict.fields.map((f) => f.field));
  const rows = ROWS.filter((r) => differing.has(r) || sideValue(conflict.current, r) !== undefined || sideValue(conflict.incoming, r) !== undefined);
  const kind = (['coklit', 'tanggapan', 'staff'] as const).find((k) => k === conflict.incomingKind);
  const name = typeof conflict.current.data.nama === 'string' ? conflict.current.data.nama : conflict.recordId;
  const titleId = `conflict-${conflict.id}`;

  async function resolve(body: ConflictResolution) {
    setBusy(true);
    const answer = await resolveVoterConflict(conflict.id, body);
    setBusy(false);
    if (answer.kind === 'ok') onResolved(answer.body.version);
    else onResolved(undefined, await problemOf(answer));
  }

  /** A differing field: both sides stacked, each a choice (the form's own 24 px radio on a 48 px line) for a merge. */
  const choice = (row: (typeof ROWS)[number], side: Side) => {
    const id = `pick-${conflict.id}-${row}-${side}`;
    return (
      <div className="choice" data-side={side}>
        <input type="radio" id={id} name={`${conflict.id}-${row}`} value={side} checked={(pick[row] ?? 'current') === side} onChange={() => setPick((p) => ({ ...p, [row]: side }))} />
        <label htmlFor={id}>
          {c(side === 'current' ? 'colCurrent' : 'colIncoming')}: <mark>{show(row, sideValue(conflict[side], row))}</mark>
        </label>
      </div>
    );
  };
  const changed = rows.filter((r) => differing.has(r));
  const unchanged = rows.filter((r) => !differing.has(r));

  return (
    <section className="card" aria-labelledby={titleId} data-testid="conflict" data-record={conflict.recordId} data-kind={conflict.incomingKind}>
      <h2 id={titleId}>{name}</h2>
      <p className="meta">
        {c('where', { village: regionName(conflict.village), tps: conflict.tps })}
        <br />
        <strong>{kind ? c(`kind_${kind}`) : conflict.incomingKind}</strong> · {c('openedAt', { when: when(conflict.createdAt) })}
        <br />
        {c('versions', { base: conflict.baseVersion ?? c('versionNone'), current: conflict.currentVersion })}
      </p>
      <p>{c('pickHint')}</p>
      {/* Stacked rows, not a wide table: each field reads top to bottom on a 360 px phone. */}
      <h3>{c('differing', { n: changed.length })}</h3>
      <dl className="conflict-fields" data-testid="conflict-fields">
        {changed.map((row) => (
          <div key={row} data-field={row} data-differs="true">
            <dt>
              {label(row)} <span aria-hidden="true">≠</span>
              <span className="visually-hidden"> {c('differs')}</span>
            </dt>
            <dd>
              <fieldset>
                <legend className="visually-hidden">{label(row)}</legend>
                {choice(row, 'current')}
                {choice(row, 'incoming')}
              </fieldset>
            </dd>
          </div>
        ))}
      </dl>
      {unchanged.length > 0 && (
        <details>
          <summary>{c('sameFields', { n: unchanged.length })}</summary>
          <dl className="conflict-fields">
            {unchanged.map((row) => (
              <div key={row} data-field={row} data-differs="false">
                <dt>{label(row)}</dt>
                <dd>{show(row, sideValue(conflict.current, row))}</dd>
              </div>
            ))}
          </dl>
        </details>
      )}
      <div className="actions">
        <Button disabled={busy} onClick={() => void resolve({ resolution: 'current' })}>
          {c('takeCurrent')}
        </Button>
        <Button disabled={busy} onClick={() => void resolve({ resolution: 'incoming' })}>
          {c('takeIncoming')}
        </Button>
        <Button
          variant="primary"
          disabled={busy}
          onClick={() => void resolve({ resolution: 'merge', pick: Object.fromEntries(conflict.fields.map((f) => [f.field, pick[f.field] ?? 'current'])) })}
        >
          {c('merge')}
        </Button>
        <Button disabled={busy} onClick={() => void resolve({ resolution: 'field' })}>
          {c('field')}
        </Button>
      </div>
      <p className="meta">{busy ? c('resolving') : c('fieldHint')}</p>
      <History recordId={conflict.recordId} />
    </section>
  );
}

export function ConflictsScreen() {
  const c = useConflictsText();
  const [conflicts, setConflicts] = useState<VoterConflict[] | undefined>();
  const [problem, setProblem] = useState<Problem>();
  const [done, setDone] = useState<number>();
  const [busy, setBusy] = useState(false);

  const load = useCallback(async () => {
    setBusy(true);
    const answer = await listVoterConflicts();
    setBusy(false);
    if (answer.kind === 'ok') setConflicts(answer.body.conflicts);
    else setProblem(await problemOf(answer));
  }, []);

  useEffect(() => {
    void load();
  }, [load]);

  return (
    <>
      <h1>{c('heading')}</h1>
      <p>{c('intro')}</p>
      <div className="actions">
        <Button
          disabled={busy}
          onClick={() => {
            setProblem(undefined);
            setDone(undefined);
            void load();
          }}
        >
          {busy ? c('loading') : c('reload')}
        </Button>
      </div>
      {done !== undefined && (
        <p className="notice" role="status" data-testid="conflict-resolved">
          {c('resolved', { version: done })}
        </p>
      )}
      {problem && (
        <p className="notice bad" role="alert" data-testid="conflict-problem">
          {c(problem)}
        </p>
      )}
      {conflicts && (
        <p data-testid="conflict-count" data-count={conflicts.length}>
          {conflicts.length === 0 ? c('empty') : c('count', { n: conflicts.length })}
        </p>
      )}
      {conflicts?.map((conflict) => (
        <ConflictCard
          key={conflict.id}
          conflict={conflict}
          onResolved={(version, trouble) => {
            setDone(version);
            setProblem(trouble);
            window.scrollTo(0, 0);
            void load();
          }}
        />
      ))}
      <p>
        <a className="link-row" href={href({ name: 'officer' })}>
          {c('back')}
        </a>
      </p>
    </>
  );
}
