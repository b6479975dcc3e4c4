import { describe, expect, it } from 'vitest';
import { simulatorWithReceiver, token, waitFor, wabaId, type Started } from './support.ts';

const running = simulatorWithReceiver();

async function withReview(reviewMs = 50) {
  const { sim } = await running.start({
    SIMULATOR_TEMPLATE_REVIEW_MS: String(reviewMs),
    SIMULATOR_PAIR_INTERVAL_MS: '0',
    SIMULATOR_WEBHOOK_SENT_DELAY_MS: '100000',
  });
  return sim;
}

const submit = async (started: Started, body: unknown, waba = wabaId) => {
  const response = await fetch(`${started.url}/v23.0/${waba}/message_templates`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as any };
};

const emiReceipt = (name = 'emi_receipt') => ({
  name,
  language: 'en',
  category: 'UTILITY',
  components: [
    { type: 'BODY', text: 'Received {{1}}, thank you {{2}}.', example: { body_text: [['₹2,000', 'Asha']] } },
    {
      type: 'BUTTONS',
      buttons: [
        { type: 'URL', text: 'Receipt', url: 'https://example.com/r/{{1}}', example: ['https://example.com/r/42'] },
      ],
    },
  ],
});

const sendReceipt = (started: Started, name = 'emi_receipt') =>
  started.send({
    messaging_product: 'whatsapp',
    to: '919800002001',
    type: 'template',
    template: {
      name,
      language: { code: 'en' },
      components: [
        {
          type: 'body',
          parameters: [
            { type: 'text', text: '₹2,000' },
            { type: 'text', text: 'Asha' },
          ],
        },
        { type: 'button', sub_type: 'url', index: '0', parameters: [{ type: 'text', text: '42' }] },
      ],
    },
  });

/** The template status notification the callback received for this name, once it has arrived. */
const statusUpdateFor = (name: string) =>
  waitFor(
    () =>
      running.receiver.received.find((entry) => entry.body.entry[0].changes[0].value.message_template_name === name)
        ?.body,
  );

describe('POST /{waba-id}/message_templates', () => {
  it('when a valid template is submitted, then it is PENDING, cannot be sent, and after review is APPROVED by webhook and sends', async () => {
    // A review long enough that the two calls below surely see it still pending, even on a busy machine.
    const started = await withReview(1_500);
    const created = await submit(started, emiReceipt());
    expect(created).toEqual({
      status: 200,
      body: { id: expect.stringMatching(/^\d{16}$/), status: 'PENDING', category: 'UTILITY' },
    });
    const listed = (await started.admin('GET', '/_sim/templates')).body.data.find(
      (item: any) => item.name === 'emi_receipt',
    );
    expect(listed.status).toBe('PENDING');
    expect((await sendReceipt(started)).body.error.code).toBe(132001);

    expect(await statusUpdateFor('emi_receipt')).toEqual({
      object: 'whatsapp_business_account',
      entry: [
        {
          id: wabaId,
          time: expect.any(Number),
          changes: [
            {
              field: 'message_template_status_update',
              value: {
                event: 'APPROVED',
                message_template_id: Number(created.body.id),
                message_template_name: 'emi_receipt',
                message_template_language: 'en',
                reason: 'NONE',
                message_template_category: 'UTILITY',
              },
            },
          ],
        },
      ],
    });
    expect((await sendReceipt(started)).status).toBe(200);
  });

  it('when a verdict of REJECTED was set for the name, then the review rejects it with the reason', async () => {
    const started = await withReview();
    const preset = await started.admin('PUT', '/_sim/template-verdicts/promo_blast', {
      verdict: 'REJECTED',
      reason: 'PROMOTIONAL',
    });
    expect(preset.status).toBe(200);
    expect((await submit(started, emiReceipt('promo_blast'))).status).toBe(200);
    const update = await statusUpdateFor('promo_blast');
    expect(update.entry[0].changes[0].value).toMatchObject({ event: 'REJECTED', reason: 'PROMOTIONAL' });
    expect((await sendReceipt(started, 'promo_blast')).body.error.code).toBe(132001);
  });

  it('when the name has capitals, the category is unknown or the template exists, then Graph’s 100 naming the problem', async () => {
    const started = await withReview();
    const capitals = await submit(started, { ...emiReceipt(), name: 'EMI_Receipt' });
    expect(capitals.status).toBe(400);
    expect(capitals.body.error).toMatchObject({ code: 100, message: 'Invalid parameter' });
    expect(capitals.body.error.error_user_msg).toMatch(
      /^Param name can only contain lowercase alphanumeric characters and underscores/,
    );
    const category = await submit(started, { ...emiReceipt(), category: 'PROMOTION' });
    expect(category.body.error.error_user_msg).toMatch(/^Param category /);
    const duplicate = await submit(started, { ...emiReceipt('gold_loan_reminder') });
    expect(duplicate.body.error).toMatchObject({ code: 100, error_subcode: 2388024 });
  });

  it('when a variable has no example, then 100 with subcode 2388043 naming the missing example', async () => {
    const started = await withReview();
    const body = emiReceipt('no_examples');
    delete (body.components[0] as { example?: unknown }).example;
    const answer = await submit(started, body);
    expect(answer.status).toBe(400);
    expect(answer.body.error).toMatchObject({
      code: 100,
      error_subcode: 2388043,
      error_user_title: 'Message template "components" param is missing expected field(s)',
    });
    expect(answer.body.error.error_user_msg).toMatch(/components\[0\]\.example\.body_text/);
    const button = emiReceipt('no_button_example');
    delete (button.components[1] as any).buttons[0].example;
    expect((await submit(started, button)).body.error.error_user_msg).toMatch(/components\[1\]\.buttons\[0\]\.example/);
  });

  it('when the WABA is not the business’s, then Graph’s unsupported post request', async () => {
    const started = await withReview();
    const answer = await submit(started, emiReceipt(), '999999999999999');
    expect(answer.body.error).toMatchObject({ code: 100, error_subcode: 33 });
  });
});

describe("Meta's word on a template", () => {
  it('when the quality score drops, then message_template_quality_update carries both scores', async () => {
    const started = await withReview();
    const answer = await started.admin('POST', '/_sim/template-quality', {
      name: 'gold_loan_reminder',
      language: 'en',
      score: 'YELLOW',
    });
    expect(answer.body.payload.entry[0].changes[0]).toEqual({
      field: 'message_template_quality_update',
      value: {
        previous_quality_score: 'UNKNOWN',
        new_quality_score: 'YELLOW',
        message_template_id: expect.any(Number),
        message_template_name: 'gold_loan_reminder',
        message_template_language: 'en',
      },
    });
    const again = await started.admin('POST', '/_sim/template-quality', {
      name: 'gold_loan_reminder',
      language: 'en',
      score: 'RED',
    });
    expect(again.body.payload.entry[0].changes[0].value.previous_quality_score).toBe('YELLOW');
  });

  it('when Meta moves a template to another category, then template_category_update is posted and the listing follows', async () => {
    const started = await withReview();
    const answer = await started.admin('POST', '/_sim/template-category', {
      name: 'gold_loan_reminder',
      language: 'en',
      category: 'MARKETING',
    });
    expect(answer.body.payload.entry[0].changes[0]).toEqual({
      field: 'template_category_update',
      value: {
        message_template_id: expect.any(Number),
        message_template_name: 'gold_loan_reminder',
        message_template_language: 'en',
        previous_category: 'UTILITY',
        new_category: 'MARKETING',
      },
    });
    await waitFor(() => running.receiver.received.length > 0);
    const listed = (await started.admin('GET', '/_sim/templates')).body.data.find(
      (item: any) => item.name === 'gold_loan_reminder' && item.language === 'en',
    );
    expect(listed.category).toBe('MARKETING');
  });

  it('when a template is paused and then disabled by Meta, then sends fail with 132015 and then 132016', async () => {
    const started = await withReview();
    expect((await submit(started, emiReceipt())).status).toBe(200);
    await statusUpdateFor('emi_receipt');
    expect(
      (await started.admin('POST', '/_sim/template-status', { name: 'emi_receipt', language: 'en', event: 'PAUSED' }))
        .status,
    ).toBe(202);
    expect((await sendReceipt(started)).body.error).toMatchObject({
      code: 132015,
      message: '(#132015) Template is Paused',
    });
    await started.admin('POST', '/_sim/template-status', { name: 'emi_receipt', language: 'en', event: 'DISABLED' });
    expect((await sendReceipt(started)).body.error).toMatchObject({
      code: 132016,
      message: '(#132016) Template is Disabled',
    });
    await started.admin('POST', '/_sim/template-status', { name: 'emi_receipt', language: 'en', event: 'REINSTATED' });
    expect((await sendReceipt(started)).status).toBe(200);
  });
});
