import { distance } from 'fastest-levenshtein';
import { UnknownModelError } from '../common/errors';
import type { CatalogModel } from './catalog-model';
import { CATALOG_MODELS } from './models.data';
import { providerInfo } from './providers';

/** A requested model name, resolved: who serves it, under which name, and what Sightline knows of it. */
export interface ResolvedModel {
  /** As the caller sent it. */
  readonly requested: string;
  readonly provider: string;
  /** The name sent to the provider: prefix stripped, the catalog's wire name, or as requested. */
  readonly wireModel: string;
  /** Catalog facts (limits, prices); absent for a name only a prefix or a family pattern routes. */
  readonly model?: CatalogModel;
}

/**
 * Names of families a provider serves that the catalog may not list yet (a model released after
 * this build). Checked after the catalog and the project's own models.
 */
const FAMILIES: readonly [RegExp, string][] = [
  [/^(gpt-|o\d|chatgpt-|text-embedding-|davinci|babbage)/, 'openai'],
  [/^claude-/, 'anthropic'],
  [/^(gemini-|gemma-|text-embedding-0|embedding-0)/, 'gemini'],
  [
    /^((us|eu|apac|global)\.)?(anthropic|amazon|meta|mistral|cohere|ai21|deepseek|qwen|openai)\.[\w.-]+(:\d+)?$/,
    'bedrock',
  ],
  [/^(mistral-|open-mistral|codestral-|pixtral-|ministral-|magistral-|devstral-)/, 'mistral'],
  [/^(command-|c4ai-|embed-(english|multilingual|v))/, 'cohere'],
  [/^deepseek-/, 'deepseek'],
  [/^grok-/, 'xai'],
  [/^sonar/, 'perplexity'],
  [/^mock-/, 'mock'],
];

const MAX_SUGGESTIONS = 3;

/**
 * The catalog and the rules that turn a requested name into a provider and a wire name, in order:
 * the project's own models, catalog ids and aliases, `<provider>/<model>` prefixes, then provider
 * families. Pure: the project's models are passed in.
 */
export class ModelCatalog {
  private readonly byName = new Map<string, CatalogModel>();

  constructor(readonly models: readonly CatalogModel[] = CATALOG_MODELS) {
    for (const model of models) {
      for (const name of [model.id, ...(model.aliases ?? [])]) {
        if (this.byName.has(name)) throw new Error(`catalog: '${name}' is listed twice`);
        this.byName.set(name, model);
      }
    }
  }

  /** The catalog entry with this id or alias. */
  get(name: string): CatalogModel | undefined {
    return this.byName.get(name);
  }

  /**
   * @param own the project's own models (fine-tunes, self-hosted), as catalog entries.
   * @throws UnknownModelError with close matches when no rule routes `requested`.
   */
  resolve(requested: string, own: readonly CatalogModel[] = []): ResolvedModel {
    const custom = own.find((m) => m.id === requested);
    if (custom)
      return { requested, provider: custom.provider, wireModel: wireName(custom, requested), model: custom };
    const known = this.byName.get(requested);
    if (known)
      return { requested, provider: known.provider, wireModel: wireName(known, requested), model: known };
    return this.byPrefix(requested) ?? this.byFamily(requested) ?? this.unknown(requested, own);
  }

  /** `groq/llama-3.3-70b-versatile`, `openai/gpt-4o`, `azure/<deployment>`, `openrouter/<vendor>/<model>`. */
  private byPrefix(requested: string): ResolvedModel | undefined {
    const slash = requested.indexOf('/');
    if (slash <= 0 || slash === requested.length - 1) return undefined;
    const provider = requested.slice(0, slash);
    if (!providerInfo(provider)) return undefined;
    const rest = requested.slice(slash + 1);
    const model = this.models.find(
      (m) => m.provider === provider && (m.id === rest || m.wireModel === rest || m.aliases?.includes(rest)),
    );
    return { requested, provider, wireModel: model ? wireName(model, rest) : rest, model };
  }

  private byFamily(requested: string): ResolvedModel | undefined {
    const family = FAMILIES.find(([pattern]) => pattern.test(requested));
    return family && { requested, provider: family[1], wireModel: requested };
  }

  private unknown(requested: string, own: readonly CatalogModel[]): never {
    const names = [...own.map((m) => m.id), ...this.byName.keys()];
    throw new UnknownModelError(requested, closeMatches(requested, names));
  }
}

/** An alias the provider knows is sent as it is; the id is sent as the entry's wire name. */
function wireName(model: CatalogModel, name: string): string {
  return name === model.id || name === model.wireModel ? (model.wireModel ?? model.id) : name;
}

/**
 * Up to three names within a third of the requested name's length in edits (at least 2), best
 * first; names that contain it (`gpt-4` → `gpt-4o`) count as close too.
 */
export function closeMatches(requested: string, names: readonly string[]): string[] {
  const wanted = requested.toLowerCase();
  const limit = Math.max(2, Math.floor(wanted.length / 3));
  return names
    .map((name) => {
      const lower = name.toLowerCase();
      const edits = distance(wanted, lower);
      return { name, score: lower.includes(wanted) && wanted.length >= 3 ? Math.min(edits, limit) : edits };
    })
    .filter((c) => c.score <= limit)
    .sort((a, b) => a.score - b.score || a.name.localeCompare(b.name))
    .slice(0, MAX_SUGGESTIONS)
    .map((c) => c.name);
}
