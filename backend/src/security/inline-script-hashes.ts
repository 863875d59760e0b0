import { createHash } from 'node:crypto';
import * as nodeFs from 'node:fs';
import { join } from 'node:path';

// Attributes, then the body up to the first closing tag: the HTML parser ends a script there too.
const SCRIPT = /<script\b([^>]*)>([\s\S]*?)<\/script\s*>/gi;
const SRC_ATTRIBUTE = /(?:^|\s)src\s*=/i;

/**
 * CSP source expressions (`'sha256-…'`) for every inline `<script>` of an HTML file, in order of
 * appearance, without duplicates. The hash covers the exact text between the tags, as browsers
 * compute it, so it must be taken from the built file that is served.
 */
export function inlineScriptHashes(html: string): string[] {
  const hashes = new Set<string>();
  for (const [, attributes, body] of html.matchAll(SCRIPT)) {
    if (SRC_ATTRIBUTE.test(attributes)) continue;
    hashes.add(`'sha256-${createHash('sha256').update(body, 'utf8').digest('base64')}'`);
  }
  return [...hashes];
}

export type UiFs = Pick<typeof nodeFs, 'readdirSync' | 'readFileSync'>;

/**
 * The inline-script hashes of every `.html` file under the built UI (the SPA fallback and any
 * prerendered page), for the one CSP header that all of them are served with.
 */
export function uiScriptHashes(uiDir: string, fs: UiFs = nodeFs): string[] {
  const hashes = new Set<string>();
  for (const entry of fs.readdirSync(uiDir, { recursive: true, encoding: 'utf8' })) {
    if (!entry.endsWith('.html')) continue;
    for (const hash of inlineScriptHashes(fs.readFileSync(join(uiDir, entry), 'utf8'))) hashes.add(hash);
  }
  return [...hashes].sort();
}
