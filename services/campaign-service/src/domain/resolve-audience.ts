import { invalid } from '@ektola/platform/errors';
import { predicatesOf, type Audience, type ResolvedAudience } from './audience.ts';
import type { SegmentDirectory } from './ports.ts';

/** Deep enough for segments built on segments, shallow enough that a lookup chain stays short. */
const maxSegmentDepth = 8;

/**
 * An audience with the segment it names (and any that segment names) folded in: every part of each
 * must hold. Segments are read now, so a campaign naming one addresses the segment as it is when the
 * run is created. A segment that is missing, names itself (directly or through others) or nests too
 * deep is invalid, naming `<prefix>.segmentId`.
 */
export async function resolveAudience(
  segments: Pick<SegmentDirectory, 'find'>,
  audience: Audience,
  prefix: string,
  selfId?: string,
): Promise<ResolvedAudience> {
  const resolved: ResolvedAudience = { tagSets: [], predicates: [], fromRuns: [] };
  const seen = new Set<string>(selfId ? [selfId] : []);
  let current: Audience | undefined = audience;
  for (let depth = 0; current; depth += 1) {
    if (current.tags.length > 0) resolved.tagSets.push([...current.tags]);
    resolved.predicates.push(...predicatesOf(current.where));
    if (current.fromRun) resolved.fromRuns.push(current.fromRun);
    const segmentId: string | undefined = current.segmentId;
    if (!segmentId) break;
    const problem = (message: string) =>
      invalid('the audience names a segment it cannot use', [{ path: `${prefix}.segmentId`, message }]);
    if (seen.has(segmentId)) throw problem(`segment ${segmentId} refers to itself`);
    if (depth >= maxSegmentDepth) throw problem(`segments nest more than ${maxSegmentDepth} deep`);
    seen.add(segmentId);
    const segment = await segments.find(segmentId);
    if (!segment) throw problem(`no segment ${segmentId}`);
    current = segment.audience;
  }
  return resolved;
}
