// #/petugas/register: the PPID registers (requests, keberatan) of a month in the officer's region,
// read from the server one page at a time, printable, and downloadable whole as XLSX or CSV. The
// rows hold personal data, so nothing is kept on the device: each view asks the server again.
import { useState } from 'react';
import { failureOf, officerGet, saveFile, type OfficerResult } from '../../lib/officer-get.ts';
import { useRegisterText } from './register-text.ts';
import './register-print.css';
import { Button } from '../../app/button.tsx';
import { DataTable } from '../../app/data-table.tsx';
import { ChecksField, InputField } from '../../app/input-field.tsx';

type Kind = 'permohonan' | 'keberatan';

interface RegisterPage {
  title: string;
  period: string;
  scope: string;
  columns: { key: string; label: string }[];
  rows: Record<string, string | number | null>[];
  more: boolean;
}

const PAGE = 100;

function thisMonth(): string {
  return new Date(Date.now() + 7 * 3_600_000).toISOString().slice(0, 7);
}

async function readPage(kind: Kind, period: string, offset: number): Promise<OfficerResult<RegisterPage>> {
  const res = await officerGet(`/registers/${kind}?period=${period}&limit=${PAGE}&offset=${offset}`);
  if (res === 'offline' || !res.ok) return failureOf(res);
  return { kind: 'ok', body: (await res.json()) as RegisterPage };
}

export function RegisterScreen() {
  const r = useRegisterText();
  const [kind, setKind] = useState<Kind>('permohonan');
  const [period, setPeriod] = useState(thisMonth);
  const [offset, setOffset] = useState(0);
  const [page, setPage] = useState<RegisterPage | undefined>();
  const [problem, setProblem] = useState<Exclude<OfficerResult<never>['kind'], 'ok'> | undefined>();
  const [busy, setBusy] = useState(false);

  const show = async (at: number) => {
    setBusy(true);
    setProblem(undefined);
    const got = await readPage(kind, period, at);
    setBusy(false);
    if (got.kind !== 'ok') return setProblem(got.kind);
    setOffset(at);
    setPage(got.body);
  };

  const download = async (format: 'xlsx' | 'csv', sep?: 'comma' | 'semicolon') => {
    setProblem(undefined);
    const res = await officerGet(`/registers/${kind}?period=${period}&format=${format}${sep ? `&sep=${sep}` : ''}`, 600_000);
    if (res === 'offline' || !res.ok) return setProblem(failureOf(res).kind as Exclude<OfficerResult<never>['kind'], 'ok'>);
    saveFile(await res.blob(), `register-${kind}-${period}.${format}`);
  };

  return (
    <>
      <h1>{r('heading')}</h1>
      <p>{r('intro')}</p>
      <form
        className="actions"
        onSubmit={(e) => {
          e.preventDefault();
          void show(0);
        }}
      >
        <ChecksField
          id="register-kind"
          type="radio"
          legend={r('kind')}
          options={(['permohonan', 'keberatan'] as const).map((k) => ({ value: k, label: r(k) }))}
          checked={new Set([kind])}
          onToggle={(value) => setKind(value as typeof kind)}
        />
        <InputField id="register-period" label={r('period')} type="month" value={period} required onChange={(e) => setPeriod(e.target.value)} />
        <Button variant="primary" type="submit" disabled={busy}>
          {busy ? r('loading') : r('show')}
        </Button>
      </form>
      {problem && (
        <p className="notice bad" role="alert">
          {r(problem)}
        </p>
      )}
      {page && (
        <section aria-labelledby="register-title" data-testid="register">
          <h2 id="register-title">
            {page.title} · {page.period} · {page.scope}
          </h2>
          <div className="actions">
            <Button onClick={() => window.print()}>
              {r('print')}
            </Button>
            <Button onClick={() => void download('xlsx')}>
              {r('xlsx')}
            </Button>
            <Button onClick={() => void download('csv', 'semicolon')}>
              {r('csvSemicolon')}
            </Button>
            <Button onClick={() => void download('csv', 'comma')}>
              {r('csvComma')}
            </Button>
          </div>
          {page.rows.length === 0 ? (
            <p>{r('empty')}</p>
          ) : (
            <DataTable label={`${page.title} · ${page.period}`} heads={page.columns.map((c) => c.label)}>
              {page.rows.map((row) => (
                <tr key={String(row.nomor)}>
                  {page.columns.map((c) => (
                    <td key={c.key}>{row[c.key] ?? '–'}</td>
                  ))}
                </tr>
              ))}
            </DataTable>
          )}
          {page.more && (
            <div className="actions">
              <Button disabled={busy} onClick={() => void show(offset + PAGE)}>
                {r('more')}
              </Button>
            </div>
          )}
        </section>
      )}
    </>
  );
}
