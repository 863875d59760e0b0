// Lucide icons (`@lucide/svelte/icons/<name>`) built as static SVG components. The package's own
// components draw each icon through a generic <Icon> that creates every path with
// <svelte:element {...attributes}> at run time: ~5 ms per icon on a phone's CPU, ~25 % of the app
// shell's first render. Here the same icon data (read from the installed package, so its version is
// the lockfile's) becomes plain markup that Svelte clones from a template. Types still come from the
// package. Props: `size` (px, default 24); any other attribute goes on the <svg>, which is
// aria-hidden unless one says otherwise.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Plugin } from 'vite';

const PREFIX = '@lucide/svelte/icons/';
const VIRTUAL = '\0static-icon:';

type IconNode = [tag: string, attributes: Record<string, string | number>][];

function escapeAttribute(value: string | number): string {
  return String(value).replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
}

/** The icon's nodes, from the package's component source (`const iconData = {…, "node": […]}`). */
function iconNode(resolve: (id: string) => string, name: string): IconNode {
  // `icons/<name>` resolves to `dist/icons/<name>.js`, which re-exports `<name>.svelte` beside it.
  const file = resolve(`${PREFIX}${name}`).replace(/\.js$/, '.svelte');
  const data = /const iconData = (\{.*\});/.exec(readFileSync(file, 'utf8'))?.[1];
  if (!data) throw new Error(`static-icons: no iconData in ${file} (has @lucide/svelte changed its layout?)`);
  return (JSON.parse(data) as { node: IconNode }).node;
}

function component(name: string, node: IconNode): string {
  const children = node
    .map(([tag, attributes]) => {
      const attrs = Object.entries(attributes).map(([k, v]) => ` ${k}="${escapeAttribute(v)}"`);
      return `<${tag}${attrs.join('')} />`;
    })
    .join('');
  return `<script>
  let { size = 24, ...rest } = $props();
</script>
<svg xmlns="http://www.w3.org/2000/svg" width={size} height={size} viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round" class="lucide-icon lucide lucide-${name}" aria-hidden="true" {...rest}>${children}</svg>
`;
}

export function staticIcons(): Plugin {
  const require = createRequire(import.meta.url);
  return {
    name: 'sightline-static-icons',
    enforce: 'pre',
    resolveId(id) {
      const name = id.startsWith(PREFIX) ? id.slice(PREFIX.length).replace(/\.svelte$/, '') : null;
      return name && /^[a-z0-9-]+$/.test(name) ? `${VIRTUAL}${name}.svelte` : null;
    },
    load(id) {
      if (!id.startsWith(VIRTUAL)) return null;
      const name = id.slice(VIRTUAL.length, -'.svelte'.length);
      return component(name, iconNode(require.resolve, name));
    },
  };
}
