import type { Segment } from './model.ts';
import type { SegmentDirectory } from './ports.ts';
import { assertValidAudience } from './audience.ts';
import { resolveAudience } from './resolve-audience.ts';

type SegmentFields = Pick<Segment, 'name' | 'audience'>;

/** A saved audience: its conditions must make sense and a segment it names must exist. */
export async function createSegment(segments: SegmentDirectory, fields: SegmentFields): Promise<Segment> {
  assertValidAudience(fields.audience, 'body.audience');
  await resolveAudience(segments, fields.audience, 'body.audience');
  return segments.create(fields);
}

/**
 * A segment changed in place; campaigns naming it address the new audience from their next run. It may
 * not name itself, directly or through the segments it names.
 */
export async function updateSegment(
  segments: SegmentDirectory,
  id: string,
  patch: Partial<SegmentFields>,
): Promise<Segment> {
  const current = await segments.get(id);
  const fields: SegmentFields = { name: patch.name ?? current.name, audience: patch.audience ?? current.audience };
  assertValidAudience(fields.audience, 'body.audience');
  await resolveAudience(segments, fields.audience, 'body.audience', id);
  return segments.update(id, fields);
}
