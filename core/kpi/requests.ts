// Service KPIs of requests from their status histories: time to first response and to
// completion, whether the answer came within the service's SLA (in working days), and how many
// requests are open or overdue at a given instant. Pure: the records and the holiday calendar are
// passed in.
import { HOLIDAYS, dueDate, localDate, type HolidayCalendar } from '../calendar/working-days.ts';
import type { ServiceLevel } from '../forms/definition.ts';
import type { ServerStatus } from '../protocol.ts';
import { summarize, type Summary } from './percentiles.ts';

export interface StatusEvent {
  status: ServerStatus;
  /** ISO 8601 instant. */
  at: string;
  answer?: string;
}

/** The fields of a stored request the service KPIs read. */
export interface RequestRecord {
  formId: string;
  /** When the province received it (ISO instant): the SLA clock starts here. */
  receivedAt: string;
  /** Oldest first; 'diterima' at receipt, then 'diproses', then 'selesai' or 'ditolak'. */
  statusHistory: readonly StatusEvent[];
  /** True once the office has used the service's one extension (PPID: + 7 working days). */
  extended?: boolean;
}

/** The service level of a form, or undefined for forms with no deadline (coklit, SKM …). */
export type SlaOf = (formId: string) => ServiceLevel | undefined;

const FINAL: ReadonlySet<ServerStatus> = new Set(['selesai', 'ditolak']);

function ms(iso: string): number {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) throw new RangeError(`not an instant: ${iso}`);
  return t;
}

/**
 * The office's first response: the first event after receipt that is not 'diterima' (taking the
 * request up, or answering it straight away). Undefined while there is none.
 */
export function firstResponseAt(history: readonly StatusEvent[]): string | undefined {
  return history.find((e) => e.status !== 'diterima')?.at;
}

/** When the request got its final answer (selesai or ditolak); undefined while open. */
export function completedAt(history: readonly StatusEvent[]): string | undefined {
  return history.find((e) => FINAL.has(e.status))?.at;
}

/** Milliseconds from receipt to the first response, or undefined. Never negative. */
export function timeToFirstResponse(r: RequestRecord): number | undefined {
  const at = firstResponseAt(r.statusHistory);
  return at === undefined ? undefined : Math.max(0, ms(at) - ms(r.receivedAt));
}

/** Milliseconds from receipt to the final answer, or undefined. Never negative. */
export function timeToCompletion(r: RequestRecord): number | undefined {
  const at = completedAt(r.statusHistory);
  return at === undefined ? undefined : Math.max(0, ms(at) - ms(r.receivedAt));
}

/** The request's local (WIB) due date, or undefined when its service has no SLA. */
export function requestDueDate(r: RequestRecord, slaOf: SlaOf, holidays: HolidayCalendar = HOLIDAYS): string | undefined {
  const sla = slaOf(r.formId);
  return sla ? dueDate(r.receivedAt, sla, r.extended === true, holidays) : undefined;
}

/** Whether a request is still open at `atIso`: received by then, with no final answer by then. */
export function isOpenAt(r: RequestRecord, atIso: string): boolean {
  const t = ms(atIso);
  if (ms(r.receivedAt) > t) return false;
  const done = completedAt(r.statusHistory);
  return done === undefined || ms(done) > t;
}

/**
 * Whether a request is overdue at `atIso`: open, and the WIB date then is after its due date (a
 * request due on a day may be answered until that day ends in WIB).
 */
export function isOverdueAt(r: RequestRecord, atIso: string, slaOf: SlaOf, holidays: HolidayCalendar = HOLIDAYS): boolean {
  if (!isOpenAt(r, atIso)) return false;
  const due = requestDueDate(r, slaOf, holidays);
  return due !== undefined && localDate(atIso) > due;
}

export type SlaOutcome = 'on_time' | 'late' | 'overdue_open' | 'pending' | 'no_sla';

/**
 * A request's standing against its SLA at `atIso`: answered on time (the WIB date of the final
 * answer is on or before the due date), answered late, still open past its due date, still open
 * within it, or of a service without SLA.
 */
export function slaOutcome(r: RequestRecord, atIso: string, slaOf: SlaOf, holidays: HolidayCalendar = HOLIDAYS): SlaOutcome {
  const due = requestDueDate(r, slaOf, holidays);
  if (due === undefined) return 'no_sla';
  const done = completedAt(r.statusHistory);
  if (done !== undefined && ms(done) <= ms(atIso)) return localDate(done) <= due ? 'on_time' : 'late';
  if (ms(r.receivedAt) > ms(atIso)) return 'pending';
  return localDate(atIso) > due ? 'overdue_open' : 'pending';
}

export interface RequestKpis {
  /** Requests received up to the instant. */
  received: number;
  open: number;
  overdue: number;
  firstResponse: Summary;
  completion: Summary;
  /** Requests whose SLA outcome is known: answered (on time or late) or open past their due date. */
  slaDecided: number;
  slaOnTime: number;
  /**
   * slaOnTime / slaDecided × 100, or undefined when nothing is decided. An open request past its
   * due date counts as missed already: waiting longer cannot bring it back within the SLA.
   */
  slaOnTimePct: number | undefined;
}

/**
 * The service KPIs of a set of requests as things stood at `atIso`: events after that instant are
 * not seen. Pass the requests of one unit, service and period (by receipt date) to get that
 * cell of the dashboard.
 */
export function requestKpis(
  records: Iterable<RequestRecord>,
  atIso: string,
  slaOf: SlaOf,
  holidays: HolidayCalendar = HOLIDAYS,
): RequestKpis {
  const t = ms(atIso);
  let received = 0;
  let open = 0;
  let overdue = 0;
  let decided = 0;
  let onTime = 0;
  const first: number[] = [];
  const completion: number[] = [];
  for (const r of records) {
    if (ms(r.receivedAt) > t) continue;
    received += 1;
    const firstAt = firstResponseAt(r.statusHistory);
    if (firstAt !== undefined && ms(firstAt) <= t) first.push(Math.max(0, ms(firstAt) - ms(r.receivedAt)));
    const doneAt = completedAt(r.statusHistory);
    const done = doneAt !== undefined && ms(doneAt) <= t;
    if (done) completion.push(Math.max(0, ms(doneAt) - ms(r.receivedAt)));
    else open += 1;
    const outcome = slaOutcome(r, atIso, slaOf, holidays);
    if (outcome === 'overdue_open') overdue += 1;
    if (outcome === 'on_time' || outcome === 'late' || outcome === 'overdue_open') decided += 1;
    if (outcome === 'on_time') onTime += 1;
  }
  return {
    received,
    open,
    overdue,
    firstResponse: summarize(first),
    completion: summarize(completion),
    slaDecided: decided,
    slaOnTime: onTime,
    slaOnTimePct: decided ? (onTime / decided) * 100 : undefined,
  };
}
