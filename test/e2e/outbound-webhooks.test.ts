import { describe, expect, it } from 'vitest';
import { eventually } from '@ektola/platform/testing';
import { startReceiver } from '../../services/callback-service/test/receiver.ts';
import {
  activeCampaign,
  contactsCsv,
  everyItem,
  mobile,
  registerGoldLoanReminder,
  settledRun,
  type Message,
  useSystem,
} from './support.ts';

/*
 * Outbound webhooks end to end, every service its own process: a business subscribes a receiver to
 * message and run events, a 1,000-contact campaign runs, the receiver goes away for 30 s in the
 * middle, and once it is back it has every message.sent, message.delivered and message.read of every
 * message and the run.completed, each signed as Standard Webhooks says and verified with the
 * `standardwebhooks` package. Retries come every second here instead of after minutes, for longer than
 * the outage.
 */

const n = 1_000;
const outageMs = 30_000;
const system = useSystem('e2ecb', { CALLBACKS_RETRY_SCHEDULE: Array.from({ length: 90 }, () => '1s').join(',') });

describe('outbound webhooks, end to end', () => {
  it('when a subscribed receiver is down for 30 s during a 1,000-contact run, then it still gets every sent, delivered and read of every message and the run.completed, each verified', async () => {
    const { admin, schedulerPass } = system();
    const receiver = await startReceiver();
    try {
      const endpoint = await admin.call<{ id: string; secret: string }>('POST', '/v1/webhook-endpoints', {
        url: receiver.url('/ektola'),
        events: ['message.sent', 'message.delivered', 'message.read', 'run.completed'],
      });
      receiver.trust('/ektola', endpoint.secret);

      const rows = Array.from({ length: n }, (_, index) => ({
        phone: mobile(index),
        name: `Customer ${index}`,
        tags: ['callbacks'],
        loanAmount: `₹${1000 + index}`,
      }));
      expect(await admin.uploadCsv<{ imported: number }>(contactsCsv(rows))).toMatchObject({ imported: n });
      const template = await registerGoldLoanReminder(admin);
      const campaignId = await activeCampaign(admin, {
        name: 'Callbacks',
        templateId: template.id,
        audience: { tags: ['callbacks'] },
        recurrence: 'ONCE',
        timezone: 'Asia/Kolkata',
        startAt: '2030-03-05T10:00:00+05:30',
      });
      await schedulerPass('2030-03-05T04:31:00Z');

      // The receiver goes away once callbacks flow, and comes back 30 s of retries later.
      await eventually(async () => receiver.received.length >= 100, 60_000, 50);
      await receiver.down();
      await new Promise((resolve) => setTimeout(resolve, outageMs));
      await receiver.up();

      const [run] = await everyItem<{ id: string }>(admin, `/v1/campaigns/${campaignId}/runs`);
      await settledRun(admin, run!.id, n);
      const messages = await everyItem<Message>(admin, `/v1/runs/${run!.id}/messages`);
      expect(messages).toHaveLength(n);

      const unique = () => new Map(receiver.received.map((callback) => [callback.id, callback]));
      await eventually(async () => unique().size === 3 * n + 1, 120_000, 250);
      const callbacks = [...unique().values()];
      expect(callbacks.every((callback) => callback.verified)).toBe(true);

      const byMessage = new Map(messages.map((message) => [message.id, message]));
      for (const type of ['message.sent', 'message.delivered', 'message.read']) {
        const ofType = callbacks.filter((callback) => callback.type === type);
        expect(new Set(ofType.map((callback) => callback.data.messageId))).toEqual(new Set(byMessage.keys()));
        for (const callback of ofType) {
          const message = byMessage.get(callback.data.messageId as string)!;
          expect(callback.data).toMatchObject({
            runId: run!.id,
            campaignId,
            contactId: message.contactId,
            phone: message.phone,
          });
        }
      }
      expect(
        callbacks.filter((callback) => callback.type === 'run.completed').map((callback) => callback.data.runId),
      ).toEqual([run!.id]);

      // The log shows the attempts the outage cost: refused connections, then a 200.
      const retried = await everyItem<{ attempts: Array<{ httpStatus: number | null }> }>(
        admin,
        `/v1/webhook-endpoints/${endpoint.id}/deliveries?status=succeeded`,
      );
      expect(
        retried.some((delivery) => delivery.attempts.length > 1 && delivery.attempts[0]?.httpStatus === null),
      ).toBe(true);
    } finally {
      await receiver.stop();
    }
  }, 300_000);
});
