export interface Counts {
  total: number;
  sent: number;
  delivered: number;
  read: number;
  failed: number;
  skipped: number;
}

/**
 * Sent → delivered → read, with failed and skipped beside: a message that was read was delivered and
 * sent too, so each stage counts the ones past it (the API counts each message once, by its last status).
 */
export function funnelOf(counts: Counts) {
  const read = counts.read;
  const delivered = counts.delivered + read;
  const sent = counts.sent + delivered;
  const of = (count: number) => (counts.total > 0 ? count / counts.total : 0);
  const bars = [
    { name: 'sent', count: sent },
    { name: 'delivered', count: delivered },
    { name: 'read', count: read },
    { name: 'failed', count: counts.failed },
    { name: 'skipped', count: counts.skipped },
  ].map((bar) => ({ ...bar, share: of(bar.count) }));
  return { bars, label: bars.map((bar) => `${bar.count} ${bar.name}`).join(', ') + ` of ${counts.total}` };
}
