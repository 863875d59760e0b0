import { randomUUID } from 'node:crypto';
import { eventually } from '../support/events';
import { graphqlHttp, httpRequest, type Credential, type Outcome } from './client';
import { D } from './documents';
import type { Row } from './table';
import type { World } from './world';

/** `refusedRequests`: a project sees the requests refused to its own keys, none of another's. */
const SINCE = new Date(Date.now() - 3600_000).toISOString();

const refuse = (w: World, key: Credential, model: string) =>
  httpRequest(w.base, key, 'POST', '/v1/chat/completions', {
    body: { model, messages: [{ role: 'user', content: 'hi' }] },
  });

const refusals = (w: World, as: Credential, projectId: string): Promise<Outcome> =>
  graphqlHttp(w.base, as, D.refusedRequests, { p: projectId, since: SINCE });

/** A's and B's keys each get an unknown-model refusal; A's reader then sees A's model only. */
function ownRefusalsOnly(label: string, as: (w: World) => Credential): Row {
  const alphaModel = `alpha-unknown-${randomUUID().slice(0, 8)}`;
  const bravoModel = `bravo-unknown-${randomUUID().slice(0, 8)}`;
  return {
    name: `refusedRequests(A) as ${label}: A's refused requests, none of B's`,
    kind: 'positive',
    call: {
      scenario: async (w) => {
        await refuse(w, w.bravo.key, bravoModel);
        await refuse(w, w.alpha.key, alphaModel);
        // B's own reader sees B's refusal: from then on, A's answer could show it if it leaked.
        await eventually(
          () => refusals(w, w.bravo.session, w.bravo.projectId),
          (o) => o.text.includes(bravoModel),
        );
        return eventually(
          () => refusals(w, as(w), w.alpha.projectId),
          (o) => o.text.includes(alphaModel),
        );
      },
      covers: ['Query.refusedRequests', 'POST /graphql', 'POST /v1/chat/completions'],
    },
    expect: {
      ok: (o) => {
        expect(o.text).toContain('model_not_found');
        expect(o.text).not.toContain(bravoModel);
      },
    },
  };
}

export const refusalRows: Row[] = [
  ownRefusalsOnly("A's API key", (w) => w.alpha.key),
  ownRefusalsOnly("A's viewer", (w) => w.viewer.session),
];
