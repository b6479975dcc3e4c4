import { describe, expect, it } from 'vitest';
import { csvLine, textCell } from './messages-csv.ts';

describe('messages CSV', () => {
  it('when a text cell starts like a formula, then it gets a leading quote so spreadsheets keep it text', () => {
    for (const value of ['=HYPERLINK("http://x","y")', '+1', '-2', '@x', '\tcmd', '\rcmd'])
      expect(textCell(value)).toBe(`'${value}`);
    expect(textCell('Asha')).toBe('Asha');
    expect(textCell('')).toBe('');
  });

  it('when a field holds a quote, comma or line break, then it is quoted with its quotes doubled (RFC 4180)', () => {
    expect(csvLine(['a', 'b,c', 'say "hi"', 'two\nlines', ''])).toBe('a,"b,c","say ""hi""","two\nlines",\r\n');
  });
});
