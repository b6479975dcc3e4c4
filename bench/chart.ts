/**
 * A small dependency-free SVG line chart: messages per second over time, one line per status, so a
 * reader of the benchmark report can see the run rather than read it.
 */
export interface Series {
  name: string;
  colour: string;
  /** Count per second, index 0 being the first second of the run. */
  points: number[];
}

/** `at` places the chart inside a larger SVG (a nested `<svg>` at that offset). */
export function renderChart(
  title: string,
  series: Series[],
  size = { width: 900, height: 360 },
  at?: { x: number; y: number },
): string {
  const margin = { top: 40, right: 150, bottom: 40, left: 60 };
  const plotWidth = size.width - margin.left - margin.right;
  const plotHeight = size.height - margin.top - margin.bottom;
  const seconds = Math.max(1, ...series.map((line) => line.points.length));
  const peak = Math.max(1, ...series.flatMap((line) => line.points));
  const yMax = niceCeiling(peak);
  const x = (second: number) => margin.left + (second / Math.max(1, seconds - 1)) * plotWidth;
  const y = (value: number) => margin.top + plotHeight - (value / yMax) * plotHeight;
  const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;');

  const gridLines = [0, 0.25, 0.5, 0.75, 1].map((fraction) => {
    const value = Math.round(yMax * fraction);
    return (
      `<line x1="${margin.left}" x2="${margin.left + plotWidth}" y1="${y(value)}" y2="${y(value)}" stroke="#e5e7eb"/>` +
      `<text x="${margin.left - 8}" y="${y(value) + 4}" text-anchor="end" font-size="11" fill="#374151">${value}</text>`
    );
  });
  const xTicks = Array.from({ length: 6 }, (_, index) => Math.round(((seconds - 1) * index) / 5)).map(
    (second) =>
      `<text x="${x(second)}" y="${margin.top + plotHeight + 18}" text-anchor="middle" font-size="11" fill="#374151">${second}s</text>`,
  );
  const lines = series.map((line, index) => {
    const path = line.points
      .map((value, second) => `${second === 0 ? 'M' : 'L'}${x(second).toFixed(1)},${y(value).toFixed(1)}`)
      .join(' ');
    const legendY = margin.top + 10 + index * 20;
    return (
      `<path d="${path}" fill="none" stroke="${line.colour}" stroke-width="2"/>` +
      `<rect x="${size.width - margin.right + 16}" y="${legendY - 8}" width="12" height="12" fill="${line.colour}"/>` +
      `<text x="${size.width - margin.right + 34}" y="${legendY + 2}" font-size="12" fill="#111827">${escape(line.name)}</text>`
    );
  });
  return [
    `<svg xmlns="http://www.w3.org/2000/svg"${at ? ` x="${at.x}" y="${at.y}"` : ''} width="${size.width}" height="${size.height}" viewBox="0 0 ${size.width} ${size.height}" font-family="sans-serif">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<text x="${margin.left}" y="24" font-size="15" font-weight="bold" fill="#111827">${escape(title)}</text>`,
    ...gridLines,
    ...xTicks,
    `<text x="${margin.left - 44}" y="${margin.top + plotHeight / 2}" font-size="11" fill="#374151" transform="rotate(-90 ${margin.left - 44} ${margin.top + plotHeight / 2})" text-anchor="middle">messages / s</text>`,
    ...lines,
    `</svg>`,
  ].join('\n');
}

function niceCeiling(value: number): number {
  const magnitude = 10 ** Math.floor(Math.log10(value));
  const step = [1, 2, 2.5, 5, 10].find((candidate) => candidate * magnitude >= value) ?? 10;
  return step * magnitude;
}
