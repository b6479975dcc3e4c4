import { describe, expect, it } from 'vitest';
import { createKeywordMatcher } from './keywords.ts';

const match = createKeywordMatcher({ optOut: ['STOP', 'UNSUBSCRIBE', 'STOP ALL'], optIn: ['START', 'SUBSCRIBE'] });

describe('keyword matching', () => {
  it.each(['STOP', 'stop', ' Stop. ', 'stop  all', 'Unsubscribe!', 'ＳＴＯＰ'])(
    'when a user writes %j, then it is an opt-out',
    (text) => {
      expect(match([text])).toBe('opt_out');
    },
  );

  it.each(['start', 'SUBSCRIBE'])('when a user writes %j, then it is an opt-in', (text) => {
    expect(match([text])).toBe('opt_in');
  });

  it.each(['please stop calling me at night', 'stopped', 'Does it come in another color?', ''])(
    'when a user writes %j, then it is neither',
    (text) => {
      expect(match([text])).toBeUndefined();
    },
  );

  it('when the text says nothing but the button payload is a keyword, then the payload decides', () => {
    expect(match(['Not now', 'STOP'])).toBe('opt_out');
    expect(match([undefined, undefined])).toBeUndefined();
  });

  it('when a word is in both lists, then opting out wins', () => {
    expect(createKeywordMatcher({ optOut: ['END'], optIn: ['END'] })(['end'])).toBe('opt_out');
  });
});
