import { metaError, type MetaError } from './meta-errors.ts';
import type { SendComponent, SendParameter } from './send-request.ts';
import type { Template } from './template-catalog.ts';

/**
 * Checks a send's components against the approved template as Meta does, in Meta's order: the
 * number of values per component first (132000), then their kind and naming (132012), then what
 * Meta refuses inside a text value (132018). Empty text counts as a missing value, as it does at Meta.
 */
export function checkTemplateParameters(
  template: Template,
  components: ReadonlyArray<SendComponent>,
): MetaError | undefined {
  const seen = new Set<string>();
  for (const component of components) {
    const key = component.type === 'button' ? `button.${component.index}` : component.type;
    if (seen.has(key)) return metaError(100, `Param template.components has more than one ${key} component.`);
    seen.add(key);
  }
  const header = components.find((component) => component.type === 'header');
  const body = components.find((component) => component.type === 'body');
  return (
    checkHeader(template, header?.parameters ?? []) ??
    checkTextValues(template, 'body', body?.parameters ?? []) ??
    checkButtons(
      template,
      components.filter((component) => component.type === 'button'),
    )
  );
}

const namesUnder = (template: Template, prefix: string) =>
  template.placeholders.filter((key) => key.startsWith(`${prefix}.`)).map((key) => key.slice(prefix.length + 1));

const countMismatch = (where: string, received: number, expected: number) =>
  metaError(
    132000,
    `${where}: number of localizable_params (${received}) does not match the expected number of params (${expected})`,
  );

/**
 * A media or location header takes exactly one value of its kind: a LOCATION header's location
 * (latitude, longitude, name and address, checked as the request is read), an IMAGE header's image.
 */
function checkHeader(template: Template, parameters: SendParameter[]): MetaError | undefined {
  const header = template.structure.find((component) => component.type === 'HEADER');
  if (header && header.format !== 'TEXT') {
    if (parameters.length !== 1) return countMismatch('header', parameters.length, 1);
    const expected = header.format.toLowerCase();
    if (parameters[0]!.type !== expected) {
      return metaError(
        132012,
        `header: Format mismatch, expected ${header.format}, received ${parameters[0]!.type.toUpperCase()}`,
      );
    }
    return undefined;
  }
  return checkTextValues(template, 'header', parameters);
}

const valueKinds: Record<'header' | 'body', ReadonlyArray<SendParameter['type']>> = {
  header: ['text'],
  body: ['text', 'currency', 'date_time'],
};

function checkTextValues(
  template: Template,
  where: 'header' | 'body',
  parameters: SendParameter[],
): MetaError | undefined {
  const expected = namesUnder(template, where);
  const given = parameters.filter((parameter) => !(parameter.type === 'text' && parameter.text.trim() === ''));
  if (given.length !== parameters.length || parameters.length !== expected.length) {
    return countMismatch(where, given.length, expected.length);
  }
  for (const parameter of parameters) {
    if (!valueKinds[where].includes(parameter.type)) {
      return metaError(
        132012,
        `${where}: parameter of type ${parameter.type} is not allowed where the template has a text placeholder`,
      );
    }
  }
  const named = parameters.map((parameter) => ('parameter_name' in parameter ? parameter.parameter_name : undefined));
  if (template.parameterFormat === 'NAMED') {
    const missing = expected.filter((name) => !named.includes(name));
    if (named.some((name) => name === undefined) || missing.length > 0) {
      return metaError(
        132012,
        `${where}: named template expects parameter_name ${expected.join(', ')}; missing ${missing.join(', ') || 'parameter_name'}`,
      );
    }
  } else if (named.some((name) => name !== undefined)) {
    return metaError(132012, `${where}: positional template does not take parameter_name`);
  }
  for (const parameter of parameters) {
    if (parameter.type === 'text' && /[\n\t]| {5,}/.test(parameter.text)) return metaError(132018);
  }
  return undefined;
}

const buttonKinds = { url: 'URL', quick_reply: 'QUICK_REPLY', copy_code: 'COPY_CODE' } as const;

/** Meta's limit on a copy-code button's coupon. */
const couponMaxLength = 15;

function checkButtons(
  template: Template,
  sent: ReadonlyArray<Extract<SendComponent, { type: 'button' }>>,
): MetaError | undefined {
  const buttons = template.structure.find((component) => component.type === 'BUTTONS')?.buttons ?? [];
  for (const component of sent) {
    const button = buttons[component.index];
    if (!button) return metaError(131009, `button at index ${component.index}: the template has no such button`);
    if (button.type !== buttonKinds[component.sub_type]) {
      return metaError(
        132012,
        `button at index ${component.index}: sub_type ${component.sub_type} does not match the template's ${button.type} button`,
      );
    }
    if (component.sub_type === 'quick_reply') {
      if (component.parameters.length > 1)
        return countMismatch(`button at index ${component.index}`, component.parameters.length, 1);
      if (component.parameters.some((parameter) => parameter.type !== 'payload' && parameter.type !== 'text')) {
        return metaError(132012, `button at index ${component.index}: a quick reply takes a payload parameter`);
      }
      continue;
    }
    if (component.sub_type === 'copy_code') {
      const problem = checkCoupon(component.index, component.parameters);
      if (problem) return problem;
      continue;
    }
    const expected = namesUnder(template, `button.${component.index}`).length;
    if (component.parameters.length !== expected)
      return countMismatch(`button at index ${component.index}`, component.parameters.length, expected);
    if (component.parameters.some((parameter) => parameter.type !== 'text')) {
      return metaError(132012, `button at index ${component.index}: a URL button takes a text parameter`);
    }
  }
  for (const [index, button] of buttons.entries()) {
    const expected = namesUnder(template, `button.${index}`).length;
    const required = button.type === 'COPY_CODE' ? 1 : button.type === 'URL' ? expected : 0;
    if (required > 0 && !sent.some((component) => component.index === index)) {
      return countMismatch(`button at index ${index}`, 0, required);
    }
  }
  return undefined;
}

/** A copy-code button carries exactly one coupon code, of at most 15 characters. */
function checkCoupon(index: number, parameters: SendParameter[]): MetaError | undefined {
  if (parameters.length !== 1) return countMismatch(`button at index ${index}`, parameters.length, 1);
  const [parameter] = parameters;
  if (parameter!.type !== 'coupon_code') {
    return metaError(132012, `button at index ${index}: a copy_code button takes a coupon_code parameter`);
  }
  const code = parameter!.coupon_code;
  if (code.trim() === '') return countMismatch(`button at index ${index}`, 0, 1);
  if (code.length > couponMaxLength) {
    return metaError(131009, `button at index ${index}: coupon_code must be at most ${couponMaxLength} characters`);
  }
  return undefined;
}
