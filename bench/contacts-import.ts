import type { AddressInfo } from 'node:net';
import { startCampaignService } from './campaign-service-in-process.ts';
import { uploadContacts } from './contacts-csv.ts';

// `node bench/contacts-import.ts [rows]`: the campaign-service in-process on a fresh database, one
// generated CSV streamed to POST /v1/contacts/upload over HTTP, one JSON line with the result.
const rows = Number(process.argv[2] ?? 100_000);
const { app, adminKey, stop } = await startCampaignService();

const baselineRss = process.memoryUsage().rss;
let peakRss = baselineRss;
const sampler = setInterval(() => {
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
}, 25);

try {
  const { port } = app.http.server.address() as AddressInfo;
  const { seconds, result } = await uploadContacts(`http://127.0.0.1:${port}`, adminKey, rows);
  clearInterval(sampler);
  console.log(
    JSON.stringify({
      import_s: Number(seconds.toFixed(2)),
      rows,
      imported: result.imported,
      updated: result.updated,
      rejected: result.rejectedCount,
      rows_per_s: Math.round(rows / seconds),
      rss_mb: Math.round(peakRss / 1024 / 1024),
      rss_before_mb: Math.round(baselineRss / 1024 / 1024),
    }),
  );
} finally {
  clearInterval(sampler);
  await stop();
}
