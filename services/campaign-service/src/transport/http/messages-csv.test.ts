import { describe, expect, it } from 'vitest';
import type { ExportedMessage } from '../../domain/export-run-messages.ts';
import { csvLine, messageCsvLine, textCell } from './messages-csv.ts';

describe('messages CSV', () => {
  it('when a text cell starts like a formula, then it gets a leading quote so spreadsheets keep it text', () => {
    for (const value of ['=HYPERLINK("http://x","y")', '+1', '-2', '@x', '\tcmd', '\rcmd'])
      expect(textCell(value)).toBe(`'${value}`);
    expect(textCell('Asha')).toBe('Asha');
    expect(textCell('')).toBe('');
  });

  it('when a message is SKIPPED or waits for its send window, then the reason column says why', () => {
    const message = (fields: Partial<ExportedMessage>): ExportedMessage => ({
      id: 'm1',
      contactId: 'c1',
      phone: '+919876500001',
      name: 'Asha',
      status: 'PENDING',
      wamid: '',
      errorCode: 0,
      errorMessage: '',
      attempts: 0,
      createdAt: '',
      updatedAt: '',
      sentAt: '',
      deliveredAt: '',
      readAt: '',
      failedAt: '',
      skipReason: '',
      skippedAt: '',
      errorTitle: '',
      category: '',
      billable: false,
      pricingModel: '',
      waitingReason: '',
      nextAttemptAt: '',
      ...fields,
    });
    const reason = (fields: Partial<ExportedMessage>) => messageCsvLine(message(fields)).split(',')[5];
    expect(reason({ status: 'SKIPPED', skipReason: 'frequency_capped' })).toBe('frequency_capped');
    expect(reason({ status: 'PENDING', waitingReason: 'outside_send_window' })).toBe('outside_send_window');
    expect(reason({ status: 'PENDING' })).toBe('');
  });

  it('when a field holds a quote, comma or line break, then it is quoted with its quotes doubled (RFC 4180)', () => {
    expect(csvLine(['a', 'b,c', 'say "hi"', 'two\nlines', ''])).toBe('a,"b,c","say ""hi""","two\nlines",\r\n');
  });
});
