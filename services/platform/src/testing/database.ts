import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { quoteIdentifier } from '../postgres/database.ts';

const serverUrl = () => process.env.TEST_DATABASE_SERVER_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export interface TestDatabase {
  url: string;
  name: string;
  drop(): Promise<void>;
}

/** A fresh, empty database on the real PostgreSQL server, so test files never see each other's rows. */
export async function createTestDatabase(prefix = 'ektola_test'): Promise<TestDatabase> {
  const name = `${prefix}_${randomBytes(5).toString('hex')}`;
  const admin = postgres(serverUrl(), { max: 1, onnotice: () => undefined });
  try {
    await admin.unsafe(`create database ${quoteIdentifier(name)}`);
  } finally {
    await admin.end({ timeout: 5 });
  }
  const url = new URL(serverUrl());
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    name,
    async drop() {
      const dropper = postgres(serverUrl(), { max: 1, onnotice: () => undefined });
      try {
        await dropper.unsafe(`drop database if exists ${quoteIdentifier(name)} with (force)`);
      } finally {
        await dropper.end({ timeout: 5 });
      }
    },
  };
}
