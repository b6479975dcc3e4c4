import { describe, expect, it } from 'vitest';
import { TemplateCatalog, toTemplate } from './template-catalog.ts';

const template = (name: string, language = 'en', status = 'APPROVED') =>
  toTemplate({
    name,
    language,
    status,
    category: 'UTILITY',
    components: [{ type: 'BODY', text: `Hello {{1}} from ${name}`, example: { body_text: [['Asha']] } }],
  });

const pageUrl = 'http://sim/v23.0/1/message_templates?access_token=t';

describe('toTemplate', () => {
  it('keeps Meta components verbatim, derives placeholders and a stable numeric id', () => {
    const first = template('a');
    expect(first.components[0]).toEqual({
      type: 'BODY',
      text: 'Hello {{1}} from a',
      example: { body_text: [['Asha']] },
    });
    expect(first.placeholders).toEqual(['body.1']);
    expect(first.id).toMatch(/^\d{16}$/);
    // Webhooks carry ids as JSON numbers: every id must survive the round trip through a double.
    const ids = Array.from({ length: 200 }, (_, index) => template(`t${index}`).id);
    expect(ids.filter((id) => String(Number(id)) !== id)).toEqual([]);
    expect(template('a').id).toBe(first.id);
    expect(template('a', 'hi').id).not.toBe(first.id);
  });

  it('refuses names Meta would refuse and components the platform cannot read', () => {
    expect(() => template('Not Valid')).toThrow();
    expect(() =>
      toTemplate({ name: 'x', language: 'en', category: 'UTILITY', components: [{ type: 'HEADER' }] }),
    ).toThrow();
  });
});

describe('TemplateCatalog', () => {
  it('finds a translation by name and language, and replaces one by the same key', () => {
    const catalog = new TemplateCatalog([template('a'), template('a', 'hi')]);
    expect(catalog.get('a', 'hi')?.language).toBe('hi');
    expect(catalog.get('a', 'fr')).toBeUndefined();
    catalog.put(template('a', 'hi', 'PAUSED'));
    expect(catalog.all()).toHaveLength(2);
    expect(catalog.get('a', 'hi')?.status).toBe('PAUSED');
    expect(catalog.remove('a')).toBe(2);
  });

  it('pages with opaque cursors and a next link only while more remain', () => {
    const catalog = new TemplateCatalog(['a', 'b', 'c', 'd', 'e'].map((name) => template(name)));
    const first = catalog.list({ limit: 2 }, pageUrl);
    expect(first.data.map((entry) => entry.name)).toEqual(['a', 'b']);
    expect(first.paging?.previous).toBeUndefined();
    const next = new URL(first.paging!.next!);
    expect(next.searchParams.get('access_token')).toBe('t');
    const second = catalog.list({ limit: 2, after: next.searchParams.get('after')! }, pageUrl);
    expect(second.data.map((entry) => entry.name)).toEqual(['c', 'd']);
    const third = catalog.list({ limit: 2, after: second.paging!.cursors.after }, pageUrl);
    expect(third.data.map((entry) => entry.name)).toEqual(['e']);
    expect(third.paging?.next).toBeUndefined();
    const back = catalog.list({ limit: 2, before: third.paging!.cursors.before }, pageUrl);
    expect(back.data.map((entry) => entry.name)).toEqual(['c', 'd']);
  });

  it('returns only the asked fields (and always the id), filtered by status', () => {
    const catalog = new TemplateCatalog([template('a'), template('b', 'en', 'REJECTED')]);
    const page = catalog.list({ fields: 'name,status', status: 'APPROVED' }, pageUrl);
    expect(page.data).toEqual([{ name: 'a', status: 'APPROVED', id: template('a').id }]);
    expect(catalog.list({ name: 'zzz' }, pageUrl)).toEqual({ data: [] });
  });
});
