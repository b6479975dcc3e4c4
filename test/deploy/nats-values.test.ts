import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { natsPermissionsFor, natsServices } from '@ektola/platform/events';
import { natsChartValues, natsUsersSecret, natsValuesPath } from '../../deploy/nats-values.ts';

interface NatsValues {
  config: { merge: { authorization: { users: Array<{ user: string; password: string; permissions: unknown }> } } };
  container: { env: Record<string, { valueFrom: { secretKeyRef: { name: string; key: string } } }> };
}

describe('the NATS chart values with per-service users', () => {
  it('when the event catalog changes, then deploy/production/nats-values.yaml must be regenerated (npm run nats:values)', () => {
    expect(readFileSync(natsValuesPath, 'utf8')).toBe(natsChartValues());
  });

  it("when read, then each service is a user with the catalog's permissions and a password read from the users Secret", () => {
    const values = parse(readFileSync(natsValuesPath, 'utf8')) as NatsValues;
    const users = values.config.merge.authorization.users;
    expect(users.map((user) => user.user)).toEqual([...natsServices]);
    for (const user of users) {
      expect(user.permissions).toEqual(natsPermissionsFor(user.user as (typeof natsServices)[number], 'ektola'));
      const variable = /^<< \$([A-Z_]+) >>$/.exec(user.password)?.[1];
      expect(variable, user.user).toBeDefined();
      expect(values.container.env[variable!]!.valueFrom.secretKeyRef).toEqual({
        name: natsUsersSecret,
        key: user.user,
      });
    }
    const webhook = users.find((user) => user.user === 'webhook-service')!.permissions as {
      publish: { allow: string[] };
    };
    expect(webhook.publish.allow).not.toContain('ektola.run.requested.v1');
  });
});
