import type { DispatchedMessage } from './model.ts';
import type { ContactNames, DispatchQuery, RunLedger } from './ports.ts';

export type ExportedMessage = DispatchedMessage & { name: string };

/**
 * A run's messages for export, batch by batch as the dispatcher streams them, each batch joined to the
 * contacts' names by id. Nothing beyond one batch is held, so a run of any size exports in flat memory.
 * The run is looked up first, so an unknown run is refused before any of the export is written.
 */
export async function exportRunMessages(
  deps: { runs: RunLedger; dispatch: DispatchQuery; contactNames: ContactNames },
  runId: string,
): Promise<AsyncIterable<ExportedMessage[]>> {
  const run = await deps.runs.get(runId);
  return (async function* () {
    for await (const batch of deps.dispatch.exportMessages(run.id)) {
      const names = await deps.contactNames.namesOf([...new Set(batch.map((message) => message.contactId))]);
      yield batch.map((message) => ({ ...message, name: names.get(message.contactId) ?? '' }));
    }
  })();
}
