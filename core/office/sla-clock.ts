// How the SLA clock treats the time a request waits with the resident for completion ("perlu
// dilengkapi"). The rule: that time is not the office's. The service standard counts the office's
// own working days (Peraturan Komisi Informasi (PerKI) 1/2021 on the standard of public
// information service, which has the PPID ask the requester to complete a request and count the
// answer period on a complete request; Peraturan KPU on the PPID of the KPU follows it — article
// numbers (check)). So the working days left when the office returned the request are kept, and
// they run again from the day the completion arrives: nothing is gained by returning (a request
// overdue when it was returned is due the day it comes back), and nothing is lost by waiting.
// `restart` (the full period again from the completed request) is the other reading of "counted
// on a complete request"; it is here as data so the province can switch once its lawyers decide.
import { addWorkingDays, localDate, workingDaysBetween, type HolidayCalendar, HOLIDAYS } from '../calendar/working-days.ts';

export type WaitRule = 'pause' | 'restart';
export const SLA_WAIT_RULE: WaitRule = 'pause';

export interface Returned {
  /** The due date (WIB) when the office returned the request. */
  dueOn: string;
  /** When it was returned (ISO instant). */
  returnedAt: string;
  /** When the completion arrived (ISO instant). */
  completedAt: string;
  /** The service's working days (for `restart`). */
  workingDays: number;
}

/** The working days the office still had on the day it returned the request (0 once overdue). */
export function daysLeftAtReturn(dueOn: string, returnedAt: string, holidays: HolidayCalendar = HOLIDAYS): number {
  return workingDaysBetween(localDate(returnedAt), dueOn, holidays);
}

/** The due date once the completion arrived. */
export function dueAfterCompletion(r: Returned, rule: WaitRule = SLA_WAIT_RULE, holidays: HolidayCalendar = HOLIDAYS): string {
  const completedOn = localDate(r.completedAt);
  const days = rule === 'restart' ? r.workingDays : daysLeftAtReturn(r.dueOn, r.returnedAt, holidays);
  return addWorkingDays(completedOn, days, holidays);
}
