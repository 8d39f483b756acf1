// `jangkau import-voters <file.csv>`: the voter list upload from the server's shell. A valid file is
// stored per TPS and audited as the CLI; a file with a bad line is refused whole, naming the line
// and column, and nothing of the list is printed.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { openPreparedDatabase } from '../../server/db/prepare.ts';
import { runCli } from '../support/server-process.ts';

const HEADER = 'desa,tps,nik,kk,nama,jenisKelamin,tempatLahir,tanggalLahir,alamat,rt';
const LINE = '19.01.01.1001,003,1901024501900001,1901020101200001,Siti Aminah,P,Mentok,1990-01-05,Jl. Pelabuhan No. 4,2';


it('imports a voter list per TPS, audited as the CLI, and refuses a bad file whole by line', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'jangkau-voters-'));
  try {
    const good = join(dataDir, 'dps.csv');
    writeFileSync(good, `${HEADER}\n${LINE}\n`);
    const bad = join(dataDir, 'salah.csv');
    writeFileSync(bad, `${HEADER}\n${LINE.replace('19.01.01.1001,003', '19.01.01.1001,004')}\n${LINE.replace('1901024501900001', '12345')}\n`);

    const imported = await runCli(['import-voters', good], { DATA_DIR: dataDir });
    expect(imported.stderr).toBe('');
    expect(imported.code).toBe(0);
    expect(imported.stdout).toContain('19.01.01.1001 TPS 003: 1 voters');
    const refused = await runCli(['import-voters', bad], { DATA_DIR: dataDir });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('baris 3, nik: NIK harus 16 angka.');
    for (const out of [imported.stdout, refused.stderr]) expect(out).not.toContain('Siti Aminah');

    const opened = await openPreparedDatabase({ dataDir });
    try {
      const rows = await opened.db.selectFrom('assignment_voters').select(['village_code', 'tps']).execute();
      expect(rows).toEqual([{ village_code: '19.01.01.1001', tps: '003' }]);
      const audit = await opened.db.selectFrom('audit_log').select(['actor_id', 'action', 'region_code']).where('action', '=', 'assignment.upload').execute();
      expect(audit).toEqual([{ actor_id: 'cli', action: 'assignment.upload', region_code: '19.01.01.1001' }]);
    } finally {
      await opened.close();
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
  // Two CLI processes, each compiling TypeScript at start: slow on a busy machine.
}, 120_000);
