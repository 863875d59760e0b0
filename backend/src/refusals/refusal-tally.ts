import type { GatewayRequestRefused } from '@sightline/schemas';

/** One request the gateway refused before trying a provider. */
export interface Refusal {
  readonly projectId: string;
  /** The route, e.g. `POST /v1/chat/completions`. */
  readonly endpoint: string;
  /** The HTTP status answered. */
  readonly status: number;
  /** The stable error code answered (`model_not_found`, `too_many_requests`...). */
  readonly code: string;
  /** The model asked for, when the body was read far enough to know it. */
  readonly model: string | null;
  /** The API key used; null for a signed-in session. */
  readonly apiKeyId: string | null;
}

/** The refusals of one kind counted in one window: the body of one `gateway.request-refused`. */
export interface RefusalCount {
  readonly projectId: string;
  readonly data: GatewayRequestRefused['data'];
}

/** Distinct kinds kept per window; past it, refusals count without their model (see `add`). */
export const MAX_KINDS_PER_WINDOW = 1000;
const MAX_MODEL_LENGTH = 256;

interface Tallied {
  readonly refusal: Refusal;
  count: number;
  firstAt: Date;
  lastAt: Date;
}

/**
 * Counts refusals by kind (project, endpoint, status, code, model, key) until drained, so 10,000
 * rate-limited requests a second become one event per kind and window instead of 10,000. The model
 * is the only dimension a caller picks freely: once `MAX_KINDS_PER_WINDOW` kinds are held, a new kind
 * is counted with `model: null`, which keeps the memory and the events of a window bounded by the
 * caller's keys and the fixed sets of endpoints and codes.
 */
export class RefusalTally {
  private kinds = new Map<string, Tallied>();

  add(refusal: Refusal, at: Date): void {
    const model = refusal.model === null ? null : refusal.model.slice(0, MAX_MODEL_LENGTH);
    let kind = { ...refusal, model };
    let key = keyOf(kind);
    if (!this.kinds.has(key) && this.kinds.size >= MAX_KINDS_PER_WINDOW) {
      kind = { ...kind, model: null };
      key = keyOf(kind);
    }
    const tallied = this.kinds.get(key);
    if (tallied) {
      tallied.count++;
      tallied.lastAt = at;
    } else {
      this.kinds.set(key, { refusal: kind, count: 1, firstAt: at, lastAt: at });
    }
  }

  /** Everything counted since the last drain, one entry per kind; the tally starts empty again. */
  drain(): RefusalCount[] {
    const drained = [...this.kinds.values()];
    this.kinds = new Map();
    return drained.map(({ refusal: { projectId, ...kind }, count, firstAt, lastAt }) => ({
      projectId,
      data: { ...kind, count, firstAt: firstAt.toISOString(), lastAt: lastAt.toISOString() },
    }));
  }
}

const keyOf = (r: Refusal): string =>
  JSON.stringify([r.projectId, r.endpoint, r.status, r.code, r.model, r.apiKeyId]);
