import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { consoleIndex, ensureConsoleBuild } from '../../deploy/local/console-build.ts';

const budgetBytes = 250 * 1024;

beforeAll(async () => {
  await ensureConsoleBuild();
});

describe("the console's first load", () => {
  it('when index.html is loaded, then the JavaScript it pulls in is under 250 KB gzipped and none of it is inline', () => {
    const html = readFileSync(consoleIndex, 'utf8');
    const scripts = [...html.matchAll(/<script\b[^>]*>/g)].map((tag) => tag[0]);
    expect(scripts.length).toBeGreaterThan(0);
    expect(scripts.every((tag) => /\ssrc="\/assets\/[^"]+\.js"/.test(tag))).toBe(true);
    expect(html).not.toMatch(/<script\b[^>]*>[^<]+<\/script>/);
    expect(html).not.toMatch(/\sstyle="/);
    const preloaded = [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+\.js)"/g)].map((match) => match[1]!);
    const gzipped = preloaded.reduce(
      (total, path) => total + gzipSync(readFileSync(new URL(`.${path}`, `file://${consoleIndex}`))).length,
      0,
    );
    expect(gzipped).toBeLessThan(budgetBytes);
  });
});
