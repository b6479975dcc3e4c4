import { describe, expect, it } from 'vitest';
import { duplicateGapMs, pickWeighted, planStatuses, type StatusBehaviour } from './status-plan.ts';

const behaviour: StatusBehaviour = {
  sentDelayMs: 10,
  deliveredDelayMs: 100,
  readDelayMs: 1_000,
  readShare: 1,
  failureShare: 0,
  failureCodes: [{ code: 131026, weight: 1 }],
  duplicateShare: 0,
  outOfOrderShare: 0,
  readWithoutDeliveredShare: 0,
};
const never = () => 0.999;
const always = () => 0;
const summary = (plan: ReturnType<typeof planStatuses>) => plan.map((entry) => `${entry.status}@${entry.afterMs}`);

describe('planStatuses', () => {
  it('when nothing unusual is asked for, then sent, delivered and read follow the delays', () => {
    expect(summary(planStatuses(behaviour, never))).toEqual(['sent@10', 'delivered@110', 'read@1110']);
  });

  it('when the user does not read, then the lifecycle ends at delivered', () => {
    expect(summary(planStatuses({ ...behaviour, readShare: 0 }, never))).toEqual(['sent@10', 'delivered@110']);
  });

  it('when a message fails, then failed comes alone with one of the configured codes', () => {
    const plan = planStatuses({ ...behaviour, failureShare: 1, failureCodes: [{ code: 131049, weight: 1 }] }, always);
    expect(plan).toEqual([{ status: 'failed', afterMs: 10, errorCode: 131049 }]);
    expect(planStatuses(behaviour, never, 131050)).toEqual([{ status: 'failed', afterMs: 10, errorCode: 131050 }]);
  });

  it('when delivered and read come at once, then only read is sent', () => {
    const plan = planStatuses({ ...behaviour, readWithoutDeliveredShare: 1 }, () => 0.5);
    expect(summary(plan)).toEqual(['sent@10', 'read@1110']);
  });

  it('when out of order, then delivered arrives before sent', () => {
    const plan = planStatuses({ ...behaviour, readShare: 0, outOfOrderShare: 1 }, () => 0.5);
    expect(summary(plan)).toEqual(['delivered@10', 'sent@110']);
  });

  it('when duplicated, then delivered is sent a second time a little later', () => {
    const plan = planStatuses({ ...behaviour, readShare: 0, duplicateShare: 1 }, () => 0.5);
    expect(summary(plan)).toEqual(['sent@10', 'delivered@110', `delivered@${110 + duplicateGapMs}`]);
  });
});

describe('pickWeighted', () => {
  it('picks codes in proportion to their weights', () => {
    const codes = [
      { code: 131026, weight: 3 },
      { code: 131050, weight: 1 },
    ];
    expect(pickWeighted(codes, () => 0.7)).toBe(131026);
    expect(pickWeighted(codes, () => 0.8)).toBe(131050);
  });
});
