// A small form with a photo at the top level and a document inside a repeat group, and files
// whose sha256 is computed the way the photo field computes it.
import type { FormDef } from '../../../core/forms/definition.ts';

export const LAMPIRAN_FORM: FormDef = {
  formId: 'uji-lampiran',
  version: 1,
  formatVersion: 2,
  audience: 'public',
  title: { id: 'Uji lampiran', en: 'Attachment test' },
  summary: { id: 'Uji.', en: 'Test.' },
  nextSteps: { id: 'Uji.', en: 'Test.' },
  titleField: 'judul',
  fields: [
    { name: 'judul', type: 'text', label: { id: 'Judul', en: 'Title' }, required: true },
    { name: 'foto', type: 'photo', label: { id: 'Foto', en: 'Photo' } },
    {
      name: 'anggota',
      type: 'repeat',
      label: { id: 'Anggota', en: 'Members' },
      fields: [
        { name: 'nama', type: 'text', label: { id: 'Nama', en: 'Name' } },
        { name: 'dokumen', type: 'document', label: { id: 'Dokumen', en: 'Document' } },
      ],
    },
  ],
};

export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}

/** A JPEG-looking file of `size` bytes whose content depends on `seed`. */
export async function fakeJpeg(seed: number, size = 4096): Promise<{ blob: Blob; sha256: string; bytes: Uint8Array }> {
  const bytes = new Uint8Array(size);
  bytes.set([0xff, 0xd8, 0xff, 0xe0]);
  for (let i = 4; i < size; i++) bytes[i] = (i * 31 + seed * 97) & 0xff;
  return { blob: new Blob([bytes], { type: 'image/jpeg' }), sha256: await sha256Hex(bytes), bytes };
}

export async function fakePdf(seed: number, size = 2048): Promise<{ blob: Blob; sha256: string; bytes: Uint8Array }> {
  const bytes = new Uint8Array(size);
  bytes.set(new TextEncoder().encode('%PDF-1.4\n'));
  for (let i = 9; i < size; i++) bytes[i] = (i * 7 + seed * 13) & 0xff;
  return { blob: new Blob([bytes], { type: 'application/pdf' }), sha256: await sha256Hex(bytes), bytes };
}
