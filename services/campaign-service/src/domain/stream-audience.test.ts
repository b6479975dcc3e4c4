import { describe, expect, it } from 'vitest';
import { campaignOf, noRecipientStaging, runOf, templateOf } from './fake-transactions.ts';
import type { Audience, ResolvedAudience } from './audience.ts';
import type { AudienceContact, Run, Segment } from './model.ts';
import { streamAudience, type AudienceMember } from './stream-audience.ts';

/** Contacts c01…cNN in id order; every third has no name and no loan amount. */
const book: AudienceContact[] = Array.from({ length: 7 }, (_, index) => ({
  id: `c${String(index + 1).padStart(2, '0')}`,
  phone: `+9198765432${String(index).padStart(2, '0')}`,
  name: index % 3 === 2 ? null : `Name ${index}`,
  attributes: index === 1 ? { timezone: 'America/Chicago' } : {},
}));

const segmentOf = (id: string, audience: Partial<Audience>): Segment => ({
  id,
  name: 'Large loans',
  audience: { tags: [], where: [], ...audience },
  createdAt: new Date('2026-01-01T00:00:00Z'),
  updatedAt: new Date('2026-01-01T00:00:00Z'),
});

function audience(status: Run['status'] = 'REQUESTED') {
  const pages: Array<{ audience: ResolvedAudience; after: string | undefined; limit: number }> = [];
  const deps = {
    ...noRecipientStaging,
    runs: { get: async () => runOf('run-1', { periodKey: '2026-03-05', status }) },
    campaigns: {
      get: async (id: string) => campaignOf(id, { audience: { tags: ['loan'], where: [], segmentId: 'seg-1' } }),
    },
    templates: { get: async (id: string) => templateOf(id, { variables: { 'body.1': { field: 'name' } } }) },
    segments: {
      find: async (id: string) =>
        segmentOf(id, { where: [{ field: 'attributes.loan_amount', op: 'gt', value: 5000 }] }),
    },
    audiences: {
      async page(audience: ResolvedAudience, after: string | undefined, limit: number) {
        pages.push({ audience, after, limit });
        return book.filter((contact) => after === undefined || contact.id > after).slice(0, limit);
      },
    },
  };
  const written: AudienceMember[][] = [];
  const write = async (members: AudienceMember[]) => void written.push(members);
  return { deps, pages, written, write };
}

describe('streamAudience', () => {
  it('when the run is REQUESTED, then its contacts are written in batches and those missing a placeholder are counted, not sent', async () => {
    const { deps, pages, written, write } = audience();
    const outcome = await streamAudience(
      deps,
      { runId: 'run-1', afterContactId: undefined, batchSize: 3 },
      write,
      new AbortController().signal,
    );
    expect(outcome).toEqual({ result: 'streamed', skipped: 2 });
    expect(written.map((batch) => batch.map((member) => member.contactId))).toEqual([
      ['c01', 'c02'],
      ['c04', 'c05'],
      ['c07'],
    ]);
    expect(written[0]).toEqual([
      { contactId: 'c01', phone: '+919876543200', variables: { 'body.1': 'Name 0' }, timezone: '' },
      // The contact's timezone attribute travels with it, for the dispatcher's send window.
      { contactId: 'c02', phone: '+919876543201', variables: { 'body.1': 'Name 1' }, timezone: 'America/Chicago' },
    ]);
    expect(pages.map((page) => page.after)).toEqual([undefined, 'c03', 'c06']);
    expect(pages.every((page) => page.audience.tagSets[0]?.includes('loan'))).toBe(true);
    expect(pages[0]!.audience.predicates).toEqual([
      { kind: 'number', target: { attribute: 'loan_amount' }, op: 'gt', value: 5000 },
    ]);
  });

  it('when the dispatcher resumes after a contact, then the stream starts after it', async () => {
    const { deps, written, write } = audience();
    await streamAudience(
      deps,
      { runId: 'run-1', afterContactId: 'c05', batchSize: 10 },
      write,
      new AbortController().signal,
    );
    expect(written.flat().map((member) => member.contactId)).toEqual(['c07']);
  });

  it('when no batch size is asked for, then the default is used, and an oversized one is capped', async () => {
    const defaulted = audience();
    await streamAudience(
      defaulted.deps,
      { runId: 'run-1', afterContactId: undefined, batchSize: 0 },
      defaulted.write,
      new AbortController().signal,
    );
    const capped = audience();
    await streamAudience(
      capped.deps,
      { runId: 'run-1', afterContactId: undefined, batchSize: 50_000 },
      capped.write,
      new AbortController().signal,
    );
    expect([defaulted.pages[0]!.limit, capped.pages[0]!.limit]).toEqual([500, 5_000]);
  });

  it('when the run was cancelled, then nothing is written', async () => {
    const { deps, pages, written, write } = audience('CANCELLED');
    expect(
      await streamAudience(
        deps,
        { runId: 'run-1', afterContactId: undefined, batchSize: 3 },
        write,
        new AbortController().signal,
      ),
    ).toEqual({ result: 'cancelled' });
    expect([pages, written]).toEqual([[], []]);
  });

  it('when the caller goes away, then no further page is read', async () => {
    const { deps, pages, write } = audience();
    const stop = new AbortController();
    await streamAudience(
      deps,
      { runId: 'run-1', afterContactId: undefined, batchSize: 3 },
      async (members) => {
        await write(members);
        stop.abort();
      },
      stop.signal,
    );
    expect(pages).toHaveLength(1);
  });
});
