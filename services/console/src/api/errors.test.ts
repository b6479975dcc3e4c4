import { describe, expect, it } from 'vitest';
import { ApiError, renderError } from './errors.ts';

describe('renderError', () => {
  it('when the API names fields, then each is listed with its message', () => {
    const error = ApiError.from(400, {
      error: {
        code: 'invalid',
        message: 'the request is invalid',
        details: [{ path: 'body.startAt', message: 'must be an ISO date-time' }],
      },
    });
    expect(renderError(error)).toEqual({
      title: 'Please check the highlighted fields',
      message: 'the request is invalid',
      fields: [{ field: 'body.startAt', message: 'must be an ISO date-time' }],
    });
  });

  it('when a transition is refused with a 409, then the reason comes with what to do next', () => {
    const rendered = renderError(
      ApiError.from(409, {
        error: { code: 'template_unmapped', message: 'placeholder body.1 has no field', details: [] },
      }),
    );
    expect(rendered.title).toBe('Not possible right now');
    expect(rendered.message).toBe('placeholder body.1 has no field');
    expect(rendered.advice).toContain('Templates page');
  });

  it('when the answer has no error body, then the status still says what happened', () => {
    const rendered = renderError(ApiError.from(502, undefined));
    expect(rendered).toMatchObject({ title: 'The server could not answer', message: 'the server answered 502' });
  });

  it('when the failure is not the API (the network), then its message is shown', () => {
    expect(renderError(new TypeError('Failed to fetch'))).toEqual({
      title: 'Something went wrong',
      message: 'Failed to fetch',
      fields: [],
    });
  });
});
