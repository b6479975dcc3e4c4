export interface MinuteCount {
  minute: string;
  count: number;
}

export const chartWidth = 600;
export const chartHeight = 100;

/**
 * Bars of messages per minute scaled to the busiest minute (an empty series draws nothing above the
 * axis), with a label that says in words what the bars show.
 */
export function minuteBars(minutes: readonly MinuteCount[], what: string) {
  const most = Math.max(0, ...minutes.map((minute) => minute.count));
  const width = minutes.length > 0 ? chartWidth / minutes.length : chartWidth;
  const bars = minutes.map((minute, index) => {
    const height = most === 0 ? 0 : (minute.count / most) * chartHeight;
    return { minute: minute.minute, count: minute.count, x: index * width, width, y: chartHeight - height, height };
  });
  const total = minutes.reduce((sum, minute) => sum + minute.count, 0);
  const label = `${total} ${what} over ${minutes.length} minutes, at most ${most} in a minute`;
  return { bars, most, total, label };
}
