import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { apiTypesFile, apiTypesOf, publishedApiDocument } from '../../services/console/scripts/api-document.ts';

describe("the console's API types", () => {
  it('when the campaign-service publishes its OpenAPI document, then the committed types are what it generates (else run npm run console:api-types)', async () => {
    const committed = await readFile(apiTypesFile, 'utf8');
    const generated = await apiTypesOf(await publishedApiDocument());
    expect(committed === generated, 'services/console/src/api/schema.d.ts is stale: npm run console:api-types').toBe(
      true,
    );
  });
});
