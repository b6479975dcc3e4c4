// `npm run console:api-types`: renews services/console/src/api/schema.d.ts from the running code's OpenAPI document.
import { writeFile } from 'node:fs/promises';
import { apiTypesFile, apiTypesOf, publishedApiDocument } from './api-document.ts';

await writeFile(apiTypesFile, await apiTypesOf(await publishedApiDocument()));
console.log(`wrote ${apiTypesFile}`);
process.exit(0);
