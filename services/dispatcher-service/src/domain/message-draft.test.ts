import { describe, expect, it } from 'vitest';
import { draftMessage, messageIdOf, runTemplateOf } from './message-draft.ts';

const template = runTemplateOf({
  name: 'gold_loan_reminder',
  language: 'en',
  category: 'MARKETING',
  parameterFormat: 'POSITIONAL',
  componentsJson: JSON.stringify([{ type: 'BODY', text: 'Hello {{1}}, {{2}} is due.' }]),
});
const runId = '3f2a4a8e-0c1d-4b7e-9a55-2f7d1c0e9b10';

describe('message drafts', () => {
  it('when the contact names a known IANA zone, then the draft keeps it; an unknown one is dropped', () => {
    const member = (timezone: string) => ({ contactId: 'c1', phone: '+919876543210', variables: {}, timezone });
    expect(draftMessage(runId, template, member('America/Chicago')).timezone).toBe('America/Chicago');
    expect(draftMessage(runId, template, member('Somewhere/Else')).timezone).toBeUndefined();
    expect(template.category).toBe('MARKETING');
  });

  it('when the same run and contact are drafted twice, then the id is the same name-based UUID', () => {
    const id = messageIdOf(runId, 'c1');
    expect(id).toBe(messageIdOf(runId, 'c1'));
    expect(id).not.toBe(messageIdOf(runId, 'c2'));
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('when a release computes ids, then they are the ids every earlier release computed, so a fan-out resumed across an upgrade finds its rows', () => {
    expect(messageIdOf(runId, 'c1')).toBe('745fb8f0-afa9-5db3-8561-db851a04d611');
    expect(messageIdOf(runId, 'contact-ü-42')).toBe('775d9c3d-32d2-50d5-ac12-f4fcf4859c5f');
  });

  it('when the contact has a phone and every value, then the draft is PENDING with Meta components', () => {
    const draft = draftMessage(runId, template, {
      contactId: 'c1',
      phone: '+919876543210',
      variables: { 'body.1': 'Asha', 'body.2': '₹12,500' },
    });
    expect(draft).toMatchObject({ status: 'PENDING', phone: '+919876543210' });
    expect(draft.components).toEqual([
      {
        type: 'body',
        parameters: [
          { type: 'text', text: 'Asha' },
          { type: 'text', text: '₹12,500' },
        ],
      },
    ]);
  });

  it('when the phone is not E.164 or a value is missing, then the draft is FAILED with the reason', () => {
    expect(
      draftMessage(runId, template, { contactId: 'c2', phone: '98765', variables: { 'body.1': 'A', 'body.2': 'B' } }),
    ).toMatchObject({
      status: 'FAILED',
      errorMessage: 'the contact has no valid E.164 phone number',
    });
    expect(
      draftMessage(runId, template, { contactId: 'c3', phone: '+919876543210', variables: { 'body.1': 'A' } }),
    ).toMatchObject({
      status: 'FAILED',
      errorMessage: 'no value for placeholder body.2',
    });
  });

  it('when the template components are not what Meta defines, then reading the template fails permanently, naming the field', () => {
    expect(() =>
      runTemplateOf({
        name: 'x',
        language: 'en',
        category: 'UTILITY',
        parameterFormat: 'POSITIONAL',
        componentsJson: '[{"type":"BODY"}]',
      }),
    ).toThrow(
      expect.objectContaining({
        kind: 'invalid',
        retryable: false,
        details: [expect.objectContaining({ path: 'components_json.0.text' })],
      }),
    );
    expect(() =>
      runTemplateOf({
        name: 'x',
        language: 'en',
        category: 'UTILITY',
        parameterFormat: 'POSITIONAL',
        componentsJson: '{',
      }),
    ).toThrow(expect.objectContaining({ kind: 'invalid' }));
  });
});
