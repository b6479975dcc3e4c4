import { jetstreamPublishCeiling } from './ceilings.ts';

// Quick look at this machine's JetStream ceiling on its own: `node bench/ceilings-main.ts`.
const mps = await jetstreamPublishCeiling({
  natsUrl: process.env.NATS_URL ?? 'nats://127.0.0.1:4222',
  namespace: `ceil${Date.now()}`,
});
console.log(JSON.stringify({ ceiling_jetstream_mps: Math.round(mps) }));
