// Writes every published event schema as `<type>.v<version>.schema.json`, for producers in other languages.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ALL_SCHEMAS } from '../registry';

const out = join(__dirname, '..', 'json-schema');
mkdirSync(out, { recursive: true });
for (const schema of ALL_SCHEMAS) {
  writeFileSync(join(out, `${schema.$id}.schema.json`), JSON.stringify(schema, null, 2) + '\n');
}
console.log(`wrote ${ALL_SCHEMAS.length} event schemas to ${out}`);
