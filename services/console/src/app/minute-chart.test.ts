import { describe, expect, it } from 'vitest';
import { chartHeight, chartWidth, minuteBars } from './minute-chart.ts';

describe('minuteBars', () => {
  it('when minutes are counted, then each bar is scaled to the busiest minute and they fill the width', () => {
    const chart = minuteBars(
      [
        { minute: '2030-01-01T09:00:00.000Z', count: 2 },
        { minute: '2030-01-01T09:01:00.000Z', count: 8 },
        { minute: '2030-01-01T09:02:00.000Z', count: 0 },
        { minute: '2030-01-01T09:03:00.000Z', count: 4 },
      ],
      'sends',
    );
    expect(chart.bars.map((bar) => [bar.x, bar.width, bar.height, bar.y])).toEqual([
      [0, chartWidth / 4, chartHeight / 4, (chartHeight * 3) / 4],
      [chartWidth / 4, chartWidth / 4, chartHeight, 0],
      [chartWidth / 2, chartWidth / 4, 0, chartHeight],
      [(chartWidth * 3) / 4, chartWidth / 4, chartHeight / 2, chartHeight / 2],
    ]);
    expect(chart.label).toBe('14 sends over 4 minutes, at most 8 in a minute');
  });

  it('when nothing was sent, then every bar is flat and nothing divides by zero', () => {
    const chart = minuteBars([{ minute: '2030-01-01T09:00:00.000Z', count: 0 }], 'sends');
    expect(chart.bars).toEqual([
      { minute: '2030-01-01T09:00:00.000Z', count: 0, x: 0, width: chartWidth, y: chartHeight, height: 0 },
    ]);
    expect(minuteBars([], 'sends')).toMatchObject({ bars: [], most: 0, total: 0 });
  });
});
