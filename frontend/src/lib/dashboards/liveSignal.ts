// The dashboards' live signal: a graphql-ws subscription to `generationRecorded` (ids only) over the
// dashboard's filter, reconnecting forever while the page is open.
import { createClient } from 'graphql-ws';
import { reportUnauthenticated } from '$lib/auth/unauthenticated';
import { isUnauthenticated } from '$lib/errors';
import { graphqlWsUrl } from '$lib/graphql/client';
import {
  DashboardSignalDocument,
  type DashboardSignalSubscription,
  type GenerationFilter,
} from '$lib/graphql/generated';
import type { ConnectionState } from '$lib/live/liveFeed.svelte';
import { retryDelayMs } from '$lib/live/graphqlSource';

export interface SignalHandlers {
  /** A generation matching the filter ended. */
  generation(): void;
  connection(state: ConnectionState): void;
}

/** Subscribes; returns the function that ends the subscription and closes the socket. */
export function subscribeToGenerations(
  projectId: string,
  filter: GenerationFilter,
  handlers: SignalHandlers,
): () => void {
  let ended = false;
  let connectedBefore = false;
  const client = createClient({
    url: graphqlWsUrl(window.location),
    lazy: false,
    keepAlive: 15_000,
    retryAttempts: Number.POSITIVE_INFINITY,
    shouldRetry: () => true,
    retryWait: (retries) => new Promise((resolve) => setTimeout(resolve, retryDelayMs(retries))),
    on: {
      connected: () => {
        handlers.connection('live');
        // What ended while the socket was down is on the server: query again.
        if (connectedBefore) handlers.generation();
        connectedBefore = true;
      },
      closed: () => {
        if (!ended) handlers.connection('reconnecting');
      },
    },
  });
  let resubscribe: ReturnType<typeof setTimeout> | undefined;
  let stop = () => {};
  const start = () => {
    stop = client.subscribe<DashboardSignalSubscription>(
      { query: DashboardSignalDocument.toString(), variables: { projectId, filter } },
      {
        next: (result) => {
          if (isUnauthenticated(result.errors)) reportUnauthenticated();
          // A notice of dropped updates (SUBSCRIBER_TOO_SLOW) means generations came: refresh too.
          const dropped = result.errors?.some((e) => e.extensions?.code === 'SUBSCRIBER_TOO_SLOW');
          if (result.data?.generationRecorded || dropped) handlers.generation();
        },
        error: (error) => {
          if (isUnauthenticated(error)) reportUnauthenticated();
        },
        complete: () => {
          if (!ended) resubscribe = setTimeout(start, 1_000);
        },
      },
    );
  };
  start();
  return () => {
    ended = true;
    clearTimeout(resubscribe);
    stop();
    void client.dispose();
  };
}
