import postgres from 'postgres';

export interface HeldTableLock {
  /** Ends the holding transaction and its connection. */
  release(): Promise<void>;
}

/**
 * Another session's transaction holding `table` in `mode` (what a VACUUM or an ANALYZE takes is
 * `share update exclusive`), resolved once the lock is taken, so a test can show what waits on it.
 */
export async function holdTableLock(
  url: string,
  table: string,
  mode: 'share update exclusive',
): Promise<HeldTableLock> {
  const other = postgres(url, { max: 1, onnotice: () => undefined });
  let release = () => {};
  const held = new Promise<void>((resolve) => (release = resolve));
  let locked = () => {};
  const taken = new Promise<void>((resolve) => (locked = resolve));
  const holding = other.begin(async (tx) => {
    await tx.unsafe(`lock table ${table} in ${mode} mode`);
    locked();
    await held;
  });
  await Promise.race([taken, holding]);
  return {
    async release() {
      release();
      await holding;
      await other.end();
    },
  };
}
