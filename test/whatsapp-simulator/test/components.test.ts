import { afterEach, describe, expect, it } from 'vitest';
import { startSimulator, type Started } from './support.ts';

let sim: Started | undefined;
afterEach(async () => {
  await sim?.stop();
  sim = undefined;
});

const template = (to: string, name: string, components: unknown[]) => ({
  messaging_product: 'whatsapp',
  to,
  type: 'template',
  template: { name, language: { code: 'en' }, components },
});
const location = { latitude: '19.0760', longitude: '72.8777', name: 'EkTola Andheri', address: '1 SV Road, Mumbai' };
const branchSend = (to: string, place: unknown = location) =>
  template(to, 'branch_collection_ready', [
    { type: 'header', parameters: [{ type: 'location', location: place }] },
    {
      type: 'body',
      parameters: [
        { type: 'text', text: 'Asha' },
        { type: 'text', text: '10 March' },
      ],
    },
  ]);
const couponSend = (to: string, button?: unknown) =>
  template(to, 'gold_loan_cashback_coupon', [
    {
      type: 'body',
      parameters: [
        { type: 'text', text: 'Asha' },
        { type: 'text', text: '₹500' },
      ],
    },
    ...(button === undefined ? [] : [button]),
  ]);
const couponButton = (parameters: unknown[]) => ({ type: 'button', sub_type: 'copy_code', index: 0, parameters });

describe('every component kind, as Meta checks it', () => {
  it('when the default location template is sent with its location, then it is accepted and the values are recorded', async () => {
    sim = await startSimulator({ SIMULATOR_PAIR_INTERVAL_MS: '0' });
    const response = await sim.send(branchSend('919800001001'));
    expect(response.status).toBe(200);
    const id = response.body.messages[0].id;
    const recorded = await sim.admin('GET', `/_sim/messages/${encodeURIComponent(id)}`);
    expect(recorded.body).toMatchObject({
      id,
      phoneNumberId: '106540352242922',
      to: '919800001001',
      template: {
        name: 'branch_collection_ready',
        language: 'en',
        components: [
          {
            type: 'header',
            parameters: [{ type: 'location', location: { ...location, latitude: 19.076, longitude: 72.8777 } }],
          },
          { type: 'body' },
        ],
      },
    });
  });

  it('when a location lacks its address or has a latitude beyond 90, then 100 naming the field', async () => {
    sim = await startSimulator({ SIMULATOR_PAIR_INTERVAL_MS: '0' });
    const { address: _address, ...withoutAddress } = location;
    const missing = await sim.send(branchSend('919800001002', withoutAddress));
    expect(missing.status).toBe(400);
    expect(missing.body.error.code).toBe(100);
    expect(missing.body.error.error_data.details).toMatch(
      /template\.components\[0\]\.parameters\[0\]\.location\.address/,
    );
    const wrong = await sim.send(branchSend('919800001003', { ...location, latitude: '91' }));
    expect(wrong.body.error.error_data.details).toMatch(/location\.latitude must be between -90 and 90/);
  });

  it('when the coupon template is sent with its code, then it is accepted and the coupon is recorded', async () => {
    sim = await startSimulator({ SIMULATOR_PAIR_INTERVAL_MS: '0' });
    const send = couponSend('919800001011', couponButton([{ type: 'coupon_code', coupon_code: 'GOLD500' }]));
    expect((await sim.send(send)).status).toBe(200);
    const listed = await sim.admin('GET', '/_sim/messages?template=gold_loan_cashback_coupon&to=919800001011');
    expect(listed.body.data).toHaveLength(1);
    expect(listed.body.data[0].template.components[1]).toEqual(
      couponButton([{ type: 'coupon_code', coupon_code: 'GOLD500' }]),
    );
  });

  it('when the coupon is left out, then 132000 with Meta’s title; when sent as text, then 132012', async () => {
    sim = await startSimulator({ SIMULATOR_PAIR_INTERVAL_MS: '0' });
    const missing = await sim.send(couponSend('919800001012'));
    expect(missing.status).toBe(400);
    expect(missing.body.error).toMatchObject({
      code: 132000,
      message: '(#132000) Number of parameters does not match the expected number of params',
    });
    const asText = await sim.send(couponSend('919800001013', couponButton([{ type: 'text', text: 'GOLD500' }])));
    expect(asText.body.error).toMatchObject({
      code: 132012,
      message: '(#132012) Parameter format does not match format in the created template',
    });
    expect((await sim.admin('GET', '/_sim/messages')).body.data).toEqual([]);
  });
});
