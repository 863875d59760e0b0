// Writes every published event schema (and the ingestion API's) as `<type>.v<version>.schema.json`, for producers in other languages.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CONTROL_SCHEMAS } from '../events/control';
import { IngestBatch, IngestResponse } from '../ingest';
import { ALL_SCHEMAS, LIVE_SCHEMAS } from '../registry';

const out = join(__dirname, '..', 'json-schema');
mkdirSync(out, { recursive: true });
const schemas = [...ALL_SCHEMAS, ...CONTROL_SCHEMAS, ...LIVE_SCHEMAS, IngestBatch, IngestResponse];
for (const schema of schemas) {
  writeFileSync(join(out, `${schema.$id}.schema.json`), JSON.stringify(schema, null, 2) + '\n');
}
console.log(`wrote ${schemas.length} schemas to ${out}`);
