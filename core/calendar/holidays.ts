// Days off besides Saturdays and Sundays: Indonesia's national public holidays (hari libur
// nasional) and collective leave (cuti bersama), as decreed each year by a joint decree of the
// Minister of Religious Affairs, the Minister of Manpower and the Minister for State Apparatus
// Empowerment and Bureaucratic Reform (SKB 3 Menteri). Government offices, KPU included, are
// closed on both, so both stop the working-day clock of a service's SLA.
//
// This is data, not a rule: the province keeps it, and a new year (or an amended decree, as in
// August 2025) is a change to this list alone. Lunar and lunisolar dates (Islamic, Chinese,
// Saka, Buddhist) cannot be derived reliably in code, and cuti bersama is a policy choice, so
// nothing here is computed.
//
// Sources:
// - 2025: SKB Nomor 1017 Tahun 2024, Nomor 2 Tahun 2024, Nomor 2 Tahun 2024 (17 holidays, 10 days
//   of cuti bersama), amended by SKB Nomor 933 Tahun 2025, Nomor 1 Tahun 2025, Nomor 3 Tahun 2025
//   of 7 August 2025 (cuti bersama on 18 August for the 80th Independence Day).
// - 2026: SKB Nomor 1497 Tahun 2025, Nomor 2 Tahun 2025, Nomor 5 Tahun 2025 (17 holidays, 8 days
//   of cuti bersama).
// - 2027: no decree was available when this list was written. The entries marked provisional
//   are the fixed-date holidays, the Easter-based ones (Easter Sunday 28 March 2027) and
//   astronomical estimates of the lunar ones; 2027's cuti bersama is unknown and absent. Replace
//   the 2027 block with the decree's list once it is signed.

export type HolidayKind = 'libur-nasional' | 'cuti-bersama';

export interface HolidayEntry {
  /** The calendar date in WIB, 'YYYY-MM-DD'. */
  readonly date: string;
  readonly kind: HolidayKind;
  /** What the day marks, in Indonesian as the decree names it. */
  readonly name: string;
  /** True while the year's decree is not yet out: the date is an estimate. */
  readonly provisional?: boolean;
}

const L = 'libur-nasional' as const;
const C = 'cuti-bersama' as const;

export const HOLIDAY_ENTRIES: readonly HolidayEntry[] = [
  // 2025
  { date: '2025-01-01', kind: L, name: 'Tahun Baru 2025 Masehi' },
  { date: '2025-01-27', kind: L, name: 'Isra Mikraj Nabi Muhammad SAW' },
  { date: '2025-01-28', kind: C, name: 'Cuti bersama Tahun Baru Imlek' },
  { date: '2025-01-29', kind: L, name: 'Tahun Baru Imlek 2576 Kongzili' },
  { date: '2025-03-28', kind: C, name: 'Cuti bersama Hari Suci Nyepi' },
  { date: '2025-03-29', kind: L, name: 'Hari Suci Nyepi (Tahun Baru Saka 1947)' },
  { date: '2025-03-31', kind: L, name: 'Idul Fitri 1446 H' },
  { date: '2025-04-01', kind: L, name: 'Idul Fitri 1446 H' },
  { date: '2025-04-02', kind: C, name: 'Cuti bersama Idul Fitri 1446 H' },
  { date: '2025-04-03', kind: C, name: 'Cuti bersama Idul Fitri 1446 H' },
  { date: '2025-04-04', kind: C, name: 'Cuti bersama Idul Fitri 1446 H' },
  { date: '2025-04-07', kind: C, name: 'Cuti bersama Idul Fitri 1446 H' },
  { date: '2025-04-18', kind: L, name: 'Wafat Yesus Kristus' },
  { date: '2025-04-20', kind: L, name: 'Kebangkitan Yesus Kristus (Paskah)' },
  { date: '2025-05-01', kind: L, name: 'Hari Buruh Internasional' },
  { date: '2025-05-12', kind: L, name: 'Hari Raya Waisak 2569 BE' },
  { date: '2025-05-13', kind: C, name: 'Cuti bersama Hari Raya Waisak' },
  { date: '2025-05-29', kind: L, name: 'Kenaikan Yesus Kristus' },
  { date: '2025-05-30', kind: C, name: 'Cuti bersama Kenaikan Yesus Kristus' },
  { date: '2025-06-01', kind: L, name: 'Hari Lahir Pancasila' },
  { date: '2025-06-06', kind: L, name: 'Idul Adha 1446 H' },
  { date: '2025-06-09', kind: C, name: 'Cuti bersama Idul Adha 1446 H' },
  { date: '2025-06-27', kind: L, name: '1 Muharam Tahun Baru Islam 1447 H' },
  { date: '2025-08-17', kind: L, name: 'Proklamasi Kemerdekaan' },
  { date: '2025-08-18', kind: C, name: 'Cuti bersama HUT ke-80 Kemerdekaan RI' },
  { date: '2025-09-05', kind: L, name: 'Maulid Nabi Muhammad SAW' },
  { date: '2025-12-25', kind: L, name: 'Kelahiran Yesus Kristus' },
  { date: '2025-12-26', kind: C, name: 'Cuti bersama Kelahiran Yesus Kristus' },

  // 2026
  { date: '2026-01-01', kind: L, name: 'Tahun Baru 2026 Masehi' },
  { date: '2026-01-16', kind: L, name: 'Isra Mikraj Nabi Muhammad SAW' },
  { date: '2026-02-16', kind: C, name: 'Cuti bersama Tahun Baru Imlek' },
  { date: '2026-02-17', kind: L, name: 'Tahun Baru Imlek 2577 Kongzili' },
  { date: '2026-03-18', kind: C, name: 'Cuti bersama Hari Suci Nyepi' },
  { date: '2026-03-19', kind: L, name: 'Hari Suci Nyepi (Tahun Baru Saka 1948)' },
  { date: '2026-03-20', kind: C, name: 'Cuti bersama Idul Fitri 1447 H' },
  { date: '2026-03-21', kind: L, name: 'Idul Fitri 1447 H' },
  { date: '2026-03-22', kind: L, name: 'Idul Fitri 1447 H' },
  { date: '2026-03-23', kind: C, name: 'Cuti bersama Idul Fitri 1447 H' },
  { date: '2026-03-24', kind: C, name: 'Cuti bersama Idul Fitri 1447 H' },
  { date: '2026-04-03', kind: L, name: 'Wafat Yesus Kristus' },
  { date: '2026-04-05', kind: L, name: 'Kebangkitan Yesus Kristus (Paskah)' },
  { date: '2026-05-01', kind: L, name: 'Hari Buruh Internasional' },
  { date: '2026-05-14', kind: L, name: 'Kenaikan Yesus Kristus' },
  { date: '2026-05-15', kind: C, name: 'Cuti bersama Kenaikan Yesus Kristus' },
  { date: '2026-05-27', kind: L, name: 'Idul Adha 1447 H' },
  { date: '2026-05-28', kind: C, name: 'Cuti bersama Idul Adha 1447 H' },
  { date: '2026-05-31', kind: L, name: 'Hari Raya Waisak 2570 BE' },
  { date: '2026-06-01', kind: L, name: 'Hari Lahir Pancasila' },
  { date: '2026-06-16', kind: L, name: '1 Muharam Tahun Baru Islam 1448 H' },
  { date: '2026-08-17', kind: L, name: 'Proklamasi Kemerdekaan' },
  { date: '2026-08-25', kind: L, name: 'Maulid Nabi Muhammad SAW' },
  { date: '2026-12-24', kind: C, name: 'Cuti bersama Kelahiran Yesus Kristus' },
  { date: '2026-12-25', kind: L, name: 'Kelahiran Yesus Kristus' },

  // 2027: provisional until the decree (see the note at the top).
  { date: '2027-01-01', kind: L, name: 'Tahun Baru 2027 Masehi', provisional: true },
  { date: '2027-01-05', kind: L, name: 'Isra Mikraj Nabi Muhammad SAW (perkiraan)', provisional: true },
  { date: '2027-02-06', kind: L, name: 'Tahun Baru Imlek 2578 Kongzili (perkiraan)', provisional: true },
  { date: '2027-03-08', kind: L, name: 'Hari Suci Nyepi (perkiraan)', provisional: true },
  { date: '2027-03-10', kind: L, name: 'Idul Fitri 1448 H (perkiraan)', provisional: true },
  { date: '2027-03-11', kind: L, name: 'Idul Fitri 1448 H (perkiraan)', provisional: true },
  { date: '2027-03-26', kind: L, name: 'Wafat Yesus Kristus', provisional: true },
  { date: '2027-03-28', kind: L, name: 'Kebangkitan Yesus Kristus (Paskah)', provisional: true },
  { date: '2027-05-01', kind: L, name: 'Hari Buruh Internasional', provisional: true },
  { date: '2027-05-06', kind: L, name: 'Kenaikan Yesus Kristus', provisional: true },
  { date: '2027-05-16', kind: L, name: 'Idul Adha 1448 H (perkiraan)', provisional: true },
  { date: '2027-05-20', kind: L, name: 'Hari Raya Waisak 2571 BE (perkiraan)', provisional: true },
  { date: '2027-06-01', kind: L, name: 'Hari Lahir Pancasila', provisional: true },
  { date: '2027-06-06', kind: L, name: '1 Muharam Tahun Baru Islam 1449 H (perkiraan)', provisional: true },
  { date: '2027-08-15', kind: L, name: 'Maulid Nabi Muhammad SAW (perkiraan)', provisional: true },
  { date: '2027-08-17', kind: L, name: 'Proklamasi Kemerdekaan', provisional: true },
  { date: '2027-12-25', kind: L, name: 'Kelahiran Yesus Kristus', provisional: true },
];
