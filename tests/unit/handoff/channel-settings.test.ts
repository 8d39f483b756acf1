// The phone's side of the offline channels: the server key and SMS number kept for use without
// signal, and "Kirim lewat SMS" building a link whose body the server can open.
import { describe, expect, it } from 'vitest';
import { PUBLISHED_FORMS } from '../../../core/forms/catalog/index.ts';
import { randomSecret, ulid } from '../../../core/ids.ts';
import type { SubmissionEnvelope } from '../../../core/protocol.ts';
import { unpackEnvelope } from '../../../core/sealed/envelope-codec.ts';
import { packFieldsOf } from '../../../core/sealed/form-fields.ts';
import { unseal } from '../../../core/sealed/seal.ts';
import { assembleSms, parseSmsText } from '../../../core/sms/sms-codec.ts';
import { parseKeysAnswer, readChannelSettings, refreshChannelSettings } from '../../../src/db/channel-settings.ts';
import { buildSmsMessage } from '../../../src/features/handoff/sms-message.ts';
import { makeServerKey } from './test-key.ts';

function memoryStorage(): Pick<Storage, 'getItem' | 'setItem'> {
  const values = new Map<string, string>();
  return { getItem: (k) => values.get(k) ?? null, setItem: (k, v) => void values.set(k, v) };
}

async function keysAnswer(smsNumber?: string) {
  const key = await makeServerKey();
  const body = {
    current: key.kid,
    keys: [{ kid: key.kid, alg: 'ECDH-P256+HKDF-SHA256+A256GCM', publicKey: Buffer.from(key.raw).toString('base64url'), createdAt: '2026-11-28T00:00:00.000Z' }],
    ...(smsNumber ? { smsNumber } : {}),
  };
  return { key, body };
}

const jsonFetch = (body: unknown): typeof fetch => async () => new Response(JSON.stringify(body), { status: 200 });
const offline: typeof fetch = async () => {
  throw new TypeError('Failed to fetch');
};

function ppidEnvelope(): SubmissionEnvelope {
  const form = PUBLISHED_FORMS.find((f) => f.formId === 'ppid-permohonan')!;
  return {
    id: ulid(),
    formId: form.formId,
    formVersion: form.version,
    createdAt: new Date().toISOString(),
    data: {
      ditujukanKepada: '19',
      nik: '1901034708880002',
      nama: 'Nurhayati',
      alamat: 'Dusun Celagen, Pulau Lepar',
      pekerjaan: 'Nelayan',
      telepon: '081367124490',
      rincianInformasi: 'Daftar TPS Kecamatan Lepar Pongok',
      tujuanPenggunaan: 'Usulan TPS tambahan',
      caraMenerima: 'ambil',
    },
    secret: randomSecret(),
  };
}

describe('channel settings', () => {
  it('are fetched and kept, and answered from storage without signal', async () => {
    const { key, body } = await keysAnswer('+6281100009999');
    const storage = memoryStorage();
    const fetched = await refreshChannelSettings(jsonFetch(body), storage, 1000);
    expect(fetched?.key.kid).toBe(key.kid);
    expect(fetched?.smsNumber).toBe('+6281100009999');
    const later = await refreshChannelSettings(offline, storage, 2000);
    expect(later).toEqual(fetched);
    expect(readChannelSettings(storage)?.fetchedAt).toBe(1000);
  });

  it('refuse an answer whose key does not match its id, keeping the last good one', async () => {
    const { body } = await keysAnswer();
    const { body: other } = await keysAnswer();
    const wrong = { ...body, keys: [{ ...body.keys[0]!, publicKey: other.keys[0]!.publicKey }] };
    expect(await parseKeysAnswer(wrong, 0)).toBeUndefined();
    expect(await parseKeysAnswer({ current: 'x' }, 0)).toBeUndefined();
    const storage = memoryStorage();
    await refreshChannelSettings(jsonFetch(body), storage, 1);
    expect((await refreshChannelSettings(jsonFetch(wrong), storage, 2))?.key.kid).toBe(body.current);
    expect(await refreshChannelSettings(offline, memoryStorage())).toBeUndefined();
  });
});

describe('Kirim lewat SMS', () => {
  it('builds an sms: link to the province whose body the server opens to the same envelope', async () => {
    const { key, body } = await keysAnswer('+6281100009999');
    const settings = await parseKeysAnswer(body, 0);
    const item = ppidEnvelope();
    const form = PUBLISHED_FORMS.find((f) => f.formId === item.formId)!;
    const message = await buildSmsMessage(settings, item, form);
    if (!message.ok) throw new Error(message.reason);
    expect(message.link.startsWith('sms:+6281100009999?body=JK1')).toBe(true);
    const text = decodeURIComponent(message.link.split('?body=')[1]!);
    const parsed = parseSmsText(text);
    if (!parsed.ok) throw new Error(parsed.reason);
    expect(parsed.parts).toHaveLength(message.count);
    const assembled = await assembleSms(parsed.parts);
    if (!assembled.ok) throw new Error(assembled.reason);
    expect(await unpackEnvelope(await unseal(key, assembled.sealed), async () => packFieldsOf(form))).toEqual(item);
  });

  it('is not offered for a submission with a photo, or before the key or number is known', async () => {
    const { body } = await keysAnswer('+6281100009999');
    const settings = await parseKeysAnswer(body, 0);
    const form = PUBLISHED_FORMS.find((f) => f.formId === 'pengaduan')!;
    const withPhoto: SubmissionEnvelope = {
      ...ppidEnvelope(),
      formId: 'pengaduan',
      formVersion: form.version,
      data: { jenis: 'pengaduan', bukti: { sha256: 'a'.repeat(64), type: 'image/jpeg', size: 1000 } },
    };
    expect(await buildSmsMessage(settings, withPhoto, form)).toEqual({ ok: false, reason: 'has_files' });
    const ppid = PUBLISHED_FORMS.find((f) => f.formId === 'ppid-permohonan')!;
    expect(await buildSmsMessage(undefined, ppidEnvelope(), ppid)).toEqual({ ok: false, reason: 'no_settings' });
    const noNumber = await parseKeysAnswer((await keysAnswer()).body, 0);
    expect(await buildSmsMessage(noNumber, ppidEnvelope(), ppid)).toEqual({ ok: false, reason: 'no_number' });
  });
});
