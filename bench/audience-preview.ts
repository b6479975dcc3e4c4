import postgres from 'postgres';
import { startCampaignService } from './campaign-service-in-process.ts';

// `node bench/audience-preview.ts [contacts]`: the campaign-service in-process on a fresh database
// holding N generated contacts (CSV-style text attributes), then POST /v1/audiences/preview of a
// numeric attribute condition and of a date-time one, each timed end to end; one JSON line with the result.
const contacts = Number(process.argv[2] ?? 1_000_000);
const { app, adminKey, databaseUrl, stop } = await startCampaignService();
const sql = postgres(databaseUrl, { max: 1, onnotice: () => undefined });

try {
  // Generated in the database: the preview is measured, not the import (bench:contacts measures that).
  await sql`
    insert into campaign.contacts (id, phone, name, tags, attributes, opted_out)
    select gen_random_uuid(), '+91' || (7000000000 + g)::text, 'Customer ' || g,
      case when g % 3 = 0 then array['loan'] else array['gold'] end,
      jsonb_build_object('loan_amount', (g % 20000)::text, 'city', (array['Pune', 'Mumbai', 'Delhi'])[1 + g % 3],
        'due_date', to_char(timestamptz '2026-01-01 00:00:00+00' + (g % 365) * interval '1 day', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')),
      g % 50 = 0
    from generate_series(1, ${contacts}::int) g`;
  // Vacuum too: the first scan after a bulk insert would otherwise pay for setting every row's hint bits.
  await sql`vacuum analyze campaign.contacts`;
  const timed = async (where: object) => {
    const started = performance.now();
    const answer = await app.http.inject({
      method: 'POST',
      url: '/v1/audiences/preview',
      headers: { authorization: `Bearer ${adminKey}` },
      payload: { audience: { where: [where] } },
    });
    const seconds = (performance.now() - started) / 1000;
    if (answer.statusCode !== 200) throw new Error(`preview answered ${answer.statusCode}: ${answer.body}`);
    const { count, excluded } = answer.json() as { count: number; excluded: { optedOut: number } };
    return { seconds: Number(seconds.toFixed(3)), count, optedOut: excluded.optedOut };
  };
  const numeric = await timed({ field: 'attributes.loan_amount', op: 'gt', value: 15_000 });
  const time = await timed({ field: 'attributes.due_date', op: 'gte', value: '2026-10-01T00:00:00Z' });
  console.log(
    JSON.stringify({
      preview_s: numeric.seconds,
      time_preview_s: time.seconds,
      contacts,
      count: numeric.count,
      time_count: time.count,
      opted_out: numeric.optedOut,
    }),
  );
} finally {
  await sql.end();
  await stop();
}
