// #/petugas/kinerja: the KPI dashboard (a lazy chunk). For one period: the units' request KPIs and
// IKM, their ranking, the sync delay by island and the coklit coverage, each a chart beside a
// table, each table downloadable as CSV. Prints as a monthly report (kpi-print.css).
import { createContext, useCallback, useContext, useEffect, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { Button } from '../../app/button.tsx';
import { DataTable } from '../../app/data-table.tsx';
import { InputField } from '../../app/input-field.tsx';
import { href } from '../../app/router.ts';
import { BarChart } from './bar-chart.tsx';
import { downloadCsv, fetchKpi, type CoverageRow, type KpiPage, type KpiResult, type PracticeRow, type RankingRow, type SyncRow, type UnitRow, type VersionRow } from './kpi-api.ts';
import { currentMonth, hours, num, pct, wibTime } from './kpi-format.ts';
import { useKpiText } from './kpi-text.ts';
import './kpi-print.css';

const PERIOD = /^\d{4}(-Q[1-4]|-(0[1-9]|1[0-2]))?$/;

interface Pages {
  units: KpiPage<UnitRow>;
  ranking: KpiPage<RankingRow>;
  islands: KpiPage<SyncRow>;
  coklit: KpiPage<CoverageRow>;
  practice: KpiPage<PracticeRow>;
  versions: KpiPage<VersionRow>;
}

/** Each table: its route, grouping, and whether it covers a period (else all time). */
const PATHS = {
  units: { route: 'table', by: 'unit', periodic: true },
  ranking: { route: 'ranking', by: undefined, periodic: true },
  islands: { route: 'sync-delay', by: 'island', periodic: true },
  coklit: { route: 'coklit', by: 'regency', periodic: true },
  // Training progress and the versions devices hold are all time.
  practice: { route: 'practice', by: undefined, periodic: false },
  versions: { route: 'form-versions', by: undefined, periodic: false },
} as const;

type TableName = keyof typeof PATHS;
const TABLES = Object.keys(PATHS) as TableName[];

function pathOf(name: TableName, period: string): string {
  const { route, by, periodic } = PATHS[name];
  if (!periodic) return route;
  return `${route}?${by ? `by=${by}&` : ''}period=${encodeURIComponent(period)}`;
}

/** The section's title, so its table's scrolling region is named after it. */
const SectionTitle = createContext('');

function Section({ id, title, csv, children }: { id: string; title: string; csv: () => void; children: ReactNode }) {
  const t = useKpiText();
  return (
    <section className="kpi-section" data-testid={`kpi-${id}`}>
      <h2>{title}</h2>
      <SectionTitle value={title}>{children}</SectionTitle>
      <div className="actions kpi-noprint">
        <Button data-testid={`kpi-${id}-csv`} onClick={csv}>
          {t('csv')}
        </Button>
      </div>
    </section>
  );
}

/** The section's table: the app's one table for wide figures; children are the body rows. */
function Table({ heads, children }: { heads: readonly string[]; children: ReactNode }) {
  return (
    <DataTable label={useContext(SectionTitle)} heads={heads}>
      {children}
    </DataTable>
  );
}

export function KpiScreen() {
  const t = useKpiText();
  const [input, setInput] = useState(currentMonth);
  const [period, setPeriod] = useState(currentMonth);
  const [inputError, setInputError] = useState(false);
  const [pages, setPages] = useState<Partial<Pages>>({});
  const [problem, setProblem] = useState<Exclude<KpiResult<unknown>['kind'], 'ok'>>();
  const [busy, setBusy] = useState(false);

  // The all-time tables, once loaded, stay: no period changes them.
  const allTimeLoaded = useRef(false);
  const load = useCallback(async (p: string) => {
    setBusy(true);
    const names = allTimeLoaded.current ? TABLES.filter((n) => PATHS[n].periodic) : TABLES;
    const results = await Promise.all(names.map((n) => fetchKpi<never>(pathOf(n, p))));
    setBusy(false);
    for (const r of results) if (r.kind !== 'ok') return setProblem(r.kind);
    setProblem(undefined);
    if (names.length === TABLES.length) allTimeLoaded.current = true;
    setPages((before) => ({ ...before, ...Object.fromEntries(names.map((n, i) => [n, (results[i] as { body: unknown }).body])) }));
  }, []);

  useEffect(() => {
    void load(period);
  }, [load, period]);

  function submit(event: FormEvent) {
    event.preventDefault();
    const value = input.trim();
    if (!PERIOD.test(value)) return setInputError(true);
    setInputError(false);
    setPeriod(value);
  }

  const csv = (name: TableName) => () => {
    void downloadCsv(pathOf(name, period), `kpi-${name}${PATHS[name].periodic ? `-${period}` : ''}.csv`).then((r) => r.kind !== 'ok' && setProblem(r.kind));
  };

  const { units, ranking, islands, coklit, practice, versions } = pages;
  return (
    <div className="kpi">
      <h1>{t('heading')}</h1>
      <p className="meta">{t('intro')}</p>
      <form className="filters kpi-noprint" onSubmit={submit} noValidate>
        <InputField
          id="kpi-period"
          label={t('period')}
          value={input}
          onChange={(e) => setInput(e.target.value)}
          error={inputError ? t('periodInvalid') : undefined}
          alert
          placeholder="2026-03"
          inputMode="numeric"
        />
        <div className="actions">
          <Button type="submit" variant="primary">
            {t('show')}
          </Button>
          <Button onClick={() => window.print()}>{t('print')}</Button>
        </div>
      </form>
      {problem && (
        <p className="notice bad" role="alert" data-testid="kpi-problem">
          {t(problem)}
        </p>
      )}
      <p role="status" className="meta">
        {busy ? t('loading') : units ? t('asOf', { period: units.period, at: wibTime(units.at) }) : ''}
      </p>

      {units && (
        <Section id="units" title={t('units')} csv={csv('units')}>
          {units.rows.length === 0 ? (
            <p>{t('empty')}</p>
          ) : (
            <>
              <BarChart title={t('chartSla')} max={100} unit=" %" bars={units.rows.map((r) => ({ key: r.key, label: r.label, value: r.requests.slaOnTimePct }))} />
              <Table heads={[t('unit'), t('received'), t('open'), t('overdue'), t('firstMedian'), t('firstP90'), t('doneMedian'), t('doneP90'), t('slaPct'), t('ikm'), t('grade')]}>
                {units.rows.map((r) => (
                  <tr key={r.key} data-key={r.key}>
                    <th scope="row">{r.label}</th>
                    <td>{num(r.requests.received)}</td>
                    <td>{num(r.requests.open)}</td>
                    <td>{num(r.requests.overdue)}</td>
                    <td>{hours(r.requests.firstResponse.median)}</td>
                    <td>{hours(r.requests.firstResponse.p90)}</td>
                    <td>{hours(r.requests.completion.median)}</td>
                    <td>{hours(r.requests.completion.p90)}</td>
                    <td>{pct(r.requests.slaOnTimePct)}</td>
                    <td>{num(r.ikm.ikm)}</td>
                    <td>{r.ikm.grade ? `${r.ikm.grade} (${r.ikm.quality})` : '–'}</td>
                  </tr>
                ))}
              </Table>
            </>
          )}
        </Section>
      )}

      {ranking && ranking.rows.length > 0 && (
        <Section id="ranking" title={t('ranking')} csv={csv('ranking')}>
          <Table heads={[t('unit'), t('position'), t('composite'), t('slaPct'), t('firstMedian'), t('ikm')]}>
            {ranking.rows.map((r) => (
              <tr key={r.unit} data-key={r.unit}>
                <th scope="row">{r.label}</th>
                <td>{r.position ?? '–'}</td>
                <td>{r.composite === undefined ? '–' : (Math.round(r.composite * 100) / 100).toLocaleString('id-ID')}</td>
                <td>{pct(r.slaOnTimePct)}</td>
                <td>{hours(r.medianFirstResponseMs)}</td>
                <td>{num(r.ikm)}</td>
              </tr>
            ))}
          </Table>
        </Section>
      )}

      {islands && islands.rows.length > 0 && (
        <Section id="islands" title={t('syncDelay')} csv={csv('islands')}>
          <BarChart title={t('chartDelay')} bars={islands.rows.map((r) => ({ key: r.key, label: r.label, value: r.median === undefined ? undefined : r.median / 3_600_000 }))} />
          <Table heads={[t('island'), t('count'), t('median'), t('p90')]}>
            {islands.rows.map((r) => (
              <tr key={r.key} data-key={r.key}>
                <th scope="row">{r.label}</th>
                <td>{num(r.count)}</td>
                <td>{hours(r.median)}</td>
                <td>{hours(r.p90)}</td>
              </tr>
            ))}
          </Table>
        </Section>
      )}

      {coklit && coklit.rows.length > 0 && (
        <Section id="coklit" title={t('coklit')} csv={csv('coklit')}>
          <BarChart title={t('chartCoverage')} max={100} unit=" %" bars={coklit.rows.map((r) => ({ key: r.key, label: r.label, value: r.coveragePct }))} />
          <Table heads={[t('regency'), t('tps'), t('assigned'), t('visited'), t('remaining'), t('coverage')]}>
            {coklit.rows.map((r) => (
              <tr key={r.key} data-key={r.key}>
                <th scope="row">{r.label}</th>
                <td>{num(r.tps)}</td>
                <td>{num(r.assigned)}</td>
                <td>{num(r.visited)}</td>
                <td>{num(r.remaining)}</td>
                <td>{pct(r.coveragePct)}</td>
              </tr>
            ))}
          </Table>
        </Section>
      )}

      {practice && practice.rows.length > 0 && (
        <Section id="practice" title={t('practice')} csv={csv('practice')}>
          <Table heads={[t('officer'), t('form'), t('practiceCount'), t('lastPractice')]}>
            {practice.rows.map((r) => (
              <tr key={`${r.accountId}/${r.formId}`} data-key={`${r.username ?? r.accountId}/${r.formId}`}>
                <th scope="row">
                  {r.displayName} ({r.username !== undefined ? `${r.username}, ` : ''}
                  {r.officerLabel})
                </th>
                <td>{r.formId}</td>
                <td>{num(r.count)}</td>
                <td>{wibTime(r.lastAt)}</td>
              </tr>
            ))}
          </Table>
        </Section>
      )}

      {versions && (
        <Section id="versions" title={t('versions')} csv={csv('versions')}>
          {versions.rows.length === 0 ? (
            <p>{t('versionsNone')}</p>
          ) : (
            <Table heads={[t('device'), t('officer'), t('regency'), t('form'), t('heldVersion'), t('currentVersion'), t('lastSeen')]}>
              {versions.rows.map((r) => (
                <tr key={`${r.deviceId}/${r.item}`} data-key={`${r.username ?? r.deviceId}/${r.item}`}>
                  <th scope="row">{r.deviceLabel}</th>
                  <td>
                    {r.displayName} ({r.username !== undefined ? `${r.username}, ` : ''}
                    {r.officerLabel})
                  </td>
                  <td>{r.regencyLabel}</td>
                  <td>{r.kind === 'sop' ? `SOP: ${r.title}` : r.title}</td>
                  <td>{r.version === 0 ? t('notHeld') : num(r.version)}</td>
                  <td>{num(r.current)}</td>
                  <td>{wibTime(r.reportedAt)}</td>
                </tr>
              ))}
            </Table>
          )}
        </Section>
      )}

      <p className="kpi-noprint">
        <a className="link-row" href={href({ name: 'officer' })}>
          {t('back')}
        </a>
      </p>
    </div>
  );
}
