// The live tail's connection: `liveGenerations` with the list's filter over a graphql-ws socket that
// reconnects (and re-subscribes) while the page is open, and the `generations` query for the
// recent and older rows (keyset pages).
import { reportUnauthenticated } from '$lib/auth/unauthenticated';
import { isUnauthenticated } from '$lib/errors';
import { graphqlRequest, graphqlWsUrl } from '$lib/graphql/client';
import {
  LiveTailDocument,
  TailGenerationsDocument,
  type GenerationFilter,
  type GenerationRowFragment,
  type LiveTailSubscription,
} from '$lib/graphql/generated';
import { reconnectingClient } from '$lib/live/graphqlSource';
import type { ConnectionState } from '$lib/live/liveFeed.svelte';
import type { TraceFilter } from '$lib/graphql/generated';
import type { TailUpdate } from './liveTail.svelte';

export interface TailOptions {
  readonly projectId: string;
  readonly filter: GenerationFilter;
  /** (0, 1]: the share of traces the server sends. */
  readonly sampleRate: number;
  readonly onUpdate: (update: TailUpdate<GenerationRowFragment>) => void;
  readonly onConnection: (state: ConnectionState) => void;
  readonly onError: (error: unknown) => void;
}

/**
 * The list's trace filter as the generation filter the tail takes: the same fields, without an end
 * (it follows what comes) and scores (not known while a generation arrives).
 */
export function tailFilter(filter: TraceFilter): GenerationFilter {
  const { to: _to, scores: _scores, ...rest } = filter;
  return rest;
}

/** Starts the subscription; returns the function that ends it. */
export function subscribeTail(options: TailOptions): () => void {
  const client = reconnectingClient(graphqlWsUrl(window.location), {
    connected: () => options.onConnection('live'),
    // Without a valid session the socket still connects; the subscription's error says
    // UNAUTHENTICATED, which reaches the sign-in guard.
    closed: () => options.onConnection('reconnecting'),
  });
  let ended = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let stop = () => {};
  const start = () => {
    stop = client.subscribe<LiveTailSubscription>(
      {
        query: LiveTailDocument.toString(),
        variables: { projectId: options.projectId, filter: options.filter, sampleRate: options.sampleRate },
      },
      {
        next: (result) => {
          if (isUnauthenticated(result.errors)) reportUnauthenticated();
          if (result.errors?.length) options.onError(result.errors);
          const update = result.data?.liveGenerations;
          if (!update) return;
          options.onUpdate({
            row: update.generation ?? undefined,
            progress: update.progress ?? undefined,
            missed: update.missed,
          });
        },
        error: (error) => {
          if (isUnauthenticated(error)) reportUnauthenticated();
          options.onError(error);
        },
        // The server ended the stream (e.g. it is shutting down): subscribe again shortly.
        complete: () => {
          if (!ended) timer = setTimeout(start, 1_000);
        },
      },
    );
  };
  start();
  return () => {
    ended = true;
    clearTimeout(timer);
    stop();
    void client.dispose();
  };
}

/** Rows a page of older generations brings: within the API's query cost limit (100 rows cost ~9,800 of 5,000). */
export const TAIL_PAGE = 40;

/** A page of ended generations, newest first: after `after`, or started before `before` (ISO-8601). */
export async function olderGenerations(
  projectId: string,
  filter: GenerationFilter,
  after: string | null,
  first = TAIL_PAGE,
  before?: string,
): Promise<{ rows: GenerationRowFragment[]; next: string | null }> {
  const { generations } = await graphqlRequest(TailGenerationsDocument, {
    projectId,
    filter: before ? { ...filter, to: before } : filter,
    first,
    after,
  });
  return {
    rows: generations.edges.map((e) => e.node),
    next: generations.pageInfo.hasNextPage ? (generations.pageInfo.endCursor ?? null) : null,
  };
}
