// Horizontal bars drawn as SVG by hand: no chart library to download, prints sharp, and the table
// beside each chart carries the same figures for those who would rather read.
export interface Bar {
  key: string;
  label: string;
  value: number | undefined;
}

const ROW = 22;
const LABEL_W = 200;
const BAR_W = 200;

export function BarChart({ bars, max, title, unit = '' }: { bars: readonly Bar[]; max?: number; title: string; unit?: string }) {
  const top = max ?? Math.max(1, ...bars.map((b) => b.value ?? 0));
  const height = bars.length * ROW + 4;
  return (
    <svg className="kpi-chart" role="img" aria-label={title} viewBox={`0 0 ${LABEL_W + BAR_W + 70} ${height}`} width="100%" preserveAspectRatio="xMinYMin meet">
      <title>{title}</title>
      {bars.map((b, i) => {
        const w = b.value === undefined ? 0 : Math.max(1, (b.value / top) * BAR_W);
        const y = i * ROW + 2;
        return (
          <g key={b.key} data-key={b.key}>
            <text x={LABEL_W - 6} y={y + 15} textAnchor="end" fontSize="12">
              {b.label.length > 24 ? `${b.label.slice(0, 23)}…` : b.label}
            </text>
            <rect x={LABEL_W} y={y + 3} width={w} height={ROW - 8} className="kpi-bar" />
            <text x={LABEL_W + w + 4} y={y + 15} fontSize="12">
              {b.value === undefined ? '–' : `${Math.round(b.value * 10) / 10}${unit}`}
            </text>
          </g>
        );
      })}
    </svg>
  );
}
