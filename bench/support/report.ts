// Helpers shared by the benchmarks: percentiles, number formatting, a plain-text table, and the
// extrapolation used when a baseline is too slow to run in full. Pure, except `printTable`,
// `machineLoad`, `hostSpeed`, and `peakRss`, which reads /proc.
import { readFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg } from 'node:os';

/** The p-th percentile (0–100) by nearest rank; NaN for no samples. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))]!;
}

/** The middle value (the mean of the two middle ones for an even count); NaN for no samples. */
export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export function fmtMs(ms: number): string {
  if (!Number.isFinite(ms)) return '–';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 100_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.round(ms / 1000)} s`;
}

export function fmtBytes(bytes: number): string {
  if (!Number.isFinite(bytes)) return '–';
  if (bytes < 10_000) return `${Math.round(bytes)} B`;
  if (bytes < 10_000_000) return `${(bytes / 1000).toFixed(1)} kB`;
  return `${(bytes / 1_000_000).toFixed(1)} MB`;
}

export function fmtRatio(x: number, digits = 2): string {
  return Number.isFinite(x) ? `${x.toFixed(digits)}×` : '–';
}

export function fmtInt(n: number): string {
  return Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : '–';
}

export const mark = (ok: boolean): string => (ok ? '✓' : '✗');

/** Left-aligns text columns and right-aligns columns that look numeric. */
export function renderTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const width = (s: string) => [...s].length;
  const widths = header.map((h, i) => Math.max(width(h), ...rows.map((r) => width(r[i] ?? ''))));
  const looksNumeric = (s: string) => s === '–' || /^[~≈<>≤≥]*\s*-?\d[\d.,]*\s*(ms|s|B|kB|MB|%|×)?(\s*[✓✗])?$/.test(s);
  const numeric = header.map((_, i) => rows.length > 0 && rows.every((r) => looksNumeric(r[i] ?? '')));
  const cell = (s: string, i: number) => {
    const pad = ' '.repeat(widths[i]! - width(s));
    return numeric[i] ? pad + s : s + pad;
  };
  const line = (cells: readonly string[]) => `| ${cells.map(cell).join(' | ')} |`;
  const rule = `|${widths.map((w, i) => (numeric[i] ? '-'.repeat(w + 1) + ':' : '-'.repeat(w + 2))).join('|')}|`;
  return [line(header), rule, ...rows.map(line)].join('\n');
}

export function printTable(header: readonly string[], rows: readonly (readonly string[])[]): void {
  console.log(renderTable(header, rows));
}

/**
 * Wall time for `n` sequential requests of `itemMs` each on a link that is up for `upMs` then down
 * for `downMs`, starting at the beginning of an up phase. A request that would not finish before
 * the link goes down is cut (the proxy resets it) and is sent again, whole, when the link is back;
 * the client is assumed to notice the link at once (kinder than a real backoff). Used only to
 * extend a measured sample of the naive baseline on "pulau-flaky".
 */
export function sequentialTimeOnCycle(n: number, itemMs: number, upMs: number, downMs: number): number {
  if (n <= 0) return 0;
  if (itemMs > upMs) return Number.POSITIVE_INFINITY;
  const perWindow = Math.floor(upMs / itemMs);
  const fullWindows = Math.floor((n - 1) / perWindow);
  const inLast = n - fullWindows * perWindow;
  return fullWindows * (upMs + downMs) + inLast * itemMs;
}

/**
 * The machine's load, printed with the figures: benchmarks on a shared machine (other test suites,
 * browsers) measure less than the code can do, and the reader should know.
 */
export function machineLoad(): string {
  const [one = 0, five = 0] = loadavg();
  const cores = availableParallelism();
  const busy = one > cores ? ` — BUSY: more runnable tasks than ${cores} cores, figures are pessimistic` : '';
  return `load average ${one.toFixed(1)} (1 min), ${five.toFixed(1)} (5 min) on ${cores} cores${busy}`;
}

/**
 * The host's CPU and how fast one core runs a fixed piece of JavaScript (sorting and serialising
 * seeded numbers; the fastest of 5): a throttled browser (bench:slow-phone's 4×) is a fraction of
 * *this* host, so figures from two hosts compare only beside this line.
 */
export function hostSpeed(): string {
  let best = Number.POSITIVE_INFINITY;
  for (let round = 0; round < 5; round++) {
    const start = performance.now();
    let seed = 12345;
    const values: number[] = [];
    for (let i = 0; i < 200_000; i++) {
      seed = (seed * 1103515245 + 12345) >>> 0;
      values.push(seed / 4294967296);
    }
    values.sort((a, b) => a - b);
    const text = JSON.stringify(values.slice(0, 20_000).map((v, i) => ({ i, v, s: v.toFixed(6) })));
    if ((JSON.parse(text) as unknown[]).length !== 20_000) throw new Error('hostSpeed: workload broken');
    best = Math.min(best, performance.now() - start);
  }
  return `host ${cpus()[0]?.model.trim() ?? 'unknown CPU'}: a fixed JavaScript workload in ${best.toFixed(0)} ms on one core (lower is faster)`;
}

/** Peak resident set size of a process (VmHWM), in bytes; Linux only. */
export function peakRss(pid: number | undefined): number {
  if (pid === undefined) return Number.NaN;
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : Number.NaN;
  } catch {
    return Number.NaN;
  }
}

/**
 * CPU time a process has used so far (user + system, from /proc/<pid>/stat), in ms; Linux only.
 * Unlike the time to the last byte, it barely moves when other work shares the cores, so a
 * loaded machine still gives a fair figure of what an export costs.
 */
export function processCpuMs(pid: number | undefined): number {
  if (pid === undefined) return Number.NaN;
  try {
    // The command name (field 2) is in parentheses and may hold spaces: count fields after it.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime and stime are fields 14 and 15 (11 and 12 after the name), in clock ticks of 1/100 s.
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return Number.NaN;
  }
}
