import { useId } from 'react';

/** One bar: what it counts, how many, and an optional colour class. */
export type Bar = { label: string; value: number; tone?: string };

/** Props of {@link BarChart}. */
export type BarChartProps = {
  title: string;
  bars: readonly Bar[];
  /** How a value reads as text ("3", "2 h 10 min"); defaults to the number. */
  format?: (value: number) => string;
  testId?: string;
};

const ROW = 28;
const LABEL_WIDTH = 90;
const VALUE_WIDTH = 70;
const WIDTH = 320;

/**
 * Horizontal bars in plain SVG (no chart library: the bundle budget). The SVG is an image whose
 * accessible name lists every value, and each value is drawn as text beside its bar.
 */
export function BarChart({ title, bars, format = String, testId }: BarChartProps) {
  const titleId = useId();
  const max = Math.max(1, ...bars.map((bar) => bar.value));
  const track = WIDTH - LABEL_WIDTH - VALUE_WIDTH;
  const summary = bars.map((bar) => `${bar.label}: ${format(bar.value)}`).join(', ');
  return (
    <svg
      className="chart"
      viewBox={`0 0 ${WIDTH} ${bars.length * ROW}`}
      role="img"
      aria-labelledby={titleId}
      data-testid={testId}
      preserveAspectRatio="xMinYMin meet"
    >
      <title id={titleId}>{`${title}. ${summary}`}</title>
      {bars.map((bar, index) => {
        const y = index * ROW;
        const width = bar.value === 0 ? 0 : Math.max(2, (bar.value / max) * track);
        return (
          <g key={bar.label} transform={`translate(0 ${y})`}>
            <text
              x={LABEL_WIDTH - 8}
              y={ROW / 2}
              textAnchor="end"
              dominantBaseline="central"
              className="chart-label"
            >
              {bar.label}
            </text>
            <rect
              x={LABEL_WIDTH}
              y={5}
              width={track}
              height={ROW - 10}
              rx={3}
              className="chart-track"
            />
            <rect
              x={LABEL_WIDTH}
              y={5}
              width={width}
              height={ROW - 10}
              rx={3}
              className={`chart-bar ${bar.tone ?? ''}`}
            />
            <text
              x={LABEL_WIDTH + width + 6}
              y={ROW / 2}
              dominantBaseline="central"
              className="chart-value"
            >
              {format(bar.value)}
            </text>
          </g>
        );
      })}
    </svg>
  );
}
