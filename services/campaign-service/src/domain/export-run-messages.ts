import type { DispatchedMessage } from './model.ts';
import type { ContactNames, DispatchQuery, RunLedger } from './ports.ts';

export type ExportedMessage = DispatchedMessage & { name: string };

/**
 * A run's messages for export, batch by batch as the dispatcher streams them, each batch joined to the
 * contacts' names by id. Nothing beyond one batch is held, so a run of any size exports in flat memory.
 * The run is looked up first, so an unknown run is refused before any of the export is written.
 * A reader that stops early (a client gone) ends the dispatcher's stream with it.
 */
export async function exportRunMessages(
  deps: { runs: RunLedger; dispatch: DispatchQuery; contactNames: ContactNames },
  runId: string,
): Promise<AsyncIterable<ExportedMessage[]>> {
  const run = await deps.runs.get(runId);
  const batches = deps.dispatch.exportMessages(run.id)[Symbol.asyncIterator]();
  // The first batch is awaited here, so a dispatcher that cannot answer is a refusal rather than a cut-off file.
  const first = await batches.next();
  const named = async (batch: DispatchedMessage[]) => {
    const names = await deps.contactNames.namesOf([...new Set(batch.map((message) => message.contactId))]);
    return batch.map((message) => ({ ...message, name: names.get(message.contactId) ?? '' }));
  };
  return (async function* () {
    try {
      if (first.done) return;
      yield await named(first.value);
      for (let next = await batches.next(); !next.done; next = await batches.next()) yield await named(next.value);
    } finally {
      await batches.return?.();
    }
  })();
}
