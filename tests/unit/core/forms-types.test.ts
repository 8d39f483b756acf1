// Each format-2 field type against its wire shape, table-driven on the published forms.
import { describe, expect, it } from 'vitest';
import { PUBLISHED_FORMS } from '../../../core/forms/catalog/index.ts';
import { fullContext } from '../../../core/forms/full-context.ts';
import { issueText } from '../../../core/forms/messages.ts';
import { cleanAnswers, validateForm } from '../../../core/forms/validate.ts';
import { sampleAnswers } from '../../support/form-filler.ts';

const context = fullContext(Date.parse('2026-06-01T03:00:00Z'));
const form = (id: string) => PUBLISHED_FORMS.find((f) => f.formId === id)!;
const sha = 'ab'.repeat(32);

describe.each([
  // survei-tps: number, multichoice with a contains condition, yes/no with required-if, gps, island, photo
  { form: 'survei-tps', change: { kapasitas: '601' }, issue: { field: 'kapasitas', code: 'number_max', params: { max: 600 } } },
  { form: 'survei-tps', change: { kapasitas: '12,5' }, issue: { field: 'kapasitas', code: 'number_integer' } },
  { form: 'survei-tps', change: { kapasitas: 'dua' }, issue: { field: 'kapasitas', code: 'number_format' } },
  { form: 'survei-tps', change: { akses: ['perahu'] }, issue: { field: 'waktuPerahu', code: 'required' } },
  { form: 'survei-tps', change: { akses: ['perahu', 'perahu'], waktuPerahu: '30' }, issue: { field: 'akses', code: 'duplicate_choice' } },
  { form: 'survei-tps', change: { akses: 'jalan' }, issue: { field: 'akses', code: 'not_list' } },
  { form: 'survei-tps', change: { aksesDisabilitas: 'tidak', catatanAksesibilitas: '' }, issue: { field: 'catatanAksesibilitas', code: 'required' } },
  { form: 'survei-tps', change: { aksesDisabilitas: 'mungkin' }, issue: { field: 'aksesDisabilitas', code: 'bad_choice' } },
  { form: 'survei-tps', change: { lokasi: { lat: -95, lng: 106 } }, issue: { field: 'lokasi', code: 'gps_range' } },
  { form: 'survei-tps', change: { lokasi: { lat: '-2', lng: 106 } }, issue: { field: 'lokasi', code: 'gps_shape' } },
  { form: 'survei-tps', change: { pulau: '19.01.4001' }, issue: { field: 'pulau', code: 'island_format' } },
  { form: 'survei-tps', change: { pulau: '19.01.49999' }, issue: { field: 'pulau', code: 'island_unknown' } },
  { form: 'survei-tps', change: { foto: { sha256: sha, type: 'image/gif', size: 10 } }, issue: { field: 'foto', code: 'file_type' } },
  { form: 'survei-tps', change: { foto: { sha256: sha, type: 'image/jpeg', size: 6 * 1024 * 1024 } }, issue: { field: 'foto', code: 'file_too_big', params: { maxMb: 5 } } },
  { form: 'survei-tps', change: { foto: { sha256: 'xyz', type: 'image/jpeg', size: 10 } }, issue: { field: 'foto', code: 'file_shape' } },
  { form: 'survei-tps', change: { tps: '3' }, issue: { field: 'tps', code: 'constraint', params: { index: 0 } } },
  // coklit-pilkada: KK, dates, named choice lists, conditional document
  { form: 'coklit-pilkada', change: { kk: '1900021234567890' }, issue: { field: 'kk', code: 'kk_region' } },
  { form: 'coklit-pilkada', change: { tanggalLahir: '2026-06-02' }, issue: { field: 'tanggalLahir', code: 'date_future' } },
  { form: 'coklit-pilkada', change: { tanggalLahir: '1899-12-31' }, issue: { field: 'tanggalLahir', code: 'date_too_early' } },
  { form: 'coklit-pilkada', change: { statusKawin: 'X' }, issue: { field: 'statusKawin', code: 'bad_choice' } },
  { form: 'coklit-pilkada', change: { hasil: 'tms', alasanTms: '8' }, issue: { field: 'suratDokter', code: 'required' } },
  { form: 'coklit-pilkada', change: { hasil: 'ubah' }, issue: { field: 'dataDiubah', code: 'required' } },
  // akreditasi: repeat group and the statement
  { form: 'akreditasi-pemantau', change: { anggota: [] }, issue: { field: 'anggota', code: 'required' } },
  { form: 'akreditasi-pemantau', change: { anggota: [{ nama: 'Ani' }] }, issue: { field: 'anggota[0].nik', code: 'required' } },
  { form: 'akreditasi-pemantau', change: { pernyataan: 'tidak' }, issue: { field: 'pernyataan', code: 'constraint', params: { index: 0 } } },
])('$form: $issue.code on $issue.field', ({ form: id, change, issue }) => {
  it('is reported', () => {
    expect(validateForm(form(id), { ...sampleAnswers(form(id)), ...change }, context).errors).toContainEqual(issue);
  });
});

describe('wire shapes', () => {
  it('a GPS point outside the province is a warning only', () => {
    const f = form('coklit-pilkada');
    const verdict = validateForm(f, { ...sampleAnswers(f), lokasi: { lat: -6.2, lng: 106.8, accuracy: 12 } }, context);
    expect(verdict.errors).toEqual([]);
    expect(verdict.warnings).toContainEqual({ field: 'lokasi', code: 'gps_outside_area' });
  });

  it('cleaning tidies numbers, lists and entries and keeps only the reference of a file', () => {
    const f = form('survei-tps');
    const clean = cleanAnswers(f, { kapasitas: ' 250 ', luas: '12,5', akses: ['perahu', ' perahu', ''], foto: { sha256: sha, type: 'image/jpeg', size: 9, name: 'x.jpg' } });
    expect(clean).toEqual({ kapasitas: '250', luas: '12.5', akses: ['perahu'], foto: { sha256: sha, type: 'image/jpeg', size: 9 } });
  });

  it("a custom constraint's message comes from the definition", () => {
    const f = form('coklit-pilkada');
    const tps = f.fields.find((x) => x.name === 'tps');
    expect(issueText({ code: 'constraint', params: { index: 0 } }, 'id', tps)).toBe('Tiga angka, contoh 003.');
    expect(issueText({ code: 'number_max', params: { max: 600 } }, 'en')).toBe('At most 600.');
  });
});
