import { describe, expect, it } from 'vitest';
import { contactFieldPattern, mappingProblems, resolveVariables, unmappedPlaceholders } from './template-variables.ts';

const contact = { phone: '+919876543210', name: 'Asha', attributes: { amount: '12500', due: '', count: 3 } };

describe('mappingProblems', () => {
  it('when every placeholder is mapped and nothing else, then there is no problem', () => {
    expect(
      mappingProblems(['body.1', 'body.2'], { 'body.1': { field: 'name' }, 'body.2': { field: 'attributes.amount' } }),
    ).toEqual([]);
  });

  it('when a placeholder is missing, then the problem names it', () => {
    expect(mappingProblems(['body.1', 'body.2'], { 'body.1': { field: 'name' } })).toEqual([
      { path: 'body.2', message: 'placeholder body.2 has no contact field mapped' },
    ]);
  });

  it('when the mapping names a placeholder the components lack, then the problem names it', () => {
    const problems = mappingProblems(['body.1'], { 'body.1': { field: 'name' }, 'body.9': { field: 'phone' } });
    expect(problems).toHaveLength(1);
    expect(problems[0]!.path).toBe('body.9');
  });

  it('when asked for unmapped placeholders, then only those are listed', () => {
    expect(unmappedPlaceholders(['header.1', 'body.1'], { 'body.1': { field: 'name' } })).toEqual(['header.1']);
  });
});

describe('contactFieldPattern', () => {
  it.each(['name', 'phone', 'attributes.amount', 'attributes.loan amount'])(
    'when the field is %s, then it is accepted',
    (field) => {
      expect(contactFieldPattern.test(field)).toBe(true);
    },
  );
  it.each(['email', 'attributes.', 'Name', 'attributes. x'])('when the field is "%s", then it is refused', (field) => {
    expect(contactFieldPattern.test(field)).toBe(false);
  });
});

describe('resolveVariables', () => {
  it('when every field has a value, then each placeholder gets it', () => {
    expect(
      resolveVariables(
        {
          'body.1': { field: 'name' },
          'body.2': { field: 'attributes.amount' },
          'body.3': { field: 'phone' },
          'body.4': { field: 'attributes.count' },
        },
        contact,
      ),
    ).toEqual({ ok: true, values: { 'body.1': 'Asha', 'body.2': '12500', 'body.3': '+919876543210', 'body.4': '3' } });
  });

  it('when a field is empty but the mapping has a default, then the default is used', () => {
    expect(resolveVariables({ 'body.1': { field: 'attributes.due', default: 'soon' } }, contact)).toEqual({
      ok: true,
      values: { 'body.1': 'soon' },
    });
  });

  it('when a field is empty and there is no default, then the placeholder is reported missing', () => {
    expect(
      resolveVariables(
        { 'body.1': { field: 'attributes.due' }, 'body.2': { field: 'attributes.absent' } },
        { ...contact, name: null },
      ),
    ).toEqual({
      ok: false,
      missing: ['body.1', 'body.2'],
    });
  });
});

describe('optional keys', () => {
  const required = ['header.location.latitude', 'header.location.longitude', 'button.1.coupon_code'];
  const optional = ['header.media.filename', 'button.0.payload'];

  it('when an optional key is mapped or not, then neither is a problem', () => {
    const variables = {
      'header.location.latitude': { field: 'attributes.lat' },
      'header.location.longitude': { field: 'attributes.lng' },
      'button.1.coupon_code': { field: 'attributes.coupon' },
    };
    expect(mappingProblems(required, variables, optional)).toEqual([]);
    expect(mappingProblems(required, { ...variables, 'button.0.payload': { field: 'phone' } }, optional)).toEqual([]);
  });

  it('when a coupon code is not mapped, then the problem names its key', () => {
    expect(
      mappingProblems(
        required,
        { 'header.location.latitude': { field: 'name' }, 'header.location.longitude': { field: 'name' } },
        optional,
      ),
    ).toEqual([
      { path: 'button.1.coupon_code', message: 'placeholder button.1.coupon_code has no contact field mapped' },
    ]);
  });

  it('when a contact has no value for an optional key, then it is resolved without it', () => {
    expect(
      resolveVariables(
        { 'body.1': { field: 'name' }, 'header.media.filename': { field: 'attributes.statement' } },
        contact,
        optional,
      ),
    ).toEqual({ ok: true, values: { 'body.1': 'Asha' } });
  });
});
