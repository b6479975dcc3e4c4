import { describe, expect, it } from 'vitest';
import {
  optionalPlaceholdersOf,
  placeholdersOf,
  sendComponentsBuilder,
  templateComponentsSchema,
  type TemplateComponent,
} from './templates.ts';

const goldLoan: TemplateComponent[] = [
  { type: 'HEADER', format: 'TEXT', text: 'Hello {{1}}' },
  { type: 'BODY', text: 'Dear {{1}}, your EMI of {{2}} is due on {{3}}. Thank you, {{1}}.' },
  { type: 'FOOTER', text: 'EkTola Finance' },
  {
    type: 'BUTTONS',
    buttons: [
      { type: 'QUICK_REPLY', text: 'Paid' },
      { type: 'URL', text: 'Pay now', url: 'https://pay.example.com/{{1}}' },
    ],
  },
];

describe('placeholdersOf', () => {
  it('when a template numbers placeholders per component, then each key names its component', () => {
    expect(placeholdersOf(goldLoan)).toEqual(['header.1', 'body.1', 'body.2', 'body.3', 'button.1.1']);
  });

  it('when positional placeholders appear out of order, then they are listed in numeric order', () => {
    expect(placeholdersOf([{ type: 'BODY', text: '{{2}} before {{1}}' }])).toEqual(['body.1', 'body.2']);
  });

  it('when the template is NAMED, then names keep their order of appearance', () => {
    expect(placeholdersOf([{ type: 'BODY', text: 'Hi {{first_name}}, pay {{amount}}' }], 'NAMED')).toEqual([
      'body.first_name',
      'body.amount',
    ]);
  });

  it('when the header is an image, then it needs one media value', () => {
    expect(
      placeholdersOf([
        { type: 'HEADER', format: 'IMAGE' },
        { type: 'BODY', text: 'No values' },
      ]),
    ).toEqual(['header.media']);
  });
});

describe('sendComponentsBuilder', () => {
  it('when one builder serves contact after contact, then each gets its own values, and one missing a value fails alone', () => {
    const build = sendComponentsBuilder(goldLoan, 'POSITIONAL');
    const reminderOf = (name: string, amount: string, due: string, loan: string) => [
      { type: 'header', parameters: [{ type: 'text', text: name }] },
      {
        type: 'body',
        parameters: [
          { type: 'text', text: name },
          { type: 'text', text: amount },
          { type: 'text', text: due },
        ],
      },
      { type: 'button', sub_type: 'url', index: '1', parameters: [{ type: 'text', text: loan }] },
    ];
    const asha = { 'header.1': 'Asha', 'body.1': 'Asha', 'body.2': '₹12,500', 'body.3': '5 Jan', 'button.1.1': 'L-1' };
    const ravi = { 'header.1': 'Ravi', 'body.1': 'Ravi', 'body.2': '₹8,000', 'body.3': '9 Jan', 'button.1.1': 'L-2' };
    expect(build(asha)).toEqual(reminderOf('Asha', '₹12,500', '5 Jan', 'L-1'));
    expect(() => build({ ...asha, 'body.2': '' })).toThrow(/body\.2/);
    expect(build(ravi)).toEqual(reminderOf('Ravi', '₹8,000', '9 Jan', 'L-2'));
  });
});

describe('building send components', () => {
  it('when every value is present, then the components are in Meta send format', () => {
    const components = sendComponentsBuilder(
      goldLoan,
      'POSITIONAL',
    )({
      'header.1': 'Asha',
      'body.1': 'Asha',
      'body.2': '₹12,500',
      'body.3': '5 March',
      'button.1.1': 'loan-42',
    });
    expect(components).toEqual([
      { type: 'header', parameters: [{ type: 'text', text: 'Asha' }] },
      {
        type: 'body',
        parameters: [
          { type: 'text', text: 'Asha' },
          { type: 'text', text: '₹12,500' },
          { type: 'text', text: '5 March' },
        ],
      },
      { type: 'button', sub_type: 'url', index: '1', parameters: [{ type: 'text', text: 'loan-42' }] },
    ]);
  });

  it('when the template is NAMED, then each parameter carries its name', () => {
    expect(
      sendComponentsBuilder([{ type: 'BODY', text: 'Hi {{first_name}}' }], 'NAMED')({ 'body.first_name': 'Ravi' }),
    ).toEqual([{ type: 'body', parameters: [{ type: 'text', text: 'Ravi', parameter_name: 'first_name' }] }]);
  });

  it('when a value is missing, then it refuses to build a message Meta would reject', () => {
    expect(() => sendComponentsBuilder(goldLoan, 'POSITIONAL')({ 'body.1': 'Asha' })).toThrow(/header\.1/);
  });

  it('when the header is an image, then the link becomes an image parameter', () => {
    expect(
      sendComponentsBuilder([{ type: 'HEADER', format: 'IMAGE' }], 'POSITIONAL')({ 'header.media': 'https://x/y.png' }),
    ).toEqual([{ type: 'header', parameters: [{ type: 'image', image: { link: 'https://x/y.png' } }] }]);
  });
});

describe('every component kind', () => {
  const location: TemplateComponent[] = [
    { type: 'HEADER', format: 'LOCATION' },
    { type: 'BODY', text: 'Your branch is open till {{1}}' },
  ];

  it('when the header is a location, then latitude, longitude, name and address are required', () => {
    expect(placeholdersOf(location)).toEqual([
      'header.location.latitude',
      'header.location.longitude',
      'header.location.name',
      'header.location.address',
      'body.1',
    ]);
    expect(optionalPlaceholdersOf(location)).toEqual([]);
  });

  it('when a location header is sent, then its place goes out as a location parameter', () => {
    expect(
      sendComponentsBuilder(
        location,
        'POSITIONAL',
      )({
        'header.location.latitude': '12.9716',
        'header.location.longitude': '77.5946',
        'header.location.name': 'EkTola Finance, MG Road',
        'header.location.address': '1 MG Road, Bengaluru',
        'body.1': '6 pm',
      }),
    ).toEqual([
      {
        type: 'header',
        parameters: [
          {
            type: 'location',
            location: {
              latitude: 12.9716,
              longitude: 77.5946,
              name: 'EkTola Finance, MG Road',
              address: '1 MG Road, Bengaluru',
            },
          },
        ],
      },
      { type: 'body', parameters: [{ type: 'text', text: '6 pm' }] },
    ]);
  });

  it('when a location has no address, then the message is refused', () => {
    expect(() =>
      sendComponentsBuilder(
        [location[0]!],
        'POSITIONAL',
      )({
        'header.location.latitude': '-33.5',
        'header.location.longitude': '151',
        'header.location.name': 'Sydney branch',
      }),
    ).toThrow(/header\.location\.address/);
  });

  it('when a coordinate is not a number in range, then the message is refused', () => {
    expect(() =>
      sendComponentsBuilder(
        [location[0]!],
        'POSITIONAL',
      )({
        'header.location.latitude': '95',
        'header.location.longitude': '77',
        'header.location.name': 'x',
        'header.location.address': 'y',
      }),
    ).toThrow(/header\.location\.latitude/);
    expect(() =>
      sendComponentsBuilder(
        [location[0]!],
        'POSITIONAL',
      )({
        'header.location.latitude': '12',
        'header.location.longitude': 'east',
        'header.location.name': 'x',
        'header.location.address': 'y',
      }),
    ).toThrow(/header\.location\.longitude/);
  });

  it('when a header is a video or a document, then the link goes out under its kind, a document with its filename', () => {
    expect(
      sendComponentsBuilder([{ type: 'HEADER', format: 'VIDEO' }], 'POSITIONAL')({ 'header.media': 'https://v/1.mp4' }),
    ).toEqual([{ type: 'header', parameters: [{ type: 'video', video: { link: 'https://v/1.mp4' } }] }]);
    const document: TemplateComponent[] = [{ type: 'HEADER', format: 'DOCUMENT' }];
    expect(placeholdersOf(document)).toEqual(['header.media']);
    expect(optionalPlaceholdersOf(document)).toEqual(['header.media.filename']);
    expect(
      sendComponentsBuilder(
        document,
        'POSITIONAL',
      )({
        'header.media': 'https://d/statement.pdf',
        'header.media.filename': 'March statement.pdf',
      }),
    ).toEqual([
      {
        type: 'header',
        parameters: [
          { type: 'document', document: { link: 'https://d/statement.pdf', filename: 'March statement.pdf' } },
        ],
      },
    ]);
    expect(sendComponentsBuilder(document, 'POSITIONAL')({ 'header.media': 'https://d/s.pdf' })).toEqual([
      { type: 'header', parameters: [{ type: 'document', document: { link: 'https://d/s.pdf' } }] },
    ]);
  });

  it('when a header text is NAMED, then its parameter carries the name', () => {
    const components: TemplateComponent[] = [{ type: 'HEADER', format: 'TEXT', text: 'Hi {{first_name}}' }];
    expect(placeholdersOf(components, 'NAMED')).toEqual(['header.first_name']);
    expect(sendComponentsBuilder(components, 'NAMED')({ 'header.first_name': 'Asha' })).toEqual([
      { type: 'header', parameters: [{ type: 'text', text: 'Asha', parameter_name: 'first_name' }] },
    ]);
  });

  const coupon: TemplateComponent[] = [
    { type: 'BODY', text: 'Use {{1}} for 10% off' },
    {
      type: 'BUTTONS',
      buttons: [
        { type: 'QUICK_REPLY', text: 'Not interested' },
        { type: 'COPY_CODE', example: 'SAVE10' },
        { type: 'PHONE_NUMBER', text: 'Call us', phone_number: '+919800000000' },
      ],
    },
  ];

  it('when a template has a copy-code button, then its coupon code is required and the payload optional', () => {
    expect(placeholdersOf(coupon)).toEqual(['body.1', 'button.1.coupon_code']);
    expect(optionalPlaceholdersOf(coupon)).toEqual(['button.0.payload']);
  });

  it('when a coupon template is sent, then the code goes out as a copy_code button and the phone button takes nothing', () => {
    expect(
      sendComponentsBuilder(coupon, 'POSITIONAL')({ 'body.1': 'GOLD10', 'button.1.coupon_code': 'GOLD10' }),
    ).toEqual([
      { type: 'body', parameters: [{ type: 'text', text: 'GOLD10' }] },
      {
        type: 'button',
        sub_type: 'copy_code',
        index: '1',
        parameters: [{ type: 'coupon_code', coupon_code: 'GOLD10' }],
      },
    ]);
  });

  it('when a coupon code is missing, then the message is refused', () => {
    expect(() => sendComponentsBuilder(coupon, 'POSITIONAL')({ 'body.1': 'GOLD10' })).toThrow(/button\.1\.coupon_code/);
  });

  it('when a quick reply payload is mapped, then it is sent as the button payload', () => {
    expect(
      sendComponentsBuilder(
        coupon,
        'POSITIONAL',
      )({
        'body.1': 'GOLD10',
        'button.1.coupon_code': 'GOLD10',
        'button.0.payload': 'NOT_INTERESTED',
      })[1],
    ).toEqual({
      type: 'button',
      sub_type: 'quick_reply',
      index: '0',
      parameters: [{ type: 'payload', payload: 'NOT_INTERESTED' }],
    });
  });

  it('when an authentication template is sent, then the code fills the body and the OTP button', () => {
    const otp: TemplateComponent[] = [
      { type: 'BODY', add_security_recommendation: true },
      { type: 'FOOTER', code_expiration_minutes: 10 },
      { type: 'BUTTONS', buttons: [{ type: 'OTP', otp_type: 'COPY_CODE' }] },
    ];
    expect(placeholdersOf(otp)).toEqual(['body.1']);
    expect(sendComponentsBuilder(otp, 'POSITIONAL')({ 'body.1': '482913' })).toEqual([
      { type: 'body', parameters: [{ type: 'text', text: '482913' }] },
      { type: 'button', sub_type: 'url', index: '0', parameters: [{ type: 'text', text: '482913' }] },
    ]);
  });

  it("when Meta's fields come with the components, then they are kept", () => {
    const parsed = templateComponentsSchema.parse([
      { type: 'HEADER', format: 'TEXT', text: 'Hi {{1}}', example: { header_text: ['Asha'] } },
      { type: 'BODY', text: 'Pay {{1}}', example: { body_text: [['₹500']] } },
      { type: 'BUTTONS', buttons: [{ type: 'URL', text: 'Pay', url: 'https://p/{{1}}', example: ['https://p/42'] }] },
    ]);
    expect(parsed[0]).toMatchObject({ example: { header_text: ['Asha'] } });
    expect(parsed[2]).toMatchObject({ buttons: [{ example: ['https://p/42'] }] });
  });
});

describe('templateComponentsSchema', () => {
  it('when a body has no text and is no authentication body, then it is refused naming the text', () => {
    const parsed = templateComponentsSchema.safeParse([{ type: 'BODY' }]);
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.path).toEqual([0, 'text']);
  });
});
