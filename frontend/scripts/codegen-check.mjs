// Fails (exit 1) when src/lib/graphql/generated.ts is stale: regenerates the client types in memory
// from schemas/graphql/schema.graphql + src/lib/graphql/*.graphql and compares them with the file on
// disk. Fix a failure with `npm run codegen -w frontend` and commit the result.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { generate, loadContext } from '@graphql-codegen/cli';

const frontendDir = fileURLToPath(new URL('..', import.meta.url));
process.chdir(frontendDir);

const context = await loadContext(path.join(frontendDir, 'codegen.ts'));
context.updateConfig({ silent: true, verbose: false, watch: false });

/** @type {{ filename: string; content: string }[]} */
const outputs = await generate(context, false);
if (outputs.length === 0) {
  console.error('codegen:check: graphql-codegen produced no output; check frontend/codegen.ts.');
  process.exit(1);
}

const stale = [];
for (const { filename, content } of outputs) {
  const file = path.resolve(frontendDir, filename);
  const onDisk = await readFile(file, 'utf8').catch(() => null);
  if (onDisk === null) {
    stale.push(`${path.relative(frontendDir, file)} is missing`);
  } else if (onDisk !== content) {
    const a = onDisk.split('\n');
    const b = content.split('\n');
    let line = 0;
    while (line < Math.min(a.length, b.length) && a[line] === b[line]) line++;
    stale.push(
      `${path.relative(frontendDir, file)} differs from the schema and operations (first difference at line ${line + 1}:\n` +
        `  committed: ${JSON.stringify(a[line] ?? '<end of file>')}\n` +
        `  expected:  ${JSON.stringify(b[line] ?? '<end of file>')})`,
    );
  }
}

if (stale.length > 0) {
  console.error('codegen:check: the generated GraphQL client types are stale.');
  for (const message of stale) console.error(`  - ${message}`);
  console.error('Run `npm run codegen -w frontend` and commit frontend/src/lib/graphql/generated.ts.');
  process.exit(1);
}
console.log(`codegen:check: ${outputs.map((o) => o.filename).join(', ')} is up to date.`);
