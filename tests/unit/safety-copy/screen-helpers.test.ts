// The pure parts of the safety-copy screens: which passphrase error goes beside which field, where
// each import refusal is shown, and the size announced before saving.
import { describe, expect, it } from 'vitest';
import { copyEstimate } from '../../../src/features/safety-copy/copy-size.ts';
import { newPassphraseErrors, refusalMessage } from '../../../src/features/safety-copy/copy-messages.ts';
import type { OutboxRow } from '../../../src/db/schema.ts';
import { parseRoute, href } from '../../../src/app/router.ts';

function row(id: string, bytes: number, data: Record<string, unknown>): OutboxRow {
  return {
    id,
    envelope: { id, formId: 'f', formVersion: 1, createdAt: '2026-11-28T00:00:00.000Z', data: data as OutboxRow['envelope']['data'], secret: 's' },
    bytes,
    state: 'queued',
    queuedAt: 0,
    attempts: 0,
  };
}

describe('safety copy screens', () => {
  it('asks for 8 characters first, then the same passphrase twice (compared after NFC)', () => {
    expect(newPassphraseErrors('pendek', 'pendek')).toEqual({ first: 'backupTooShort' });
    expect(newPassphraseErrors('kotak suara 12', 'kotak suara 21')).toEqual({ second: 'backupMismatch' });
    expect(newPassphraseErrors('kotak suara 12', '')).toEqual({ second: 'backupMismatch' });
    expect(newPassphraseErrors('caf\u00e9 di Muntok', 'cafe\u0301 di Muntok')).toEqual({});
  });

  it('shows a wrong passphrase beside the passphrase, a wrong file beside the file, a full disk for the screen', () => {
    expect(refusalMessage('wrong_passphrase')).toEqual({ place: 'passphrase', key: 'backupWrongPassphrase' });
    expect(refusalMessage('not_a_safety_copy')).toEqual({ place: 'file', key: 'backupNotACopy' });
    expect(refusalMessage('newer_format')).toEqual({ place: 'file', key: 'backupNewerFormat' });
    expect(refusalMessage('damaged')).toEqual({ place: 'file', key: 'backupDamaged' });
    expect(refusalMessage('quota')).toEqual({ place: 'screen', key: 'quotaFull' });
  });

  it('estimates the copy as the envelopes plus each referenced file once', () => {
    const photo = { sha256: 'a'.repeat(64), type: 'image/jpeg', size: 200_000 };
    const rows = [
      row('1', 1000, { nama: 'Siti', foto: photo }),
      row('2', 1200, { nama: 'Budi', lampiran: [photo, { sha256: 'b'.repeat(64), type: 'application/pdf', size: 50_000 }] }),
      row('3', 900, { nama: 'Ayu' }),
    ];
    expect(copyEstimate(rows)).toEqual({ items: 3, bytes: 3100 + 250_000, files: 2 });
    expect(copyEstimate([])).toEqual({ items: 0, bytes: 0, files: 0 });
  });

  it('routes #/cadangan/simpan and #/cadangan/buka both ways', () => {
    expect(parseRoute('#/cadangan/simpan')).toEqual({ name: 'backupSave' });
    expect(parseRoute('#/cadangan/buka')).toEqual({ name: 'backupOpen' });
    expect(href({ name: 'backupSave' })).toBe('#/cadangan/simpan');
    expect(href({ name: 'backupOpen' })).toBe('#/cadangan/buka');
  });
});
