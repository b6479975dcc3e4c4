import type { Segment } from './model.ts';
import type { RunLedger, SegmentDirectory } from './ports.ts';
import { assertKnownRun } from './run-recipients.ts';
import { assertValidAudience } from './audience.ts';
import { resolveAudience } from './resolve-audience.ts';

type SegmentFields = Pick<Segment, 'name' | 'audience'>;
type SegmentDeps = { segments: SegmentDirectory; runs: Pick<RunLedger, 'get'> };

/** A saved audience: its conditions must make sense and a segment it names must exist. */
export async function createSegment(deps: SegmentDeps, fields: SegmentFields): Promise<Segment> {
  assertValidAudience(fields.audience, 'body.audience');
  await assertKnownRun(deps.runs, fields.audience, 'body.audience');
  await resolveAudience(deps.segments, fields.audience, 'body.audience');
  return deps.segments.create(fields);
}

/**
 * A segment changed in place; campaigns naming it address the new audience from their next run. It may
 * not name itself, directly or through the segments it names.
 */
export async function updateSegment(deps: SegmentDeps, id: string, patch: Partial<SegmentFields>): Promise<Segment> {
  const current = await deps.segments.get(id);
  const fields: SegmentFields = { name: patch.name ?? current.name, audience: patch.audience ?? current.audience };
  assertValidAudience(fields.audience, 'body.audience');
  await assertKnownRun(deps.runs, fields.audience, 'body.audience');
  await resolveAudience(deps.segments, fields.audience, 'body.audience', id);
  return deps.segments.update(id, fields);
}
