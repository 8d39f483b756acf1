// A status change as one short Indonesian SMS (at most 160 basic GSM-7 characters), for residents
// whose phone may not sync for days. The answer text is shortened and stripped of characters
// that would force the whole SMS into UCS-2 (70 characters).
import { formatReceipt } from '../ids.ts';
import type { ServerStatus } from '../protocol.ts';
import { isGsm7Basic, SMS_SINGLE_CHARS } from './gsm7.ts';

const STATUS_WORDS: Readonly<Record<ServerStatus, string>> = {
  diterima: 'DITERIMA',
  diproses: 'DIPROSES',
  selesai: 'SELESAI',
  ditolak: 'DITOLAK',
  perlu_dilengkapi: 'PERLU DILENGKAPI',
};

/** Characters people type that GSM-7's basic set lacks, with the nearest one it has. */
const NEAREST: Readonly<Record<string, string>> = {
  '‘': "'",
  '’': "'",
  '“': '"',
  '”': '"',
  '–': '-',
  '—': '-',
  '…': '...',
  '[': '(',
  ']': ')',
  '{': '(',
  '}': ')',
  '~': '-',
  '^': '',
  '\\': '/',
  '|': '/',
  '€': 'EUR',
  '`': "'",
};

/** Text reduced to basic GSM-7: known look-alikes replaced, accents dropped, the rest removed. */
export function toGsm7Basic(text: string): string {
  let out = '';
  for (const ch of text.replace(/\s+/g, ' ')) {
    if (isGsm7Basic(ch)) out += ch;
    else if (ch in NEAREST) out += NEAREST[ch];
    else {
      const plain = ch.normalize('NFD').replace(/[\u0300-\u036f]/g, '');
      if (plain !== ch && isGsm7Basic(plain)) out += plain;
    }
  }
  return out.trim();
}

/** The SMS telling a resident that their request `submissionId` is now `status`. */
export function statusSmsText(submissionId: string, status: ServerStatus, answer?: string | null): string {
  const head = `KPU Babel: permohonan ${formatReceipt(submissionId)} ${STATUS_WORDS[status]}.`;
  const body = answer ? toGsm7Basic(answer) : '';
  const room = SMS_SINGLE_CHARS - head.length - 1;
  if (body === '' || room < 8) return head.slice(0, SMS_SINGLE_CHARS);
  return `${head} ${body.length <= room ? body : `${body.slice(0, room - 3).trimEnd()}...`}`;
}
