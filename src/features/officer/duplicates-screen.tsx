// #/petugas/ganda: the pemilih-ganda pairs touching the officer's region (issue #13), surest first,
// each with its score and the two records side by side. The officer marks a pair ganda (the chosen
// record, in their region, gets TMS kode 2 through the records' own versioned update) or bukan
// ganda. The server audits every page and decision and never asks a decided pair again; the rows
// hold personal data, so nothing is kept on the device.
import { useCallback, useEffect, useState, type ReactNode } from 'react';
import { Button } from '../../app/button.tsx';
import { href } from '../../app/router.ts';
import { SelectField } from '../../app/select-field.tsx';
import { covers } from '../../../core/auth/scope.ts';
import { PROVINCE_CODE } from '../../../core/regions.ts';
import type { DuplicateCard, DuplicatePair, DuplicateStatus } from '../../../core/voters/duplicate-pairs.ts';
import { decideDuplicatePair, listDuplicatePairs, searchDuplicatePairs, type OfficerResult } from '../../auth/officer-api.ts';
import { useOfficer } from '../../auth/officer-store.ts';
import { num } from '../kpi/kpi-format.ts';
import { useDuplicatesText, type DuplicatesKey } from './duplicates-text.ts';
import { placeName } from './region-name.ts';
import './duplicates.css';

type Problem = 'offline' | 'forbidden' | 'unauthorized' | 'failed';

function problemOf(r: Exclude<OfficerResult<unknown>, { kind: 'ok' }>): Problem {
  if (r.kind === 'rate_limited') return 'offline';
  if (r.kind === 'refused') return 'failed';
  return r.kind;
}

const FIELDS = ['nama', 'nik', 'tanggalLahir', 'jenisKelamin', 'kk', 'desa', 'tps'] as const;

/** A 16-digit NIK or KK in its three parts (region, date, serial): easier to compare, and it wraps
    between parts, so two fit side by side on a 360 px phone. */
function grouped(digits: string): string {
  return /^\d{16}$/.test(digits) ? `${digits.slice(0, 6)} ${digits.slice(6, 12)} ${digits.slice(12)}` : digits;
}

function shown(card: DuplicateCard, field: (typeof FIELDS)[number]): ReactNode {
  if (field === 'desa') {
    return (
      <>
        {placeName(card.desa)}
        <br />
        <span className="meta">{card.desa}</span>
      </>
    );
  }
  if (field === 'tps') return String(Number(card.tps));
  if (field === 'nik' || field === 'kk') return grouped(card[field]);
  return card[field] ?? '–';
}

/** Which of the two a record key is, as the screen names it. */
function letterOf(pair: DuplicatePair, key: string | undefined): string {
  return key === pair.a.key ? 'A' : key === pair.b.key ? 'B' : '–';
}

function PairCard({ pair, scope, onDecided }: { pair: DuplicatePair; scope: string; onDecided: (id: string, message: string) => void }) {
  const t = useDuplicatesText();
  const mine = [pair.a, pair.b].filter((c) => covers(scope, c.desa));
  const [tms, setTms] = useState(mine.length === 1 ? mine[0]!.key : '');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const open = pair.status === 'terbuka';

  const decide = async (keputusan: 'ganda' | 'bukan_ganda') => {
    if (keputusan === 'ganda' && !tms) return setError(t('pickRecord'));
    setError(undefined);
    setBusy(true);
    const r = await decideDuplicatePair(pair.id, keputusan === 'ganda' ? { keputusan, tms } : { keputusan });
    setBusy(false);
    if (r.kind === 'ok') {
      const who = letterOf(pair, r.body.tmsKey);
      return onDecided(pair.id, keputusan === 'bukan_ganda' ? t('decidedNot') : t(r.body.record === 'conflict' ? 'decidedConflict' : 'decidedGanda', { who }));
    }
    if (r.kind === 'refused' && r.code === 'already_decided') return onDecided(pair.id, t('alreadyDecided'));
    if (r.kind === 'forbidden') return setError(t('outOfScope'));
    setError(t(problemOf(r)));
  };

  return (
    <section className="card" data-testid="duplicate-pair" data-pair={pair.id} aria-labelledby={`pair-${pair.id}`}>
      <h2 id={`pair-${pair.id}`}>
        {t(`kind_${pair.kind}` as DuplicatesKey)} · <span data-testid="pair-score">{t('score', { n: pair.score })}</span>
      </h2>
      {/* Side by side at any width: each field's name spans both columns above the two values, so
          two 16-digit NIKs still fit beside each other on a 360 px phone. */}
      <table className="pair-compare">
        <caption className="visually-hidden">{t('pairTable')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('recordA')}</th>
            <th scope="col">{t('recordB')}</th>
          </tr>
        </thead>
        {FIELDS.map((f) => {
          const same = (pair.a[f] ?? '') === (pair.b[f] ?? '');
          return (
            <tbody key={f} className={same ? 'pair-same' : 'pair-differs'} data-field={f}>
              <tr>
                <th scope="colgroup" colSpan={2}>
                  {t(f)}
                  {same && <span className="meta"> ({t('same')})</span>}
                </th>
              </tr>
              <tr>
                <td>{shown(pair.a, f)}</td>
                <td>{shown(pair.b, f)}</td>
              </tr>
            </tbody>
          );
        })}
      </table>
      {open ? (
        <>
          <SelectField
            id={`tms-${pair.id}`}
            label={t('chooseTms')}
            help={t('chooseTmsHelp')}
            value={tms}
            onChange={(e) => {
              setTms(e.target.value);
              setError(undefined);
            }}
          >
            <option value="">–</option>
            {(['A', 'B'] as const).map((letter) => {
              const card = letter === 'A' ? pair.a : pair.b;
              const inScope = covers(scope, card.desa);
              return (
                <option key={letter} value={card.key} disabled={!inScope}>
                  {`${t(letter === 'A' ? 'recordA' : 'recordB')}: ${placeName(card.desa)}, TPS ${Number(card.tps)}${inScope ? '' : ` (${t('outside')})`}`}
                </option>
              );
            })}
          </SelectField>
          {error && (
            <p className="error" role="alert" data-testid="pair-error">
              {error}
            </p>
          )}
          <div className="actions">
            <Button variant="primary" disabled={busy} onClick={() => void decide('ganda')}>
              {t('mark')}
            </Button>
            <Button disabled={busy} onClick={() => void decide('bukan_ganda')}>
              {t('notDuplicate')}
            </Button>
          </div>
        </>
      ) : (
        pair.tmsKey && <p data-testid="pair-decided">{t('decidedTms', { who: letterOf(pair, pair.tmsKey) })}</p>
      )}
    </section>
  );
}

export function DuplicatesScreen() {
  const t = useDuplicatesText();
  const scope = useOfficer((s) => s.session?.account.scope);
  const [status, setStatus] = useState<DuplicateStatus>('terbuka');
  const [pairs, setPairs] = useState<DuplicatePair[]>();
  const [openCount, setOpenCount] = useState<number>();
  const [next, setNext] = useState<string>();
  const [problem, setProblem] = useState<Problem>();
  const [busy, setBusy] = useState(false);
  const [said, setSaid] = useState<string>();

  const load = useCallback(async (s: DuplicateStatus, after?: string) => {
    setBusy(true);
    const r = await listDuplicatePairs(s, after);
    setBusy(false);
    if (r.kind !== 'ok') return setProblem(problemOf(r));
    setProblem(undefined);
    setPairs((before) => (after ? [...(before ?? []), ...r.body.pairs] : r.body.pairs));
    setOpenCount(r.body.open);
    setNext(r.body.next);
  }, []);

  useEffect(() => {
    void load(status);
  }, [load, status]);

  const search = async () => {
    setSaid(t('searching'));
    const r = await searchDuplicatePairs();
    if (r.kind !== 'ok') {
      setSaid(undefined);
      return setProblem(problemOf(r));
    }
    setSaid(t('searched', { found: r.body.found, opened: r.body.opened, closed: r.body.closed }));
    void load(status);
  };

  const decided = (id: string, message: string) => {
    setSaid(message);
    setPairs((before) => before?.filter((p) => p.id !== id));
    setOpenCount((n) => (n === undefined ? n : Math.max(0, n - 1)));
  };

  if (!scope) return null;
  return (
    <>
      <h1>{t('heading')}</h1>
      <p className="meta">{t('intro')}</p>
      <SelectField id="duplicates-status" label={t('status')} value={status} onChange={(e) => setStatus(e.target.value as DuplicateStatus)}>
        {(['terbuka', 'ganda', 'bukan_ganda'] as const).map((s) => (
          <option key={s} value={s}>
            {t(`status_${s}`)}
          </option>
        ))}
      </SelectField>
      {scope === PROVINCE_CODE && (
        <div className="actions">
          <Button onClick={() => void search()}>{t('search')}</Button>
        </div>
      )}
      {problem && (
        <p className="notice bad" role="alert" data-testid="duplicates-problem">
          {t(problem)}
        </p>
      )}
      <p role="status" className="meta" data-testid="duplicates-status-line">
        {said ?? (busy ? t('loading') : openCount !== undefined ? t('openCount', { n: num(openCount) }) : '')}
      </p>
      {pairs && pairs.length === 0 && !busy && <p>{t('none')}</p>}
      {pairs?.map((p) => <PairCard key={p.id} pair={p} scope={scope} onDecided={decided} />)}
      {next && (
        <div className="actions">
          <Button onClick={() => void load(status, next)}>{t('more')}</Button>
        </div>
      )}
      <p>
        <a className="link-row" href={href({ name: 'officer' })}>
          {t('back')}
        </a>
      </p>
    </>
  );
}
