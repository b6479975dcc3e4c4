import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable, Transform } from 'node:stream';

/**
 * The upload written to a file of its own as fast as the client sends it, passing `through` on the way
 * (the hash and the limit). The import's transaction opens only once the whole file is here, so it
 * lasts as long as the service's own work, never as long as a slow client takes. A failing `through`
 * (a body over the limit) unhooks the source and reads the rest of it to nowhere, never destroying it,
 * since destroying a request body closes the client's connection before it can read the 413.
 */
export async function spoolUpload(
  source: Readable,
  through: Transform,
  directory: string,
): Promise<{ read: () => Readable; remove: () => Promise<void> }> {
  const folder = await mkdtemp(join(directory, 'ektola-upload-'));
  const remove = () => rm(folder, { recursive: true, force: true });
  const path = join(folder, 'upload.csv');
  try {
    await new Promise<void>((resolve, reject) => {
      const file = createWriteStream(path);
      const fail = (error: Error) => {
        source.unpipe(through);
        through.unpipe(file);
        source.resume();
        file.destroy();
        reject(error);
      };
      through.on('error', fail);
      source.on('error', fail);
      file.on('error', fail);
      file.on('finish', () => resolve());
      source.pipe(through).pipe(file);
    });
  } catch (error) {
    await remove();
    throw error;
  }
  return { read: () => createReadStream(path), remove };
}
