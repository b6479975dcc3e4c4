import { describe, expect, it } from 'vitest';
import { unavailable } from '@ektola/platform/errors';
import { exportRunMessages } from './export-run-messages.ts';
import type { DispatchedMessage, Run } from './model.ts';
import type { ContactNames, DispatchQuery, RunLedger } from './ports.ts';

const message = (id: string, contactId: string): DispatchedMessage =>
  ({ id, contactId, phone: '+919876500001', status: 'READ' }) as DispatchedMessage;

const runs = { get: async (id: string) => ({ id }) as Run } as RunLedger;

function world(batches: () => AsyncIterable<DispatchedMessage[]>) {
  const asked: string[][] = [];
  const contactNames: ContactNames = {
    async namesOf(ids) {
      asked.push([...ids]);
      return new Map(ids.filter((id) => id !== 'gone').map((id) => [id, `Name of ${id}`]));
    },
  };
  const dispatch = { exportMessages: batches } as unknown as DispatchQuery;
  return { deps: { runs, dispatch, contactNames }, asked };
}

async function collect<T>(source: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of source) items.push(item);
  return items;
}

describe('exportRunMessages', () => {
  it('when the dispatcher streams batches, then each batch is joined to its names with one lookup, a deleted contact nameless', async () => {
    const { deps, asked } = world(async function* () {
      yield [message('m1', 'c1'), message('m2', 'c1')];
      yield [message('m3', 'gone')];
    });
    const batches = await collect(await exportRunMessages(deps, 'run-1'));
    expect(batches.map((batch) => batch.map(({ id, name }) => ({ id, name })))).toEqual([
      [
        { id: 'm1', name: 'Name of c1' },
        { id: 'm2', name: 'Name of c1' },
      ],
      [{ id: 'm3', name: '' }],
    ]);
    expect(asked).toEqual([['c1'], ['gone']]);
  });

  it('when the dispatcher cannot answer, then the export is refused before anything is written', async () => {
    const { deps } = world(async function* () {
      yield* [];
      throw unavailable('dispatcher away');
    });
    await expect(exportRunMessages(deps, 'run-1')).rejects.toMatchObject({ kind: 'unavailable' });
  });

  it('when the reader stops early, then the dispatcher stream is ended too', async () => {
    let ended = false;
    const { deps } = world(async function* () {
      try {
        yield [message('m1', 'c1')];
        yield [message('m2', 'c2')];
      } finally {
        ended = true;
      }
    });
    for await (const batch of await exportRunMessages(deps, 'run-1')) {
      expect(batch).toHaveLength(1);
      break;
    }
    expect(ended).toBe(true);
  });
});
