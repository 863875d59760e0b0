import { createClient, type Client } from 'graphql-ws';
import { reportUnauthenticated } from '$lib/auth/unauthenticated';
import { isUnauthenticated } from '$lib/errors';
import { graphqlRequest, graphqlWsUrl } from '$lib/graphql/client';
import {
  LiveGenerationsDocument,
  RecentGenerationsDocument,
  RestatedCostsDocument,
  type GenerationRowFragment,
  type LiveGenerationsSubscription,
  type RestatedCostFieldsFragment,
} from '$lib/graphql/generated';
import { connectionPage, PAGE_SIZE } from '$lib/pagination.svelte';
import type { LiveSource } from './liveFeed.svelte';
import { applyProgress } from './merge';

/** A generation of the table: listed ones carry their restated cost, live ones have none yet. */
export type ListedGeneration = GenerationRowFragment & { restatedCost?: RestatedCostFieldsFragment | null };

/** Reconnect backoff: 0.5 s, 1 s, 2 s, … capped at 10 s, with jitter. */
export function retryDelayMs(retries: number, random: () => number = Math.random): number {
  return Math.min(500 * 2 ** retries, 10_000) + Math.floor(random() * 500);
}

/** A graphql-ws client that connects at once and reconnects forever, backing off (see `retryDelayMs`). */
export function reconnectingClient(
  url: string,
  on: { connected: () => void; closed: (event: unknown) => void },
): Client {
  return createClient({
    url,
    lazy: false,
    keepAlive: 15_000,
    retryAttempts: Number.POSITIVE_INFINITY,
    shouldRetry: () => true,
    retryWait: (retries) => new Promise((resolve) => setTimeout(resolve, retryDelayMs(retries))),
    on,
  });
}

/**
 * The live source of the traces page: `generations(first)` over HTTP, `liveGenerations` over a
 * graphql-ws socket that reconnects forever (and re-subscribes) while the page is open: rows in
 * flight at once, their output growing as it streams, then the final row.
 */
export function graphqlGenerationsSource(
  options: { projectId?: string | null; wsUrl?: string } = {},
): LiveSource<ListedGeneration> {
  // Session callers name the project; API-key callers may leave it out (the key's project).
  const projectId = options.projectId ?? null;
  return {
    async fetchRecent(signal) {
      const [data, restated] = await Promise.all([
        graphqlRequest(RecentGenerationsDocument, { projectId, first: PAGE_SIZE }, { signal }),
        graphqlRequest(RestatedCostsDocument, { projectId, first: PAGE_SIZE }, { signal }),
      ]);
      const costs = new Map(restated.generations.edges.map((e) => [e.node.id, e.node.restatedCost]));
      return connectionPage(data.generations).items.map((g) => ({
        ...g,
        restatedCost: costs.get(g.id) ?? null,
      }));
    },

    subscribe(handlers) {
      let connectedBefore = false;
      const client = reconnectingClient(options.wsUrl ?? graphqlWsUrl(window.location), {
        connected: () => {
          handlers.connected(connectedBefore);
          connectedBefore = true;
        },
        // Without a valid session the socket still connects; the subscription's error says
        // UNAUTHENTICATED, which reaches the sign-in guard below.
        closed: () => handlers.disconnected(),
      });
      let ended = false;
      let resubscribeTimer: ReturnType<typeof setTimeout> | undefined;
      let stopSubscription = () => {};
      const start = () => {
        stopSubscription = client.subscribe<LiveGenerationsSubscription>(
          { query: LiveGenerationsDocument.toString(), variables: { projectId } },
          {
            next: (result) => {
              if (isUnauthenticated(result.errors)) reportUnauthenticated();
              if (result.errors?.length) handlers.error(result.errors);
              const { generation, progress } = result.data?.liveGenerations ?? {};
              if (generation) handlers.next(generation);
              if (progress) handlers.patch(progress.id, (row) => applyProgress(row, progress));
            },
            error: (error) => {
              if (isUnauthenticated(error)) reportUnauthenticated();
              handlers.error(error);
            },
            // The server ended the stream (e.g. it is shutting down): subscribe again shortly.
            complete: () => {
              if (!ended) resubscribeTimer = setTimeout(start, 1_000);
            },
          },
        );
      };
      start();

      return () => {
        ended = true;
        clearTimeout(resubscribeTimer);
        stopSubscription();
        void client.dispose();
      };
    },
  };
}
