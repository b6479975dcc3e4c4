import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

/** Debian's Chromium with exactly the flags the console's tests are run with. */
export const chromiumPath = '/usr/bin/chromium';
export const chromiumFlags = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Where the screenshots go (gitignored); two of them are copied into docs/ for the README. */
export const screenshotDir = new URL('../../test-results/console/', import.meta.url).pathname;

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export interface Problems {
  consoleErrors: string[];
  failedRequests: string[];
}

export interface Browser {
  page: Page;
  context: BrowserContext;
  problems: Problems;
  /** axe-core's serious and critical violations on the page as it is now. */
  accessibilityViolations(): Promise<string[]>;
  close(): Promise<void>;
}

/**
 * One Chromium with a fresh profile (`--user-data-dir` in a new temporary directory) and one page,
 * recording console errors and failed requests. `expected` names answers the test provokes on purpose.
 */
export async function openBrowser(expected: (url: string, status: number) => boolean): Promise<Browser> {
  const profile = mkdtempSync(join(tmpdir(), 'ektola-chromium-'));
  // Playwright passes the profile to Chromium as --user-data-dir.
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath,
    args: chromiumFlags,
    headless: true,
    viewport: { width: 1280, height: 800 },
    timezoneId: 'UTC',
    locale: 'en-GB',
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const problems: Problems = { consoleErrors: [], failedRequests: [] };
  page.on('response', (response) => {
    if (response.status() < 400 || expected(response.url(), response.status())) return;
    problems.failedRequests.push(`${response.request().method()} ${response.url()} → ${response.status()}`);
  });
  page.on('requestfailed', (request) => {
    // Cancelled by the browser itself (a page left while its fetches were in flight), not refused by anyone.
    if (request.failure()?.errorText === 'net::ERR_ABORTED') return;
    problems.failedRequests.push(`${request.method()} ${request.url()}: ${request.failure()?.errorText}`);
  });
  page.on('console', (message) => {
    if (message.type() !== 'error') return;
    // Chromium logs every 4xx as "Failed to load resource"; the provoked ones are not errors of the console.
    const status = /^Failed to load resource: the server responded with a status of (\d+)/.exec(message.text());
    if (status && expected(message.location().url, Number(status[1]))) return;
    problems.consoleErrors.push(`${message.text()} (${message.location().url})`);
  });
  page.on('pageerror', (error) => problems.consoleErrors.push(`uncaught: ${error.message}`));
  return {
    page,
    context,
    problems,
    async accessibilityViolations() {
      // Through the DevTools protocol, which the page's CSP (no inline script) does not govern.
      await page.evaluate(`${axeSource}\n;0`);
      const violations = await page.evaluate(async () => {
        const axe = (
          globalThis as unknown as {
            axe: {
              run(): Promise<{
                violations: Array<{ id: string; impact: string | null; nodes: Array<{ target: unknown }> }>;
              }>;
            };
          }
        ).axe;
        const result = await axe.run();
        return result.violations.map((violation) => ({
          id: violation.id,
          impact: violation.impact,
          targets: violation.nodes.map((node) => JSON.stringify(node.target)).slice(0, 3),
        }));
      });
      return violations
        .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
        .map((violation) => `${violation.id} (${violation.impact}) at ${violation.targets.join(', ')}`);
    },
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
