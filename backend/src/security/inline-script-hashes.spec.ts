import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inlineScriptHashes, uiScriptHashes } from './inline-script-hashes';
import { SVELTEKIT_INDEX_HTML } from '../../test/support/sveltekit-index-html';

// MDN's CSP example: <script>alert('Hello, world.');</script>
const HELLO_HASH = "'sha256-qznLcsROx4GACP2dm0UCKCzCG+HiZ1guq6ZZDob/Tng='";

describe('inlineScriptHashes', () => {
  it('reproduces the hash SvelteKit put in its own CSP meta tag for the built index.html', () => {
    const metaHashes = SVELTEKIT_INDEX_HTML.match(/'sha256-[A-Za-z0-9+/=]+'/g);
    expect(metaHashes).toHaveLength(1);
    expect(inlineScriptHashes(SVELTEKIT_INDEX_HTML)).toEqual(metaHashes);
  });

  it('hashes the exact text between the tags', () => {
    expect(inlineScriptHashes("<script>alert('Hello, world.');</script>")).toEqual([HELLO_HASH]);
    expect(inlineScriptHashes("<script> alert('Hello, world.');</script>")).not.toEqual([HELLO_HASH]);
  });

  it('covers every inline script, with attributes and any case, once each, in order', () => {
    const html = [
      '<SCRIPT type="module">a()</SCRIPT>',
      "<script nonce=x>alert('Hello, world.');</script >",
      '<script>a()</script>',
      '<script>\n  b()\n</script>',
    ].join('\n');
    const hashes = inlineScriptHashes(html);
    expect(hashes).toHaveLength(3);
    expect(hashes[1]).toBe(HELLO_HASH);
    expect(hashes.every((h) => /^'sha256-[A-Za-z0-9+/]{43}='$/.test(h))).toBe(true);
  });

  it('skips external scripts, which script-src allows by origin', () => {
    const html = '<script src="/_app/start.js"></script><script type="module" src=/x.js>ignored()</script>';
    expect(inlineScriptHashes(html)).toEqual([]);
  });

  it('does not mistake a data-src attribute for src', () => {
    expect(inlineScriptHashes('<script data-src="x">alert(\'Hello, world.\');</script>')).toEqual([
      HELLO_HASH,
    ]);
  });

  it('finds nothing in a page without scripts', () => {
    expect(inlineScriptHashes('<html><body><p>hi</p></body></html>')).toEqual([]);
  });
});

describe('uiScriptHashes', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'sightline-ui-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('collects the hashes of every HTML file of the built UI, nested ones included', () => {
    writeFileSync(join(dir, 'index.html'), SVELTEKIT_INDEX_HTML);
    mkdirSync(join(dir, 'docs'));
    writeFileSync(join(dir, 'docs', 'about.html'), "<script>alert('Hello, world.');</script>");
    writeFileSync(join(dir, 'app.js'), '<script>not html()</script>');
    const hashes = uiScriptHashes(dir);
    expect(hashes).toHaveLength(2);
    expect(hashes).toEqual(expect.arrayContaining([HELLO_HASH, ...inlineScriptHashes(SVELTEKIT_INDEX_HTML)]));
  });
});
