import postgres from 'postgres';
import { startCampaignService } from './campaign-service-in-process.ts';

// `node bench/audience-preview.ts [contacts]`: the campaign-service in-process on a fresh database
// holding N generated contacts (CSV-style text attributes), then POST /v1/audiences/preview of a
// numeric attribute condition, timed end to end; one JSON line with the result.
const contacts = Number(process.argv[2] ?? 1_000_000);
const { app, adminKey, databaseUrl, stop } = await startCampaignService();
const sql = postgres(databaseUrl, { max: 1, onnotice: () => undefined });

try {
  // Generated in the database: the preview is measured, not the import (bench:contacts measures that).
  await sql`
    insert into campaign.contacts (id, phone, name, tags, attributes, opted_out)
    select gen_random_uuid(), '+91' || (7000000000 + g)::text, 'Customer ' || g,
      case when g % 3 = 0 then array['loan'] else array['gold'] end,
      jsonb_build_object('loan_amount', (g % 20000)::text, 'city', (array['Pune', 'Mumbai', 'Delhi'])[1 + g % 3]),
      g % 50 = 0
    from generate_series(1, ${contacts}::int) g`;
  await sql`analyze campaign.contacts`;
  const started = performance.now();
  const answer = await app.http.inject({
    method: 'POST',
    url: '/v1/audiences/preview',
    headers: { authorization: `Bearer ${adminKey}` },
    payload: { audience: { where: [{ field: 'attributes.loan_amount', op: 'gt', value: 15_000 }] } },
  });
  const seconds = (performance.now() - started) / 1000;
  if (answer.statusCode !== 200) throw new Error(`preview answered ${answer.statusCode}: ${answer.body}`);
  const { count, excluded } = answer.json() as { count: number; excluded: { optedOut: number } };
  console.log(JSON.stringify({ preview_s: Number(seconds.toFixed(3)), contacts, count, opted_out: excluded.optedOut }));
} finally {
  await sql.end();
  await stop();
}
