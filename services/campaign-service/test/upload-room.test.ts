import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '@ektola/platform/testing';
import { startHarness, type Harness } from './harness.ts';

let harness: Harness;
let baseUrl: string;
let spoolDirectory: string;
let admin: postgres.Sql;
const kib = 1024;

beforeAll(async () => {
  spoolDirectory = await mkdtemp(join(tmpdir(), 'ektola-upload-room-'));
  process.env.TMPDIR = spoolDirectory;
  harness = await startHarness({
    UPLOAD_LIMIT_BYTES: String(600 * kib),
    UPLOAD_ROOM_BYTES: String(1_000 * kib),
    IMPORTS_AT_ONCE: '1',
  });
  baseUrl = `http://127.0.0.1:${(harness.app.http.server.address() as AddressInfo).port}`;
  admin = postgres(harness.database.url, { max: 1, onnotice: () => undefined });
});

afterAll(async () => {
  await admin?.end();
  await harness?.close();
  await rm(spoolDirectory, { recursive: true, force: true });
});

/** A CSV of `rows` contacts, numbered from `first`, padded to about `bytes` with a note column. */
function contactsCsv(first: number, rows: number, bytes: number): string {
  const note = 'x'.repeat(Math.max(0, Math.floor(bytes / rows) - 30));
  const lines = Array.from({ length: rows }, (_, index) => `+9198${String(first + index).padStart(8, '0')},${note}`);
  return `phone,note\n${lines.join('\n')}\n`;
}

const upload = (body: string) =>
  fetch(`${baseUrl}/v1/contacts/upload`, {
    method: 'POST',
    headers: { authorization: `Bearer ${harness.adminKey}`, 'content-type': 'text/csv' },
    body,
    signal: AbortSignal.timeout(30_000),
  });

/** The uploads on disk now, by size. */
async function spooled(): Promise<number[]> {
  const folders = (await readdir(spoolDirectory)).filter((name) => name.startsWith('ektola-upload-'));
  const sizes = await Promise.all(
    folders.map(
      async (folder) => (await stat(join(spoolDirectory, folder, 'upload.csv')).catch(() => undefined))?.size,
    ),
  );
  return sizes.filter((size): size is number => size !== undefined).sort((a, b) => a - b);
}

/** Waits until the uploads on disk are of these sizes. */
const spooledAre = (sizes: number[]) =>
  eventually(async () => {
    expect(await spooled()).toEqual(sizes);
    return true;
  });

/** Holds every import's transaction at its start (the lock imports take turns with) until released. */
async function holdImports() {
  const connection = await admin.reserve();
  await connection`select pg_advisory_lock(hashtext('campaign.contacts.import'))`;
  return async () => {
    await connection`select pg_advisory_unlock(hashtext('campaign.contacts.import'))`;
    connection.release();
  };
}

/**
 * With imports held, `first` (already sent, its answer in `answers`) takes the only import turn and waits;
 * `waiting` is sent once it does, and both are then on disk.
 */
async function secondSpooledWhileFirstImports(answers: Array<Promise<Response>>, first: string, waiting: string) {
  await spooledAre([first.length]);
  answers.push(upload(waiting));
  await spooledAre([first.length, waiting.length]);
}

describe('uploads waiting for their import', () => {
  it('when an upload waits for its import’s turn, then its body is read to disk meanwhile, and it imports when its turn comes', async () => {
    const release = await holdImports();
    const first = contactsCsv(1, 10, 1 * kib);
    const waiting = contactsCsv(100, 1_000, 400 * kib);
    const answers = [upload(first)];
    try {
      // The first import holds the only turn; the second upload is on disk whole, not left in its socket.
      await secondSpooledWhileFirstImports(answers, first, waiting);
    } finally {
      await release();
    }
    const responses = await Promise.all(answers);
    expect(responses.map((response) => response.status)).toEqual([200, 200]);
    expect(
      await Promise.all(responses.map(async (response) => ((await response.json()) as { imported: number }).imported)),
    ).toEqual([10, 1_000]);
    expect(await spooled()).toEqual([]);
  });

  it('when an upload would overflow the room kept for uploads, then it is a 503 with Retry-After at once, nothing of it stays, and it imports once sent again', async () => {
    const release = await holdImports();
    const first = contactsCsv(2_000, 10, 1 * kib);
    const waiting = contactsCsv(3_000, 1_000, 550 * kib);
    const refused = contactsCsv(5_000, 1_000, 550 * kib);
    const answers = [upload(first)];
    try {
      await secondSpooledWhileFirstImports(answers, first, waiting);
      const overflowing = await upload(refused);
      expect(overflowing.status).toBe(503);
      expect(overflowing.headers.get('retry-after')).toBe('30');
      expect(await overflowing.json()).toMatchObject({ error: { code: 'uploads_busy' } });
      expect(await spooled()).toEqual([first.length, waiting.length]);
    } finally {
      await release();
    }
    expect((await Promise.all(answers)).map((response) => response.status)).toEqual([200, 200]);
    const again = await upload(refused);
    expect(again.status).toBe(200);
    expect(((await again.json()) as { imported: number }).imported).toBe(1_000);
    expect(await spooled()).toEqual([]);
  });
});
