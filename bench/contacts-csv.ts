import { Readable } from 'node:stream';
import { request } from 'undici';

/**
 * Generated contacts for the benchmarks: Indian mobile numbers in mixed formats, names, tags (every
 * row is tagged `loan`, half also `gold`) and two custom columns, streamed to the public upload
 * endpoint so a large CSV never has to sit in memory.
 */
export function* contactCsvLines(rows: number): Generator<string> {
  yield 'phone,name,tags,loan_amount,branch\n';
  for (let index = 0; index < rows; index += 1) {
    const national = String(9_000_000_000 + index * 7);
    const phone = index % 3 === 0 ? `+91 ${national.slice(0, 5)} ${national.slice(5)}` : national;
    yield `${phone},Customer ${index},${index % 2 === 0 ? 'gold;loan' : 'loan'},${10_000 + (index % 5_000)},Branch ${index % 40}\n`;
  }
}

/** Lines gathered into chunks of about 64 KiB, as a client sends a file it reads from disk. */
function* fileChunks(lines: Iterable<string>, chunkBytes = 64 * 1024): Generator<string> {
  let chunk = '';
  for (const line of lines) {
    chunk += line;
    if (chunk.length >= chunkBytes) {
      yield chunk;
      chunk = '';
    }
  }
  if (chunk) yield chunk;
}

export interface UploadResult {
  imported: number;
  updated: number;
  rejectedCount: number;
}

/** POST /v1/contacts/upload with `rows` generated contacts; the seconds from the first byte sent to the answer. */
export async function uploadContacts(
  apiUrl: string,
  apiKey: string,
  rows: number,
): Promise<{ seconds: number; result: UploadResult }> {
  const started = performance.now();
  const response = await request(`${apiUrl}/v1/contacts/upload`, {
    method: 'POST',
    headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'text/csv' },
    body: Readable.from(fileChunks(contactCsvLines(rows))),
    headersTimeout: 300_000,
    bodyTimeout: 300_000,
  });
  const result = (await response.body.json()) as UploadResult;
  const seconds = (performance.now() - started) / 1000;
  if (response.statusCode !== 200) throw new Error(`upload answered ${response.statusCode}: ${JSON.stringify(result)}`);
  return { seconds, result };
}
