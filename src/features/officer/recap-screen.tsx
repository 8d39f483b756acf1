// #/petugas/rekap[/<region>]: the coklit recap (issue #13) of a region in the officer's scope, one
// row per part of it (province → regency → district → village → TPS) with a link down to each part,
// and a total. Counts only, read from the server each time (GET /voters/recap); the same table as
// CSV from the server, printable (recap-print.css), and at TPS level the updated list of each TPS as
// CSV (the upload's columns plus the outcome; personal data, so the server audits each download).
import { useCallback, useEffect, useState } from 'react';
import { Button } from '../../app/button.tsx';
import { DataTable } from '../../app/data-table.tsx';
import { href } from '../../app/router.ts';
import { covers } from '../../../core/auth/scope.ts';
import { COKLIT_TMS_PILKADA } from '../../../core/forms/catalog/common.ts';
import { drillLevel, parentScope, type RecapLevel, type RecapRow } from '../../../core/voters/recap.ts';
import { failureOf, officerGet, saveFile, type OfficerResult } from '../../lib/officer-get.ts';
import { useOfficer } from '../../auth/officer-store.ts';
import { useI18n } from '../../i18n/use-i18n.ts';
import { num, wibTime } from '../kpi/kpi-format.ts';
import { regionName } from './region-name.ts';
import { useRecapText, type RecapKey } from './recap-text.ts';
import './recap-print.css';

type Problem = Exclude<OfficerResult<never>['kind'], 'ok'>;

interface RecapPage {
  scope: string;
  level: RecapLevel;
  rows: RecapRow[];
  total: RecapRow;
}

const TMS_CODES = COKLIT_TMS_PILKADA.map((c) => c.value);

async function readRecap(scope: string, level: RecapLevel): Promise<OfficerResult<RecapPage>> {
  const res = await officerGet(`/voters/recap?scope=${encodeURIComponent(scope)}&level=${level}`);
  if (res === 'offline' || !res.ok) return failureOf(res);
  return { kind: 'ok', body: (await res.json()) as RecapPage };
}

function Figures({ row }: { row: RecapRow }) {
  return (
    <>
      <td>{num(row.listed)}</td>
      <td>{num(row.visited)}</td>
      <td>{num(row.sesuai)}</td>
      <td>{num(row.ubah)}</td>
      <td>{num(row.baru)}</td>
      <td>{num(row.tms)}</td>
      {TMS_CODES.map((c) => (
        <td key={c}>{num(row.tmsByCode[c] ?? 0)}</td>
      ))}
      <td>{num(row.male)}</td>
      <td>{num(row.female)}</td>
      <td>{num(row.disabled)}</td>
      <td>{num(row.openConflicts)}</td>
      <td>{row.openDuplicates === null ? '—' : num(row.openDuplicates)}</td>
    </>
  );
}

export function RecapScreen({ scope: asked }: { scope: string | undefined }) {
  const t = useRecapText();
  const { lang } = useI18n();
  const own = useOfficer((s) => s.session?.account.scope);
  const scope = asked ?? own;
  const [page, setPage] = useState<RecapPage>();
  const [at, setAt] = useState<string>();
  const [problem, setProblem] = useState<Problem>();
  const [busy, setBusy] = useState(false);

  const level = scope === undefined ? undefined : drillLevel(scope);

  const load = useCallback(async (s: string, l: RecapLevel) => {
    setBusy(true);
    const got = await readRecap(s, l);
    setBusy(false);
    if (got.kind !== 'ok') return setProblem(got.kind);
    setProblem(undefined);
    setPage(got.body);
    setAt(new Date().toISOString());
  }, []);

  useEffect(() => {
    if (scope && level) void load(scope, level);
  }, [load, scope, level]);

  const download = async (path: string, fileName: string) => {
    setProblem(undefined);
    const res = await officerGet(path, 600_000);
    if (res === 'offline' || !res.ok) return setProblem(failureOf(res).kind as Problem);
    saveFile(new Blob([await res.text()], { type: 'text/csv;charset=utf-8' }), fileName);
  };

  if (!scope) return null;
  // A code typed into the address that names no region: said, not sent.
  if (!level) {
    return (
      <>
        <h1>{t('heading')}</h1>
        <p className="notice bad" role="alert">
          {t('failed')}
        </p>
      </>
    );
  }
  const up = parentScope(scope);
  const mayGoUp = up !== undefined && own !== undefined && covers(own, up);
  const atTps = level === 'tps';
  const heads = [
    t(`level_${level}` as RecapKey),
    t('listed'),
    t('visited'),
    t('sesuai'),
    t('ubah'),
    t('baru'),
    t('tms'),
    ...TMS_CODES.map((code) => t('tmsCode', { code })),
    t('male'),
    t('female'),
    t('disabled'),
    t('openConflicts'),
    t('openDuplicates'),
    ...(atTps ? [t('list')] : []),
  ];

  return (
    <div className="recap">
      <h1>{t('heading')}</h1>
      <p className="meta">{t('intro')}</p>
      <h2 data-testid="recap-scope">{t('of', { name: regionName(scope) })}</h2>
      {mayGoUp && (
        <p className="recap-noprint">
          <a className="link-row" href={href({ name: 'voterRecap', scope: up })} data-testid="recap-up">
            {t('up', { name: regionName(up) })}
          </a>
        </p>
      )}
      <div className="actions recap-noprint">
        <Button data-testid="recap-csv" onClick={() => void download(`/voters/recap?scope=${encodeURIComponent(scope)}&level=${level}&format=csv`, `rekap-coklit-${scope}-${level}.csv`)}>
          {t('csv')}
        </Button>
        <Button onClick={() => window.print()}>{t('print')}</Button>
      </div>
      {problem && (
        <p className="notice bad" role="alert" data-testid="recap-problem">
          {t(problem)}
        </p>
      )}
      <p role="status" className="meta">
        {busy ? t('loading') : page && at ? t('asOf', { name: regionName(page.scope), at: wibTime(at) }) : ''}
      </p>
      {page && page.rows.length === 0 && <p>{t('empty')}</p>}
      {page && page.rows.length > 0 && (
        <DataTable label={t('of', { name: regionName(page.scope) })} heads={heads} testId="recap-table">
          {page.rows.map((row) => {
            const [village, tps] = row.key.split('/');
            return (
              <tr key={row.key} data-key={row.key}>
                <th scope="row">{tps !== undefined ? t('tpsName', { n: tps }) : <a href={href({ name: 'voterRecap', scope: row.key })}>{regionName(row.key)}</a>}</th>
                <Figures row={row} />
                {atTps && tps !== undefined && (
                  <td>
                    <Button
                      className="recap-noprint"
                      aria-label={t('listCsvLabel', { n: tps })}
                      data-testid={`recap-list-${tps}`}
                      onClick={() => void download(`/voters/list.csv?village=${encodeURIComponent(village!)}&tps=${encodeURIComponent(tps)}`, `daftar-${village}-${tps}.csv`)}
                    >
                      {t('listCsv')}
                    </Button>
                  </td>
                )}
              </tr>
            );
          })}
          <tr className="recap-total" data-key="total">
            <th scope="row">{t('total')}</th>
            <Figures row={page.total} />
            {atTps && <td />}
          </tr>
        </DataTable>
      )}
      {page && page.rows.length > 0 && (
        <details className="recap-codes">
          <summary>{t('codes')}</summary>
          <ul>
            {COKLIT_TMS_PILKADA.map((c) => (
              <li key={c.value}>{c.label[lang]}</li>
            ))}
          </ul>
        </details>
      )}
      <p className="recap-noprint">
        <a className="link-row" href={href({ name: 'officer' })}>
          {t('back')}
        </a>
      </p>
    </div>
  );
}
