// The saved prompt versions as a replay names them (`name@label`, `name@<version>`), to pick from.
import type { PlaygroundPromptsQuery } from '$lib/graphql/generated';

type Prompt = PlaygroundPromptsQuery['prompts'][number];

/** Each prompt's labels (production first), then its versions newest first: what a replay accepts. */
export function promptRefs(prompts: readonly Prompt[]): string[] {
  return prompts.flatMap((p) => {
    const labels = [...p.labels]
      .sort(
        (a, b) =>
          Number(b.label === 'production') - Number(a.label === 'production') ||
          a.label.localeCompare(b.label),
      )
      .map((l) => `${p.name}@${l.label}`);
    const versions = Array.from({ length: p.latestVersion }, (_, i) => `${p.name}@${p.latestVersion - i}`);
    return [...labels, ...versions];
  });
}
