import { beforeAll, describe, expect, it } from 'vitest';
import type { Sql } from '@ektola/platform/postgres';
import { createPostgresSenderProjection } from '../src/adapters/postgres-senders.ts';
import { createPostgresTierGate } from '../src/adapters/postgres-tier-gate.ts';
import { planReassignment } from '../src/domain/sender-assignment.ts';
import type { SenderRecord } from '../src/domain/ports.ts';
import { useDispatchDatabase } from './dispatch-database.ts';

const phones = (count: number, prefix: string) =>
  Array.from({ length: count }, (_, index) => `+91${prefix}${String(index).padStart(5, '0')}`);

const database = useDispatchDatabase('portfolio_count');
let sql: Sql;
beforeAll(() => {
  sql = database();
});

const projection = () => createPostgresSenderProjection(sql);
const sender = (phoneNumberId: string, portfolioKey: string, version: number): SenderRecord => ({
  phoneNumberId,
  portfolioKey,
  mps: 80,
  messagingLimit: 10,
  state: 'ACTIVE',
  reason: undefined,
  version,
});
const admit = async (key: string, limit: number, recipients: string[]) =>
  (await createPostgresTierGate({ sql, portfolioKey: key, limit }).admit(recipients)).admitted.size;

describe("a number's daily recipients when its portfolio becomes known", () => {
  it('when a number counted 6 recipients alone and then joins a portfolio with 3 of its own, then the portfolio has 1 of its 10 left and the 6 are still known', async () => {
    await admit('number-a', 10, phones(6, '70'));
    await admit('portfolio-1', 10, phones(3, '71'));

    await projection().record(sender('number-a', 'portfolio-1', 1), planReassignment);

    // The six already reached count as known recipients: admitted again without spending the limit.
    expect(await admit('portfolio-1', 10, phones(6, '70'))).toBe(6);
    expect(await admit('portfolio-1', 10, phones(5, '72'))).toBe(1);
    const alone = await sql`select 1 from dispatch.tier_recipients where phone_number_id = 'number-a'
                            union all select 1 from dispatch.tier_hours where phone_number_id = 'number-a'`;
    expect(alone).toHaveLength(0);
  });

  it('when the same change is redelivered or a newer one keeps the portfolio, then nothing is counted again', async () => {
    const before =
      await sql`select hour, recipients from dispatch.tier_hours where phone_number_id = 'portfolio-1' order by hour`;
    expect(await projection().record(sender('number-a', 'portfolio-1', 1), planReassignment)).toMatchObject({
      applied: false,
    });
    await projection().record(sender('number-a', 'portfolio-1', 2), planReassignment);
    expect(
      await sql`select hour, recipients from dispatch.tier_hours where phone_number_id = 'portfolio-1' order by hour`,
    ).toEqual(before);
  });

  it("when a number's first change names itself as its key, then its own count stays where it is", async () => {
    await admit('number-b', 10, phones(4, '73'));
    await projection().record(sender('number-b', 'number-b', 1), planReassignment);
    expect(await admit('number-b', 10, phones(7, '74'))).toBe(6);
  });
});
