// The SMS encoding: only basic GSM-7 characters, segment-sized parts, reassembly in any order,
// and refusal of cut or altered parts.
import { describe, expect, it } from 'vitest';
import { GSM7_BASIC, isGsm7Basic, smsCount } from '../../../core/sms/gsm7.ts';
import { assembleSms, encodeSms, parseSmsText, smsLink, SMS_ALPHABET, type SmsPart } from '../../../core/sms/sms-codec.ts';
import { statusSmsText, toGsm7Basic } from '../../../core/sms/status-text.ts';

function bytesOf(n: number, seed = 7): Uint8Array {
  return Uint8Array.from({ length: n }, (_, i) => (i * 31 + seed * 17) % 256);
}

async function partsOf(texts: readonly string[]): Promise<SmsPart[]> {
  return texts.flatMap((t) => {
    const parsed = parseSmsText(t);
    if (!parsed.ok) throw new Error(parsed.reason);
    return parsed.parts;
  });
}

describe('SMS encoding', () => {
  it('uses only basic GSM-7 characters, all at their ASCII code', () => {
    // GSM7_BASIC lists the codes 0x00–0x7F in order, leaving out 0x1B (the escape).
    const gsmCode = (ch: string) => {
      const at = GSM7_BASIC.indexOf(ch);
      return at < 0x1b ? at : at + 1;
    };
    for (const ch of SMS_ALPHABET + 'JK') expect(gsmCode(ch), ch).toBe(ch.charCodeAt(0));
    expect(isGsm7Basic('€')).toBe(false);
    expect(isGsm7Basic('[')).toBe(false);
  });

  it('fits a small message in one SMS of at most 160 characters', async () => {
    const texts = await encodeSms(bytesOf(100));
    expect(texts).toHaveLength(1);
    expect(texts[0]!.length).toBeLessThanOrEqual(160);
    expect(smsCount(texts.join(''))).toBe(1);
  });

  it('cuts a longer one into parts that each fill exactly one 153-character segment', async () => {
    const sealed = bytesOf(400);
    const texts = await encodeSms(sealed);
    expect(texts.length).toBe(4);
    for (const t of texts.slice(0, -1)) expect(t.length).toBe(153);
    expect(texts.at(-1)!.length).toBeLessThanOrEqual(153);
    const joined = texts.join('');
    expect(isGsm7Basic(joined)).toBe(true);
    // Sent as one long SMS, the network's segments are exactly the parts.
    expect(smsCount(joined)).toBe(texts.length);
  });

  it('reassembles parts delivered out of order, twice, or joined in one text', async () => {
    const sealed = bytesOf(500, 3);
    const texts = await encodeSms(sealed);
    const shuffled = [texts[3]!, texts[1]!, texts[1]!, texts[0]!, texts[4]!, texts[2]!];
    const result = await assembleSms(await partsOf(shuffled));
    expect(result.ok && Buffer.from(result.sealed).equals(Buffer.from(sealed))).toBe(true);

    const joined = await assembleSms(await partsOf([texts.join('\n')]));
    expect(joined.ok && Buffer.from(joined.sealed).equals(Buffer.from(sealed))).toBe(true);
  });

  it('says a message is incomplete while a part is missing', async () => {
    const texts = await encodeSms(bytesOf(400));
    expect(await assembleSms(await partsOf(texts.slice(1)))).toEqual({ ok: false, reason: 'incomplete' });
  });

  it('refuses a cut part at once, and an altered one when the message is put together', async () => {
    const texts = await encodeSms(bytesOf(400));
    expect(parseSmsText(texts[1]!.slice(0, 140))).toEqual({ ok: false, reason: 'malformed_part' });
    expect(parseSmsText(texts[0]!.slice(0, 100) + 'é' + texts[0]!.slice(101))).toEqual({ ok: false, reason: 'malformed_part' });
    expect(parseSmsText('Halo pak, kapan pencocokan data?')).toEqual({ ok: false, reason: 'not_jangkau' });

    const altered = texts.slice();
    const t = altered[2]!;
    altered[2] = t.slice(0, 50) + (t[50] === 'A' ? 'B' : 'A') + t.slice(51);
    expect(await assembleSms(await partsOf(altered))).toEqual({ ok: false, reason: 'checksum' });

    // The last part cut short still parses (its length is free) but fails the check.
    const lastCut = [...texts.slice(0, -1), texts.at(-1)!.slice(0, -4)];
    expect(await assembleSms(await partsOf(lastCut))).toEqual({ ok: false, reason: 'checksum' });
  });

  it('makes an sms: link with the whole message as the body', async () => {
    const texts = await encodeSms(bytesOf(200));
    const link = smsLink('+6281234567890', texts);
    expect(link.startsWith('sms:+6281234567890?body=JK1')).toBe(true);
    expect(decodeURIComponent(link.split('body=')[1]!)).toBe(texts.join(''));
  });
});

describe('status SMS', () => {
  it('fits one basic GSM-7 SMS, with the answer shortened', () => {
    const long = 'Informasi yang Anda minta — “salinan SK penetapan DPT” — dapat diambil di kantor KPU Kabupaten Bangka Selatan, Jl. Jenderal Sudirman, Toboali, pada hari kerja pukul 08.00–16.00 WIB.';
    const text = statusSmsText('01JDX2K8F0ABCDEFGHJKMNPQRS', 'selesai', long);
    expect(text.length).toBeLessThanOrEqual(160);
    expect(isGsm7Basic(text)).toBe(true);
    expect(text).toMatch(/^KPU Babel: permohonan 01JD-X2K8-F0AB-CDEF-GHJK-MNPQ-RS SELESAI\. Informasi yang Anda minta - "salinan SK/);
    expect(text.endsWith('...')).toBe(true);
    expect(statusSmsText('01JDX2K8F0ABCDEFGHJKMNPQRS', 'diterima')).toBe('KPU Babel: permohonan 01JD-X2K8-F0AB-CDEF-GHJK-MNPQ-RS DITERIMA.');
  });

  it('turns typed look-alikes into GSM-7 and drops what has none', () => {
    expect(toGsm7Basic('Ditolak: “NIK tidak cocok” ~ lihat [pasal 5] 😀')).toBe('Ditolak: "NIK tidak cocok" - lihat (pasal 5)');
    expect(toGsm7Basic('Café Ölberg')).toBe('Café Ölberg');
    expect(toGsm7Basic('Ĉu ŝi')).toBe('Cu si');
  });
});
