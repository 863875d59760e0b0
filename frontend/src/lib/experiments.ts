// Experiments (bulk replay) on their pages: the progress line, what may be done, a live follow.
import { variablesFromJson } from '$schemas/json-text';
import { createClient } from 'graphql-ws';
import { graphqlWsUrl } from '$lib/graphql/client';
import {
  ExperimentProgressDocument,
  type ExperimentFieldsFragment,
  type ExperimentProgressSubscription,
  type ReplayConfigurationInput,
} from '$lib/graphql/generated';

const count = (n: number): string => Math.round(n).toLocaleString('en-US');

/**
 * `40% · 48 / 120 replays · 2 failed · 12.5 req/s · ETA 6 s · $0.42 spent`; replays without a price
 * are named, never a silent $0: `$0.42 +? spent (2 unpriced)`, or `spend unpriced (48 replays)` when
 * none had a price.
 */
export function progressText(e: ExperimentFieldsFragment): string {
  const p = e.progress;
  const parts = [`${Math.floor(p.fraction * 100)}%`, `${count(p.done)} / ${count(p.total)} replays`];
  if (p.failed) parts.push(`${count(p.failed)} failed`);
  if (p.requestsPerSecond !== null && e.status === 'RUNNING')
    parts.push(`${p.requestsPerSecond.toFixed(1)} req/s`);
  if (p.etaSeconds !== null && e.status === 'RUNNING') parts.push(`ETA ${Math.ceil(p.etaSeconds)} s`);
  parts.push(spentText(p.spent, p.unpriced));
  return parts.join(' · ');
}

function spentText(spent: string, unpriced: number): string {
  if (!unpriced) return `$${Number(spent).toFixed(4)} spent`;
  if (!/[1-9]/.test(spent)) return `spend unpriced (${count(unpriced)} replay${unpriced === 1 ? '' : 's'})`;
  return `$${Number(spent).toFixed(4)} +? spent (${count(unpriced)} unpriced)`;
}

/**
 * An estimate's text: `≈$0.0800`; `≈$0.0800 +? (3 unpriced)` when some replays had no price (counted
 * as 0); `unpriced` when none had one. `unpriced` null: not recorded (older runs).
 */
export function estimateText(cost: string, unpriced: number | null): string {
  if (!unpriced) return `≈$${Number(cost).toFixed(4)}`;
  if (!/[1-9]/.test(cost)) return 'unpriced';
  return `≈$${Number(cost).toFixed(4)} +? (${count(unpriced)} unpriced)`;
}

/** Cancel one that runs here; resume one that stopped (or that no process runs). */
export function actionsOf(e: ExperimentFieldsFragment): { cancel: boolean; resume: boolean } {
  const running = e.status === 'RUNNING';
  return {
    cancel: running && e.active,
    resume: e.status === 'CANCELLED' || e.status === 'FAILED' || (running && !e.active),
  };
}

/** A percentage of a 0–1 value, or a dash. */
export const percent = (x: number | null | undefined, digits = 1): string =>
  x === null || x === undefined ? '–' : `${(x * 100).toFixed(digits)}%`;

/** Follows one experiment over graphql-ws until it ends or `stop()` is called. */
export function followExperiment(
  projectId: string,
  id: string,
  onUpdate: (e: ExperimentFieldsFragment) => void,
): () => void {
  const client = createClient({ url: graphqlWsUrl(window.location), lazy: true, retryAttempts: 3 });
  const unsubscribe = client.subscribe<ExperimentProgressSubscription>(
    { query: ExperimentProgressDocument.toString(), variables: { projectId, id } },
    {
      next: (result) => {
        if (result.data) onUpdate(result.data.experimentProgress);
      },
      error: () => void client.dispose(),
      complete: () => void client.dispose(),
    },
  );
  return () => {
    unsubscribe();
    void client.dispose();
  };
}

/** Most configurations one experiment compares. */
export const MAX_CONFIGURATIONS = 4;

/** One configuration of the start form: empty fields replay what was recorded. */
export interface ConfigurationForm {
  model: string;
  temperature: string;
  maxTokens: string;
  /** `name@label` or `name@<version>`. */
  prompt: string;
  /** JSON object of texts: values of the prompt version's `{{name}}`s (sent only with a prompt). */
  variables: string;
}

export const emptyConfiguration = (model = ''): ConfigurationForm => ({
  model,
  temperature: '',
  maxTokens: '',
  prompt: '',
  variables: '',
});

/** USD as nano-dollars, or null when it is not a plain amount (at most 9 decimals). */
function nanoOf(usd: string): bigint | null {
  const m = /^(\d+)(?:\.(\d{1,9}))?$/.exec(usd.trim());
  return m ? BigInt(m[1]) * 1_000_000_000n + BigInt((m[2] ?? '').padEnd(9, '0')) : null;
}

/**
 * Whether an estimate is above a budget, compared exactly (what a start checks again); null when the
 * budget is not an amount. A new budget needs no new estimate.
 */
export function overBudget(cost: string, budget: string): boolean | null {
  const [c, b] = [nanoOf(cost), nanoOf(budget)];
  return c === null || b === null ? null : c > b;
}

/**
 * A configuration row as the API takes it; the message names the row and the field.
 * @throws Error when a field is not what it should be
 */
export function configurationInput(c: ConfigurationForm, index: number): ReplayConfigurationInput {
  const which = `Configuration ${index + 1}`;
  const params: Record<string, number> = {};
  if (c.temperature.trim()) {
    const t = Number(c.temperature);
    if (!Number.isFinite(t) || t < 0 || t > 2)
      throw new Error(`${which}: temperature is a number from 0 to 2.`);
    params.temperature = t;
  }
  if (c.maxTokens.trim()) {
    const n = Number(c.maxTokens);
    if (!Number.isInteger(n) || n < 1) throw new Error(`${which}: max tokens is a whole number from 1.`);
    params.max_tokens = n;
  }
  // The field shows only with a prompt version: values left in it without one are not sent.
  const variables = c.prompt.trim() ? variablesOf(c.variables, which) : undefined;
  return {
    ...(c.model.trim() ? { model: c.model.trim() } : {}),
    ...(Object.keys(params).length ? { params: JSON.stringify(params) } : {}),
    ...(c.prompt.trim() ? { prompt: c.prompt.trim() } : {}),
    ...(variables ? { variables } : {}),
  };
}

/** The variables field as JSON text for the API, or undefined when blank. @throws Error naming the row */
function variablesOf(text: string, which: string): string | undefined {
  const value = variablesFromJson(text);
  if (value === null)
    throw new Error(`${which}: variables is a JSON object of texts, e.g. {"customer": "Ada"}.`);
  return value && Object.keys(value).length ? JSON.stringify(value) : undefined;
}
