import { chartHeight, chartWidth, minuteBars, type MinuteCount } from './minute-chart.ts';

const time = (minute: string) => new Date(minute).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });

/** A hand-drawn bar chart of messages per minute, the first and last minute under it; each bar tells its count. */
export function MinuteChart({ minutes, what }: { minutes: readonly MinuteCount[]; what: string }) {
  const chart = minuteBars(minutes, what);
  return (
    <figure className="minutes">
      <svg viewBox={`0 0 ${chartWidth} ${chartHeight + 2}`} role="img" aria-label={chart.label}>
        {chart.bars.map((bar) => (
          <rect
            key={bar.minute}
            className="bar"
            x={bar.x}
            y={bar.y}
            width={Math.max(1, bar.width - 1)}
            height={bar.height}
          >
            <title>{`${time(bar.minute)}: ${bar.count}`}</title>
          </rect>
        ))}
        <line x1="0" x2={chartWidth} y1={chartHeight + 1} y2={chartHeight + 1} className="axis" />
      </svg>
      <figcaption>
        {minutes.length > 0 ? `${time(minutes[0]!.minute)} – ${time(minutes.at(-1)!.minute)} · ` : ''}
        {chart.label}
      </figcaption>
    </figure>
  );
}
