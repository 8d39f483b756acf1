// The keberatan (objection) path after a PPID answer: UU 14/2008 art. 35–36. A requester may
// object to the PPID's superior within 30 working days after the ground arose (here: the day the
// refusal reached the phone's status, the office's answer date in WIB). The superior answers
// within 30 working days (the keberatan form's own SLA).
import { addWorkingDays, localDate, type HolidayCalendar, HOLIDAYS } from '../calendar/working-days.ts';
import { refusalGround } from './refusal-grounds.ts';

export const KEBERATAN_WORKING_DAYS = 30;
export const KEBERATAN_FORM_ID = 'keberatan-informasi';

/** The last WIB date a keberatan may be filed against an answer given at `answeredAtIso`. */
export function keberatanDeadline(answeredAtIso: string, holidays: HolidayCalendar = HOLIDAYS): string {
  return addWorkingDays(localDate(answeredAtIso), KEBERATAN_WORKING_DAYS, holidays);
}

/** The keberatan form's answers prefilled from a refused request: its receipt and the matching ground. */
export function keberatanPrefill(refused: { id: string; ground?: string }): Record<string, string> {
  const ground = refusalGround(refused.ground);
  return { nomorPermohonan: refused.id, alasan: ground?.keberatanAlasan ?? 'e' };
}
