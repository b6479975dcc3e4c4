import { describe, expect, it } from 'vitest';
import { previewBubble, type Component } from './placeholder-preview.ts';

const components: Component[] = [
  { type: 'HEADER', format: 'TEXT', text: 'Order {{1}}' },
  { type: 'BODY', text: 'Hi {{1}}, your {{2}} ships on {{3}}.' },
  { type: 'FOOTER', text: 'Reply STOP to opt out' },
  { type: 'BUTTONS', buttons: [{ type: 'QUICK_REPLY', text: 'Track' }] },
];
const contact = { name: 'Asha', phone: '+919876500001', attributes: { order: 'A-17', item: 'kettle' } };

describe('previewBubble', () => {
  it('when every placeholder is mapped, then the bubble reads as the contact would receive it', () => {
    const bubble = previewBubble(
      components,
      {
        'header.1': { field: 'attributes.order' },
        'body.1': { field: 'name' },
        'body.2': { field: 'attributes.item' },
        'body.3': { field: 'attributes.date', default: 'Monday' },
      },
      contact,
    );
    expect(bubble.header).toEqual([{ text: 'Order ' }, { key: 'header.1', value: 'A-17' }]);
    expect(bubble.body).toEqual([
      { text: 'Hi ' },
      { key: 'body.1', value: 'Asha' },
      { text: ', your ' },
      { key: 'body.2', value: 'kettle' },
      { text: ' ships on ' },
      { key: 'body.3', value: 'Monday' },
      { text: '.' },
    ]);
    expect(bubble.footer).toBe('Reply STOP to opt out');
    expect(bubble.buttons).toEqual([{ text: 'Track', kind: 'QUICK_REPLY' }]);
    expect(bubble.missing).toEqual([]);
  });

  it('when a placeholder is unmapped or its field is empty without a default, then it is listed as missing', () => {
    const bubble = previewBubble(components, { 'body.1': { field: 'attributes.nickname' } }, contact);
    expect(bubble.missing).toEqual(['header.1', 'body.1', 'body.2', 'body.3']);
    expect(bubble.body[1]).toEqual({ key: 'body.1', value: null });
  });

  it('when the header is an image, then its media placeholder is resolved like any other', () => {
    const bubble = previewBubble(
      [
        { type: 'HEADER', format: 'IMAGE' },
        { type: 'BODY', text: 'Sale' },
      ],
      { 'header.media': { field: 'attributes.banner', default: 'https://example.com/a.png' } },
      contact,
    );
    expect(bubble.header).toEqual({ media: 'https://example.com/a.png' });
  });
});
