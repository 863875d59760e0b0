import { InvalidInputError } from '../common/errors';

/**
 * What a replay changes of the recorded request; everything left out is replayed as recorded.
 * - `model`: any name the gateway routes (catalog id, alias, `<provider>/<model>`, a project model);
 * - `params`: merged over the recorded parameters (`temperature`, `max_tokens`, `tools`...); a key
 *   set to null is removed; `model` and `messages` cannot be set here;
 * - `system`: replaces the first system (or developer) message, or is put first when there is none;
 * - `prompt`: `<name>`, `<name>@<label>` or `<name>@<version>`: that prompt version's messages,
 *   model and parameters replace the ones the request was recorded with (see `replay-request.ts`);
 * - `variables`: values of the prompt's `{{name}}`s, over those read back from the recorded request;
 *   with no `prompt`, they fill the prompt version the request was recorded with;
 * - `toolResults`: `recorded` continues the request past the tool calls its answer asked for with
 *   the tool results recorded in its trace; `none` (default) replays the request as recorded.
 */
export interface ReplayOverrides {
  readonly model?: string;
  readonly params?: Readonly<Record<string, unknown>>;
  readonly system?: string;
  readonly prompt?: string;
  readonly variables?: Readonly<Record<string, string>>;
  readonly toolResults?: 'recorded' | 'none';
}

const RESERVED_PARAMS = new Set(['model', 'messages']);
const MAX_SYSTEM = 100_000;
const MAX_VARIABLES = 100;
/** What `{{name}}` accepts as a name (`prompts/apply-prompt.ts`). */
const VARIABLE_NAME = /^[A-Za-z_][\w.-]*$/;

const invalid = (message: string, param: string) =>
  new InvalidInputError(message, 'invalid_overrides', `overrides.${param}`);

/** @throws InvalidInputError `invalid_overrides` naming the field. */
export function checkOverrides(overrides: ReplayOverrides): void {
  const { model, params, system, prompt, variables, toolResults } = overrides;
  if (model !== undefined && (typeof model !== 'string' || !model.trim() || model.length > 256))
    throw invalid('model must be a model name of 1–256 characters', 'model');
  if (params !== undefined) {
    if (typeof params !== 'object' || params === null || Array.isArray(params))
      throw invalid('params must be a JSON object', 'params');
    for (const key of Object.keys(params))
      if (RESERVED_PARAMS.has(key))
        throw invalid(
          `params cannot set '${key}': use the ${key === 'model' ? 'model' : 'system or prompt'} override`,
          `params.${key}`,
        );
  }
  if (system !== undefined && (typeof system !== 'string' || system.length > MAX_SYSTEM))
    throw invalid(`system must be a text of at most ${MAX_SYSTEM} characters`, 'system');
  if (prompt !== undefined && (typeof prompt !== 'string' || !prompt.trim()))
    throw invalid("prompt must be '<name>', '<name>@<label>' or '<name>@<version>'", 'prompt');
  if (variables !== undefined) checkVariables(variables);
  if (toolResults !== undefined && toolResults !== 'recorded' && toolResults !== 'none')
    throw invalid("toolResults must be 'recorded' or 'none'", 'toolResults');
}

function checkVariables(variables: unknown): void {
  if (typeof variables !== 'object' || variables === null || Array.isArray(variables))
    throw invalid('variables must be a JSON object of texts', 'variables');
  const entries = Object.entries(variables);
  if (entries.length > MAX_VARIABLES) throw invalid(`at most ${MAX_VARIABLES} variables`, 'variables');
  for (const [name, value] of entries) {
    if (!VARIABLE_NAME.test(name))
      throw invalid(`'${name}' is not a variable name (letters, digits, _ . -)`, `variables.${name}`);
    if (typeof value !== 'string' || value.length > MAX_SYSTEM)
      throw invalid(
        `the value of ${name} must be a text of at most ${MAX_SYSTEM} characters`,
        `variables.${name}`,
      );
  }
}

/** `<name>`, `<name>@<label>`, `<name>@<version>` → the prompt's name and which version. */
export function promptRef(value: string): {
  name: string;
  selector: { version?: number; label?: string };
} {
  const at = value.lastIndexOf('@');
  const name = (at > 0 ? value.slice(0, at) : value).trim();
  const which = at > 0 ? value.slice(at + 1).trim() : '';
  if (!which) return { name, selector: {} };
  return { name, selector: /^\d+$/.test(which) ? { version: Number(which) } : { label: which } };
}

/** The trace metadata key of what a replay changed, as {@link changesOf} says it, `; `-separated. */
export const CHANGES_METADATA = 'sightline.replay.changes';

/**
 * What `overrides` change besides the model (which the diff shows as `a → b`), in words for the
 * replay's diff: `system prompt`, `parameters temperature=0.9, seed removed`, `prompt version
 * support@production`, `prompt variables customer`, `tool results supplied`. Pure.
 */
export function changesOf(overrides: ReplayOverrides): string[] {
  const short = (v: unknown) => {
    const text = JSON.stringify(v);
    return text.length > 40 ? `${text.slice(0, 39)}…` : text;
  };
  const changes: string[] = [];
  if (overrides.prompt) changes.push(`prompt version ${overrides.prompt}`);
  if (overrides.variables && Object.keys(overrides.variables).length)
    changes.push(`prompt variables ${Object.keys(overrides.variables).join(', ')}`);
  if (overrides.system !== undefined) changes.push('system prompt');
  if (overrides.params && Object.keys(overrides.params).length)
    changes.push(
      `parameters ${Object.entries(overrides.params)
        .map(([k, v]) => (v === null ? `${k} removed` : `${k}=${short(v)}`))
        .join(', ')}`,
    );
  if (overrides.toolResults === 'recorded') changes.push('tool results supplied');
  return changes;
}
