// How many SMS the typical forms take, with answers as residents of the islands write them.
// The figures are printed for docs/handoff.md and bounded, so a change to the encoding that
// costs residents another SMS fails here.
import { describe, expect, it } from 'vitest';
import { PUBLISHED_FORMS } from '../../../core/forms/catalog/index.ts';
import type { FormDef } from '../../../core/forms/definition.ts';
import { validateForm } from '../../../core/forms/validate.ts';
import { randomSecret, ulid } from '../../../core/ids.ts';
import type { SubmissionEnvelope } from '../../../core/protocol.ts';
import { unpackEnvelope } from '../../../core/sealed/envelope-codec.ts';
import { packFieldsOf } from '../../../core/sealed/form-fields.ts';
import { sealEnvelope } from '../../../core/sealed/sealed-envelope.ts';
import { unseal } from '../../../core/sealed/seal.ts';
import { isGsm7Basic, smsCount } from '../../../core/sms/gsm7.ts';
import { encodeSms } from '../../../core/sms/sms-codec.ts';
import { makeServerKey } from '../handoff/test-key.ts';

const reporter = { nik: '1901034708880002', nama: 'Nurhayati binti Abdullah', telepon: '0813 6712 4490' };

/** Realistic answers: Bangka Belitung names and places, sentences of the length people write. */
const SAMPLES: Record<string, { data: Record<string, unknown>; note?: string; maxSms: number }> = {
  'ppid-permohonan': {
    maxSms: 4,
    data: {
      ditujukanKepada: '19.01',
      ...reporter,
      alamat: 'Dusun Tanjung Labu RT 02, Desa Tanjung Labu, Kec. Lepar Pongok',
      pekerjaan: 'Nelayan',
      rincianInformasi: 'Salinan daftar TPS dan jumlah pemilih per TPS di Kecamatan Lepar Pongok untuk Pemilu 2024',
      tujuanPenggunaan: 'Usulan TPS tambahan di Dusun Celagen kepada pemerintah desa',
      caraMenerima: 'ambil',
    },
  },
  'tanggapan-dps': {
    maxSms: 4,
    note: 'with the reference to its required photo; the photo itself follows when the phone finds signal',
    data: {
      ...reporter,
      jenisTanggapan: 'belum_terdaftar',
      nikBersangkutan: '1901035506050001',
      namaBersangkutan: 'Putri Ramadhani',
      wilayah: '19.01.01.2001',
      nomorTps: '004',
      bukti: { sha256: '9f2c6a1de0b7c34f55a8e9d1c2b3a4f5e6d7c8b9a0f1e2d3c4b5a69788796a5b', type: 'image/jpeg', size: 184_532 },
      keterangan: 'Anak saya sudah 17 tahun bulan Juni, belum ada di DPS yang ditempel di balai desa.',
    },
  },
  pengaduan: {
    maxSms: 3,
    data: {
      jenis: 'pengaduan',
      ditujukanKepada: '19.01',
      ...reporter,
      isi: 'Pantarlih belum datang ke Dusun Celagen sampai hari ini. Ada 40 KK di sini, kapal ke Pongok hanya dua kali seminggu.',
      lokasi: '19.01.01',
      tanggalKejadian: '2026-11-20',
    },
  },
  skm: {
    maxSms: 2,
    data: {
      kantorDinilai: '19.03',
      layanan: 'informasi',
      jenisKelamin: 'P',
      umur: '36-45',
      pendidikan: 'sma',
      pekerjaan: 'wirausaha',
      u1Persyaratan: '3',
      u2Prosedur: '3',
      u3Waktu: '2',
      u4Biaya: '4',
      u5Produk: '3',
      u6Kompetensi: '3',
      u7Perilaku: '4',
      u8Pengaduan: '3',
      u9Sarana: '2',
      saran: 'Mohon jadwal layanan keliling ke pulau-pulau kecil diumumkan lewat SMS.',
    },
  },
};

function formOf(formId: string): FormDef {
  const form = PUBLISHED_FORMS.filter((f) => f.formId === formId).sort((a, b) => b.version - a.version)[0];
  if (!form) throw new Error(`no form ${formId}`);
  return form;
}

describe('SMS per form', () => {
  it('stays within a few SMS for the typical forms, and every text is plain GSM-7', async () => {
    const key = await makeServerKey();
    const rows: string[] = [];
    for (const [formId, sample] of Object.entries(SAMPLES)) {
      const form = formOf(formId);
      expect(validateForm(form, sample.data).errors, formId).toEqual([]);
      const envelope: SubmissionEnvelope = {
        id: ulid(),
        formId,
        formVersion: form.version,
        createdAt: new Date().toISOString(),
        data: sample.data,
        secret: randomSecret(),
      };
      const sealedByName = await sealEnvelope(key, envelope);
      const byName = await encodeSms(sealedByName);
      const sealed = await sealEnvelope(key, envelope, packFieldsOf(form));
      const texts = await encodeSms(sealed);
      for (const t of texts) expect(isGsm7Basic(t)).toBe(true);
      const count = smsCount(texts.join(''));
      expect(count, formId).toBe(texts.length);
      expect(count, formId).toBeLessThanOrEqual(sample.maxSms);
      // Packing by field names takes the names out: at least 40 bytes less on each of these forms.
      expect(sealed.length, formId).toBeLessThan(sealedByName.length - 40);
      // And it opens back to the same envelope with the server's copy of the form.
      const back = await unpackEnvelope(await unseal(key, sealed), async () => packFieldsOf(form));
      expect(back).toEqual(envelope);
      rows.push(
        `${formId.padEnd(16)} json ${String(JSON.stringify(envelope).length).padStart(4)} B  sealed ${String(sealed.length).padStart(3)} B  ` +
          `${count} SMS (${byName.length} with the field names spelled out)${sample.note ? `  ${sample.note}` : ''}`,
      );
    }
    console.log(`SMS per form:\n${rows.join('\n')}`);
  });

  it('keeps answers the form does not list and choices off the list, and refuses a form version it does not know', async () => {
    const form = formOf('skm');
    const key = await makeServerKey();
    const envelope: SubmissionEnvelope = {
      id: ulid(),
      formId: 'skm',
      formVersion: form.version,
      createdAt: new Date().toISOString(),
      data: { ...SAMPLES.skm!.data, catatanLama: 'dari versi sebelumnya' },
      secret: randomSecret(),
    };
    const bytes = await unseal(key, await sealEnvelope(key, envelope, packFieldsOf(form)));
    expect(await unpackEnvelope(bytes, async () => packFieldsOf(form))).toEqual(envelope);
    await expect(unpackEnvelope(bytes, async () => undefined)).rejects.toThrow(/does not know/);
    // A choice answer that is not one of the listed values travels as written.
    const offList = { ...envelope, data: { ...envelope.data, umur: '99', pendidikan: 3 } };
    const offBytes = await unseal(key, await sealEnvelope(key, offList, packFieldsOf(form)));
    expect(await unpackEnvelope(offBytes, async () => packFieldsOf(form))).toEqual(offList);
    await expect(unpackEnvelope(bytes, async () => packFieldsOf(form).slice(1))).rejects.toThrow(/another version/);
  });
});
