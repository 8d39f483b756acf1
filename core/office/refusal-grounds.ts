// The grounds on which an office may refuse a public information (PPID) request, kept as data: the
// staff pick one (and write the reasons), the resident's phone shows its label offline, and the
// keberatan form started from the refusal is prefilled with the matching ground of UU 14/2008
// art. 35(1). The exemptions are the letters of UU 14/2008 art. 17; the others are the answers a
// public body gives when the information is not its own to give (art. 22(7), the PPID notice of
// refusal; article letters marked (check) are to be confirmed by the PPID's legal staff).
import type { LocalText } from '../local-text.ts';

export interface RefusalGround {
  code: string;
  label: LocalText;
  /** Where the law states it. */
  basis: string;
  /** The keberatan form's `alasan` choice (UU 14/2008 art. 35(1)) a refusal on this ground gives. */
  keberatanAlasan: 'a' | 'e';
}

const exemption = (letter: string, id: string, en: string): RefusalGround => ({
  code: `pasal-17-${letter}`,
  label: { id: `Informasi dikecualikan: ${id} (Pasal 17 huruf ${letter})`, en: `Exempt information: ${en} (art. 17(${letter}))` },
  basis: `UU 14/2008 Pasal 17 huruf ${letter}`,
  keberatanAlasan: 'a',
});

export const REFUSAL_GROUNDS: readonly RefusalGround[] = Object.freeze([
  exemption('a', 'menghambat proses penegakan hukum', 'would obstruct law enforcement'),
  exemption('b', 'mengganggu perlindungan hak atas kekayaan intelektual dan persaingan usaha yang sehat', 'would harm intellectual property or fair competition'),
  exemption('c', 'membahayakan pertahanan dan keamanan negara', 'would endanger national defence and security'),
  exemption('d', 'mengungkapkan kekayaan alam Indonesia', 'would reveal Indonesia’s natural resources'),
  exemption('e', 'merugikan ketahanan ekonomi nasional', 'would harm national economic resilience'),
  exemption('f', 'merugikan kepentingan hubungan luar negeri', 'would harm foreign relations'),
  exemption('g', 'mengungkapkan isi akta otentik yang bersifat pribadi dan wasiat', 'would reveal private deeds or a will'),
  exemption('h', 'mengungkap rahasia pribadi', 'would reveal personal secrets'),
  exemption('i', 'memorandum atau surat antar/dalam badan publik yang dirahasiakan', 'confidential memoranda between or within public bodies'),
  exemption('j', 'tidak boleh diungkapkan berdasarkan undang-undang', 'may not be disclosed under a statute'),
  {
    code: 'tidak-dikuasai',
    label: { id: 'Informasi tidak dikuasai atau belum didokumentasikan', en: 'The information is not held or not yet documented' },
    basis: 'UU 14/2008 Pasal 22 ayat (7) (check)',
    keberatanAlasan: 'e',
  },
  {
    code: 'bukan-kewenangan',
    label: { id: 'Bukan informasi badan publik ini (kami sebutkan badan publik yang menguasainya)', en: 'Not this public body’s information (we name the body that holds it)' },
    basis: 'UU 14/2008 Pasal 22 ayat (7) (check)',
    keberatanAlasan: 'e',
  },
  {
    code: 'bukan-informasi-publik',
    label: { id: 'Yang diminta bukan informasi publik (misalnya permintaan pendapat atau pembuatan dokumen baru)', en: 'What was asked is not public information (an opinion, a new document)' },
    basis: 'UU 14/2008 Pasal 1 angka 2',
    keberatanAlasan: 'e',
  },
]);

export function refusalGround(code: string | undefined): RefusalGround | undefined {
  return code === undefined ? undefined : REFUSAL_GROUNDS.find((g) => g.code === code);
}

/** Services whose refusal must name a ground: the PPID's information requests (UU 14/2008). */
export const REASONED_REFUSAL_FORMS: readonly string[] = Object.freeze(['ppid-permohonan']);

export function needsRefusalGround(formId: string): boolean {
  return REASONED_REFUSAL_FORMS.includes(formId);
}
