import { createHash } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { finished } from 'node:stream/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hashingLimiter } from './csv-records.ts';
import { spoolUpload } from './upload-spool.ts';

let directory: string;
beforeEach(async () => (directory = await mkdtemp(join(tmpdir(), 'ektola-spool-test-'))));
afterEach(() => rm(directory, { recursive: true, force: true }));

const chunks = (count: number) => Array.from({ length: count }, (_, index) => `${index},Customer ${index}\n`);

describe('spoolUpload', () => {
  it('when an upload arrives whole, then it is read back as it was sent, hashed, and removed on request', async () => {
    const sent = chunks(5_000);
    const hash = createHash('sha256');
    const spool = await spoolUpload(Readable.from(sent), hashingLimiter(hash, 1024 * 1024), directory);
    expect(await text(spool.read())).toBe(sent.join(''));
    expect(hash.digest('hex')).toBe(createHash('sha256').update(sent.join('')).digest('hex'));
    expect(await readdir(directory)).toHaveLength(1);
    await spool.remove();
    expect(await readdir(directory)).toEqual([]);
  });

  it('when an upload runs past the limit, then it fails, nothing is left behind and the source is read to its end', async () => {
    const source = Readable.from(chunks(5_000));
    await expect(spoolUpload(source, hashingLimiter(createHash('sha256'), 1_000), directory)).rejects.toMatchObject({
      statusCode: 413,
    });
    expect(await readdir(directory)).toEqual([]);
    // Left to flow, never destroyed: a request body destroyed closes the client's connection before its 413.
    await finished(source);
    expect(source.readableEnded).toBe(true);
  });
});
