import { copyFileSync, mkdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '@ektola/platform/testing';
import { ensureConsoleBuild } from '../../deploy/local/console-build.ts';
import { contactsCsv, mobile, settledRun, useSystem, type RunDetail } from '../e2e/support.ts';
import { openBrowser, screenshotDir, type Browser } from './browser.ts';

/*
 * The console in Debian's Chromium against the whole stack started as `npm start` starts it: every
 * step is what an operator does, found by role and visible text; the API is asked only to check what
 * the page shows. The steps build on each other (one browser, one stack), so they run in order.
 */

// Before the stack starts: the campaign-service lists the build's files as it starts.
beforeAll(() => ensureConsoleBuild());
const system = useSystem('console');
let browser: Browser;
let url: string;
const failingCode = 131026;
const tag = 'console_vip';
const good = [0, 1, 2].map((index) => ({
  phone: mobile(7_000 + index),
  name: ['Asha', 'Ravi', 'Meena'][index]!,
  tags: [tag],
  loanAmount: `₹${12 + index},500`,
}));

/** The session probe of a signed-out page is a 401 by design; nothing else may fail. */
const provoked = (requestUrl: string, status: number) =>
  status === 401 && new URL(requestUrl).pathname === '/v1/sessions/current';

beforeAll(async () => {
  mkdirSync(screenshotDir, { recursive: true });
  browser = await openBrowser(provoked);
});

afterAll(async () => {
  await browser?.close();
});

async function visit(path: string) {
  await browser.page.goto(`${url}${path}`);
}

async function expectAccessible() {
  expect(await browser.accessibilityViolations()).toEqual([]);
}

const shoot = (name: string) => browser.page.screenshot({ path: `${screenshotDir}${name}.png`, fullPage: true });

describe('the operator console in Chromium', () => {
  it('when an admin signs in with the API key, then the overview shows and the key is kept nowhere in the browser', async () => {
    url = system().stack.urls.api;
    const { page } = browser;
    await visit('/');
    await page.getByLabel('API key').fill(system().stack.settings.EKTOLA_ADMIN_API_KEY!);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Overview' }).waitFor();
    const stored = await page.evaluate(
      () => JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }),
    );
    expect(stored).not.toContain(system().stack.settings.EKTOLA_ADMIN_API_KEY!);
    const [cookie] = await browser.context.cookies(`${url}/v1/`);
    expect(cookie).toMatchObject({ name: 'ektola_session', httpOnly: true, sameSite: 'Strict' });
    await expectAccessible();
    await shoot('01-overview');
  });

  it('when a CSV with two bad rows is uploaded, then the rest import and both rejected rows are listed with their line', async () => {
    const { page } = browser;
    await page.getByRole('link', { name: 'Contacts' }).click();
    await page.getByRole('heading', { name: 'Contacts' }).waitFor();
    const csv = contactsCsv([
      good[0]!,
      { phone: '12345', name: 'Bad One', tags: [tag], loanAmount: '1' },
      good[1]!,
      { phone: 'not-a-phone', name: 'Bad Two', tags: [tag], loanAmount: '2' },
      good[2]!,
    ]);
    await page
      .getByLabel(/^CSV file/)
      .setInputFiles({ name: 'contacts.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await page.getByText('3 imported, 0 updated, 2 rejected').waitFor();
    const rejected = page.getByRole('table', { name: 'Rejected rows' });
    await expect.poll(() => rejected.getByRole('row').count()).toBe(3);
    expect(await rejected.getByRole('cell').allTextContents()).toEqual([
      '3',
      expect.stringContaining('12345'),
      '5',
      expect.stringContaining('not-a-phone'),
    ]);
    await page.getByLabel('Tag', { exact: true }).fill(tag);
    await page.getByRole('button', { name: 'Search' }).click();
    await expect.poll(() => page.getByRole('table', { name: 'Contacts' }).getByRole('row').count()).toBe(4);
    await expectAccessible();
    await shoot('02-contacts-upload');
  });

  it('when a condition on an attribute is added in Contacts, then the count and the matching contacts come from the audience preview', async () => {
    const { page } = browser;
    await page.getByRole('button', { name: 'Add condition' }).click();
    await page.getByLabel('Field 1').fill('attributes.loan_amount');
    await page.getByLabel('Operator 1').selectOption('eq');
    await page.getByLabel('Value 1').fill(good[1]!.loanAmount);
    await expect.poll(() => page.locator('.count strong').textContent()).toBe('1');
    const contacts = page.getByRole('table', { name: 'Contacts' });
    await expect.poll(() => contacts.getByRole('row').count()).toBe(2);
    expect(await contacts.getByRole('cell').nth(1).textContent()).toBe(good[1]!.name);
    await page.getByText(/filters by tag and name or phone only/).waitFor();
    await expectAccessible();
    await page.getByRole('button', { name: 'Remove condition 1' }).click();
    await expect.poll(() => contacts.getByRole('row').count()).toBe(4);
  });

  it("when templates are synced and one's placeholders are mapped, then the WhatsApp bubble shows a contact's values and the mapping is saved", async () => {
    const { page } = browser;
    await page.getByRole('link', { name: 'Templates' }).click();
    await page.getByText('No templates yet').waitFor();
    await page.getByRole('button', { name: 'Sync from Meta' }).click();
    await page.getByText(/^Sync: \d+ new/).waitFor();
    await page.getByRole('button', { name: 'Map placeholders of gold_loan_reminder (en)' }).click();
    const bubble = page.getByRole('figure', { name: 'WhatsApp preview' });
    await expect.poll(() => bubble.textContent()).toContain('{{body.1}}');
    await page.getByLabel('Contact field for body.1').fill('name');
    await page.getByLabel('Contact field for body.2').fill('attributes.loan_amount');
    const sample = (
      await system().admin.call<{ items: Array<{ name: string; attributes: { loan_amount: string } }> }>(
        'GET',
        '/v1/contacts?limit=1',
      )
    ).items[0]!;
    await expect
      .poll(() => bubble.textContent())
      .toContain(`Hello ${sample.name}, your gold loan instalment of ${sample.attributes.loan_amount} is due.`);
    expect(await bubble.textContent()).toContain('Stop reminders');
    await page.getByRole('button', { name: 'Save mapping' }).click();
    await page.getByText('Mapping saved.').waitFor();
    const templates = await system().admin.call<{
      items: Array<{ name: string; language: string; variables: Record<string, { field: string }> }>;
    }>('GET', '/v1/templates?limit=500');
    const saved = templates.items.find((item) => item.name === 'gold_loan_reminder' && item.language === 'en')!;
    expect(saved.variables).toEqual({ 'body.1': { field: 'name' }, 'body.2': { field: 'attributes.loan_amount' } });
    await expectAccessible();
    await shoot('03-template-preview');
  });

  let campaignId = '';
  let runId = '';

  it('when a ONCE campaign is created for the tag, then the audience count and its one run time show, and it activates', async () => {
    const { page } = browser;
    await system().simulator.failRecipient(good[2]!.phone, failingCode);
    await page.getByRole('link', { name: 'Campaigns' }).click();
    await page.getByRole('heading', { name: 'Campaigns' }).waitFor();
    await expectAccessible();
    await page.getByRole('link', { name: 'New campaign' }).click();
    await page.getByLabel('Campaign name').fill('Gold loan reminder, draft');
    await page.getByLabel('Template', { exact: true }).selectOption({ label: 'gold_loan_reminder (en, APPROVED)' });
    await page.getByRole('button', { name: 'Next: Audience' }).click();
    await page.getByLabel(/^Tags/).fill(tag);
    await expect.poll(() => page.locator('.count strong').textContent()).toBe('3');
    await page.getByRole('button', { name: 'Add condition' }).click();
    await page.getByLabel('Field 1').fill('name');
    await page.getByLabel('Operator 1').selectOption('in');
    await page.getByLabel('Value 1').fill(`${good[0]!.name}, ${good[1]!.name}`);
    await expect.poll(() => page.locator('.count strong').textContent()).toBe('2');
    await page.getByRole('button', { name: 'Remove condition 1' }).click();
    await expect.poll(() => page.locator('.count strong').textContent()).toBe('3');
    await expectAccessible();
    await page.getByRole('button', { name: 'Next: Schedule' }).click();
    await page.getByLabel('Time zone (IANA, such as Asia/Kolkata)').fill('Asia/Kolkata');
    await page.getByLabel(/^Start/).fill('2030-03-05T10:00');
    const runs = page
      .getByRole('list')
      .filter({ has: page.getByRole('listitem') })
      .last();
    await expect.poll(() => runs.textContent()).toContain('Tue, 5 Mar 2030, 10:00 (Asia/Kolkata)');
    await page.getByRole('button', { name: 'Next: Review' }).click();
    await page.getByText('3 contacts now').waitFor();
    await expectAccessible();
    await shoot('04-campaign-review');
    await page.getByRole('button', { name: 'Create campaign' }).click();
    await page.getByRole('heading', { name: 'Gold loan reminder, draft' }).waitFor();
    campaignId = page.url().split('/').pop()!;
    // A draft can be edited through the same steps; its schedule and audience come back as they were.
    await page.getByRole('link', { name: 'Edit' }).click();
    await page.getByLabel('Campaign name').fill('Gold loan reminder, console');
    await page.getByRole('button', { name: 'Next: Audience' }).click();
    expect(await page.getByLabel(/^Tags/).inputValue()).toBe(tag);
    await page.getByRole('button', { name: 'Next: Schedule' }).click();
    expect(await page.getByLabel(/^Start/).inputValue()).toBe('2030-03-05T10:00');
    await page.getByRole('button', { name: 'Next: Review' }).click();
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByRole('heading', { name: 'Gold loan reminder, console' }).waitFor();
    await page.getByRole('button', { name: 'Activate' }).click();
    await page.getByText('ACTIVE', { exact: true }).waitFor();
    const campaign = await system().admin.call<{ status: string; startAt: string; audienceCount: number }>(
      'GET',
      `/v1/campaigns/${campaignId}`,
    );
    expect(campaign).toMatchObject({ status: 'ACTIVE', startAt: '2030-03-05T04:30:00.000Z', audienceCount: 3 });
    await expectAccessible();
  });

  it('when the scheduler runs it, then the run page reaches COMPLETED with the counts the API reports', async () => {
    const { page } = browser;
    await system().schedulerPass('2030-03-05T04:31:00Z');
    await page.reload();
    await page.getByRole('link', { name: 'once' }).click();
    runId = page.url().split('/').pop()!;
    await page.getByRole('heading', { name: 'Run once' }).waitFor();
    const run: RunDetail = await settledRun(system().admin, runId, 3);
    await eventually(
      async () => (await page.locator('[data-count="read"]').textContent()) === String(run.messages!.read),
      20_000,
      250,
    );
    await page.getByText('COMPLETED', { exact: true }).waitFor();
    for (const key of ['total', 'sent', 'delivered', 'read', 'failed'] as const)
      expect(await page.locator(`[data-count="${key}"]`).textContent(), key).toBe(String(run.messages![key]));
    expect(run.messages).toMatchObject({ total: 3, read: 2, failed: 1 });
    // The messages table follows too: each row ends READ or FAILED as the API lists it.
    const table = page.getByRole('table', { name: 'Messages' });
    const settledRows = async () =>
      (await table.getByRole('cell').allTextContents()).filter((text) => text === 'READ' || text === 'FAILED').length;
    await expect.poll(settledRows, { timeout: 20_000 }).toBe(3);
    // Messages per minute over the run: every message Meta accepted (it has a sentAt) counted in some minute.
    const sent = (await system().admin.all<{ sentAt: string | null }>(`/v1/runs/${runId}/messages`)).filter(
      (message) => message.sentAt !== null,
    ).length;
    expect(sent).toBeGreaterThan(0);
    await page.getByRole('img', { name: new RegExp(`^${sent} messages sent over \\d+ minutes`) }).waitFor();
    await expectAccessible();
    await shoot('05-run-page');
  });

  it('when the run page is opened on a phone (390×844), then nothing is wider than the screen and it stays accessible', async () => {
    const { page } = browser;
    await page.setViewportSize({ width: 390, height: 844 });
    try {
      await page.getByRole('heading', { name: 'Run once' }).waitFor();
      expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
      await expectAccessible();
      await shoot('05-run-page-phone');
    } finally {
      await page.setViewportSize({ width: 1280, height: 800 });
    }
  });

  it('when the keyboard is used, then Tab reaches the skip link first and then the sections', async () => {
    const { page } = browser;
    await page.reload();
    await page.getByRole('heading', { name: 'Run once' }).waitFor();
    await page.keyboard.press('Tab');
    expect(await page.evaluate<string | undefined>('document.activeElement?.textContent')).toBe('Skip to content');
    await page.keyboard.press('Tab');
    expect(await page.evaluate<string | undefined>('document.activeElement?.textContent')).toBe('Overview');
  });

  it("when the failures are opened, then Meta's code and title are listed and the messages table filters to them", async () => {
    const { page } = browser;
    const failures = page.getByRole('table', { name: 'Failures by Meta error code' });
    const cells = await failures.getByRole('cell').allTextContents();
    expect(cells[0]).toBe(String(failingCode));
    expect(cells[2]).toBe('1');
    expect(cells[1]!.length).toBeGreaterThan(0);
    const messages = page.getByRole('table', { name: 'Messages' });
    // A code picked in the failures table narrows the messages table on the server to that code.
    await page.getByRole('button', { name: `Show the messages that failed with ${failingCode}` }).click();
    await page.getByText(`Meta error code ${failingCode}`).waitFor();
    await expect.poll(() => messages.getByRole('row').count()).toBe(2);
    expect(await messages.getByRole('cell').first().textContent()).toBe(good[2]!.phone);
    await expectAccessible();
    await page.getByRole('button', { name: 'Show every code' }).click();
    await expect.poll(() => messages.getByRole('row').count()).toBe(4);
    await page.getByLabel('Status', { exact: true }).selectOption('FAILED');
    await expect.poll(() => messages.getByRole('row').count()).toBe(2);
    expect(await messages.getByRole('cell').first().textContent()).toBe(good[2]!.phone);
    await expectAccessible();
  });

  it("when a contact is opened from the contacts list, then its message history shows the campaign's message with its status and run", async () => {
    const { page } = browser;
    await page.getByRole('link', { name: 'Contacts', exact: true }).click();
    await page.getByRole('link', { name: good[2]!.phone }).click();
    await page.getByRole('heading', { name: `${good[2]!.name} ${good[2]!.phone}` }).waitFor();
    const history = page.getByRole('table', { name: 'Message history' });
    await history.waitFor();
    const cells = await history.getByRole('cell').allTextContents();
    expect(cells).toContain('Sent');
    expect(cells).toContain('FAILED');
    expect(await history.getByRole('link', { name: 'Open run' }).getAttribute('href')).toBe(`/runs/${runId}`);
    await expectAccessible();
    await shoot('06-contact-history');
  });

  it("when the overview is opened after the run, then the week's run, the last day's messages with rates and the sends chart show", async () => {
    const { page } = browser;
    await page.getByRole('link', { name: 'Overview', exact: true }).click();
    const runs = page.getByRole('table', { name: 'Runs of the last 7 days' });
    await runs.waitFor();
    expect(await runs.getByRole('link', { name: 'once' }).getAttribute('href')).toBe(`/runs/${runId}`);
    const overview = await system().admin.call<{ messages: { byStatus: Record<string, number> } }>(
      'GET',
      '/v1/overview',
    );
    expect(overview.messages.byStatus).toMatchObject({ read: 2, failed: 1 });
    const counts = page.getByLabel('Messages of the last 24 hours by status');
    // The page may show the overview it read at sign-in until its refetch lands.
    const shown = async () =>
      Object.fromEntries(
        await Promise.all(
          (await counts.locator('div').all()).map(async (pair) => [
            await pair.locator('dt').textContent(),
            Number(await pair.locator('dd').textContent()),
          ]),
        ),
      );
    await expect.poll(shown).toEqual(overview.messages.byStatus);
    await page.getByText(/^Delivered \d/).waitFor();
    const chart = page.getByRole('img', { name: /sends over 60 minutes/ });
    expect(await chart.locator('rect').count()).toBe(60);
    await expectAccessible();
    await shoot('07-overview-sending');
  });

  it('when an admin opens Settings, then the rate card shows, and a key minted there is shown once and can be revoked', async () => {
    const { page } = browser;
    await system().admin.call('PUT', '/v1/settings/rate-card', {
      currency: 'INR',
      default: { MARKETING: 0.7846, UTILITY: 0.115, AUTHENTICATION: 0.115 },
    });
    await page.getByRole('link', { name: 'Settings' }).click();
    await page.getByRole('table', { name: 'Rate card' }).getByText('0.7846').waitFor();
    await page.getByRole('heading', { name: 'Settings' }).waitFor();
    await page.getByLabel('Name', { exact: true }).fill('console operator');
    await page.getByLabel('Role', { exact: true }).selectOption('operator');
    await page.getByRole('button', { name: 'Create key' }).click();
    const shown = await page
      .getByText(/shown this once/)
      .locator('code')
      .textContent();
    expect(shown).toMatch(/^ek_/);
    expect((await fetch(`${url}/v1/contacts`, { headers: { authorization: `Bearer ${shown}` } })).status).toBe(200);
    await expectAccessible();
    await page.getByRole('button', { name: 'Revoke console operator' }).click();
    await expect.poll(() => page.getByRole('button', { name: 'Revoke console operator' }).count()).toBe(0);
    expect((await fetch(`${url}/v1/contacts`, { headers: { authorization: `Bearer ${shown}` } })).status).toBe(401);
  });

  it('when an admin sets the guardrails and adds a webhook endpoint, then its secret shows once, a test ping is listed and it can be disabled and deleted', async () => {
    const { page } = browser;
    await page.getByLabel('Cap on').check();
    await page.getByLabel('Messages').fill('2');
    await page.getByLabel('Per hours').fill('24');
    await page.getByRole('button', { name: 'Save frequency cap' }).click();
    await page.getByText(/At most 2 MARKETING messages per contact in any 24 hours/).waitFor();
    expect(await system().admin.call('GET', '/v1/settings/frequency-cap')).toMatchObject({
      enabled: true,
      maxMessages: 2,
      windowHours: 24,
    });
    await page.getByLabel(/^Blocked calling codes/).fill('1, +44');
    await page.getByRole('button', { name: 'Save region rules' }).click();
    await page.getByText('No MARKETING templates to +1, +44', { exact: false }).waitFor();
    await page.getByLabel(/^Blocked calling codes/).fill('1');
    await page.getByRole('button', { name: 'Save region rules' }).click();
    await page.getByText('No MARKETING templates to +1;', { exact: false }).waitFor();

    const hook = 'http://127.0.0.1:9/ektola-hook';
    await page.getByLabel('URL (https)').fill(hook);
    await page.getByRole('button', { name: 'Add endpoint' }).click();
    const secret = await page
      .getByText(/signing secret of/)
      .locator('code')
      .textContent();
    expect(secret).toMatch(/^whsec_/);
    const endpoints = page.getByRole('table', { name: 'Webhook endpoints' });
    await endpoints.getByText(hook).waitFor();
    await page.getByRole('button', { name: `Send a test ping to ${hook}` }).click();
    const deliveries = page.getByRole('table', { name: 'Webhook deliveries' });
    await deliveries.getByRole('cell', { name: 'ping' }).waitFor();
    await expectAccessible();
    await shoot('09-settings-webhooks');
    await page.getByRole('button', { name: `Disable ${hook}` }).click();
    await endpoints.getByText('disabled').waitFor();
    await page.getByRole('button', { name: `Delete ${hook}` }).click();
    await page.getByText(/No webhook endpoints/).waitFor();
    await system().admin.call('PUT', '/v1/settings/frequency-cap', { enabled: false });
  });

  it('when a viewer signs in, then no page offers a way to change anything', async () => {
    const { page } = browser;
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    const viewer = await system().admin.call<{ key: string }>('POST', '/v1/api-keys', {
      name: 'console viewer',
      role: 'viewer',
    });
    await page.getByLabel('API key').fill(viewer.key);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Overview' }).waitFor();
    expect(await page.getByRole('link', { name: 'Settings' }).count()).toBe(1);
    const changing =
      /new campaign|edit|activate|pause|resume|cancel|opt (in|out)|upload|sync|save|create|revoke|delete/i;
    const offered = async () =>
      [
        ...(await page.getByRole('button').allTextContents()),
        ...(await page.getByRole('link').allTextContents()),
      ].filter((text) => changing.test(text));
    for (const path of [
      '/campaigns',
      `/campaigns/${campaignId}`,
      `/runs/${runId}`,
      '/contacts',
      '/settings',
      '/templates',
    ]) {
      await visit(path);
      await page.getByRole('heading', { level: 1 }).first().waitFor();
      expect(await offered(), path).toEqual([]);
      expect(await page.locator('input[type=file]').count(), path).toBe(0);
      await expectAccessible();
    }
    await page.getByRole('button', { name: 'Map placeholders of gold_loan_reminder (en)' }).click();
    await page.getByLabel('Contact field for body.1').waitFor();
    expect(await page.getByLabel('Contact field for body.1').getAttribute('readonly')).not.toBeNull();
    expect(await offered()).toEqual([]);
    await shoot('06-viewer');
  });

  it('when the operator signs out, then /v1 refuses the old session cookie', async () => {
    const { page } = browser;
    const [cookie] = await browser.context.cookies(`${url}/v1/`);
    const asBefore = () => fetch(`${url}/v1/contacts`, { headers: { cookie: `${cookie!.name}=${cookie!.value}` } });
    expect((await asBefore()).status).toBe(200);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    expect((await asBefore()).status).toBe(401);
    expect(await browser.context.cookies(`${url}/v1/`)).toEqual([]);
    await expectAccessible();
    await shoot('07-signed-out');
    // The README's two pictures are renewed on request only, so a test run leaves the tree clean.
    if (process.env.CONSOLE_SCREENSHOTS_TO_DOCS === '1') {
      const docs = (name: string) => new URL(`../../docs/${name}`, import.meta.url).pathname;
      copyFileSync(`${screenshotDir}04-campaign-review.png`, docs('console-campaign.png'));
      copyFileSync(`${screenshotDir}05-run-page.png`, docs('console-run.png'));
    }
  });

  it('when the whole walk is over, then no console error was logged and no request failed', () => {
    expect(browser.problems.consoleErrors).toEqual([]);
    expect(browser.problems.failedRequests).toEqual([]);
  });
});
