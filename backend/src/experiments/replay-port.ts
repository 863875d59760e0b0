/**
 * The replay contract experiments build on (`ReplayService.replay` of `backend/src/replay/`, see
 * COMMON.md): one recorded generation run again through the gateway's command path, with overrides.
 */
import type { ProjectAccess } from '../auth/caller';

export interface ReplayOverrides {
  readonly model?: string;
  readonly params?: Record<string, unknown>;
  readonly system?: string;
  /** `name@label` or `name@<version>`. */
  readonly prompt?: string;
  readonly toolResults?: 'recorded' | 'none';
}

export interface ReplayOutcome {
  readonly generationId: string;
  readonly traceId: string;
  readonly replayOf: string;
  readonly status: 'completed' | 'failed';
  readonly costNanoUsd: bigint | null;
  readonly latencyMs: number | null;
  readonly error?: { readonly code: string; readonly message: string };
}

export interface Replayer {
  replay(
    access: ProjectAccess,
    generationId: string,
    overrides: ReplayOverrides,
    options?: { signal?: AbortSignal; tags?: string[]; metadata?: Record<string, string> },
  ): Promise<ReplayOutcome>;
}
