import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { contentSecurityPolicy } from '../../security/security-headers';

const requireFrom = createRequire(__filename);
/** A file of a package, also one its `exports` map does not list (GraphiQL's UMD build). */
const packageFile = (name: string, file: string) =>
  join(dirname(requireFrom.resolve(`${name}/package.json`)), file);

/**
 * GraphiQL's self-contained UMD build (no CDN: Sightline runs offline) and React 18's UMD builds it
 * runs on, served from node_modules; the boot script is ours (the CSP allows no inline scripts).
 */
const ASSETS: Readonly<Record<string, { file: () => string; type: string }>> = {
  'react.js': {
    file: () => packageFile('react', 'umd/react.production.min.js'),
    type: 'text/javascript',
  },
  'react-dom.js': {
    file: () => packageFile('react-dom', 'umd/react-dom.production.min.js'),
    type: 'text/javascript',
  },
  'graphiql.js': { file: () => packageFile('graphiql', 'graphiql.min.js'), type: 'text/javascript' },
  'graphiql.css': { file: () => packageFile('graphiql', 'graphiql.min.css'), type: 'text/css' },
};

/** Runs GraphiQL against `/graphql` as the signed-in member: the session cookie goes along, writes echo the CSRF cookie. */
const BOOT = `(function () {
  var csrf = (document.cookie.split('; ').find(function (c) { return c.indexOf('sl_csrf=') === 0; }) || '').slice(8);
  var fetcher = GraphiQL.createFetcher({
    url: '/graphql',
    headers: csrf ? { 'x-csrf-token': decodeURIComponent(csrf) } : {},
  });
  var dark = window.matchMedia && window.matchMedia('(prefers-color-scheme: dark)').matches;
  ReactDOM.createRoot(document.getElementById('graphiql')).render(
    React.createElement(GraphiQL, {
      fetcher: fetcher,
      defaultTheme: dark ? 'dark' : 'light',
      defaultQuery: '# Queries run as you, in your projects.\\nquery {\\n  viewer {\\n    user {\\n      email\\n    }\\n  }\\n}\\n',
    }),
  );
})();
`;

/** The usual policy plus the fonts GraphiQL's stylesheet embeds as `data:` URLs; its scripts are files. */
const EXPLORER_CSP = contentSecurityPolicy([], ['data:']);

const page = (title: string, body: string, head = '') => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · Sightline</title>${head}
<style>html,body{margin:0;height:100%;font-family:system-ui,sans-serif}#graphiql{height:100vh}main{max-width:36rem;margin:4rem auto;padding:0 1rem;line-height:1.5}</style>
</head><body>${body}</body></html>`;

const EXPLORER = page(
  'GraphQL explorer',
  `<div id="graphiql">Loading the GraphQL explorer…</div>
<script src="/graphql/explorer/react.js"></script><script src="/graphql/explorer/react-dom.js"></script>
<script src="/graphql/explorer/graphiql.js"></script><script src="/graphql/explorer/boot.js"></script>`,
  '<link rel="stylesheet" href="/graphql/explorer/graphiql.css">',
);

const SIGN_IN = page(
  'GraphQL',
  `<main><h1>GraphQL API</h1><p>This is Sightline's GraphQL endpoint. <a href="/login">Sign in</a>, then open
<a href="/graphql">/graphql</a> again to explore it. Programs POST queries here with an API key
(<code>Authorization: Bearer sl_pk_…</code>).</p></main>`,
);

const PRODUCTION = page(
  'GraphQL',
  `<main><h1>GraphQL API</h1><p>This is Sightline's GraphQL endpoint: POST queries here with an API key
(<code>Authorization: Bearer sl_pk_…</code>) or subscribe over graphql-ws. The explorer is off in production.</p></main>`,
);

export interface ExplorerOptions {
  /** Off in production (introspection is off there too): a short note instead. */
  readonly enabled: boolean;
  /** Whether the request carries a valid member session. */
  readonly signedIn: (req: Request) => boolean;
}

/** A browser's plain GET of the endpoint (a GraphQL GET carries `query`, and programs ask for JSON). */
const fromBrowser = (req: Request) =>
  req.method === 'GET' &&
  req.path === '/' &&
  req.query.query === undefined &&
  !!req.accepts('html') &&
  req.accepts(['application/json', 'html']) === 'html';

/**
 * Mounted on `/graphql` before Apollo: a browser opening it gets GraphiQL (signed-in members, outside
 * production) or a short page saying what to do, instead of Apollo's CSRF error; GraphQL over
 * POST, GET with `query`, and graphql-ws pass through untouched.
 */
export function graphqlExplorer(options: ExplorerOptions): RequestHandler {
  return function graphqlExplorerPage(req: Request, res: Response, next: NextFunction): void {
    const asset =
      req.method === 'GET' && options.enabled ? req.path.match(/^\/explorer\/([\w.-]+)$/)?.[1] : undefined;
    if (asset === 'boot.js') {
      res.type('text/javascript').send(BOOT);
      return;
    }
    if (asset && ASSETS[asset]) {
      res.type(ASSETS[asset].type).setHeader('cache-control', 'public, max-age=3600');
      res.sendFile(ASSETS[asset].file());
      return;
    }
    if (!fromBrowser(req)) return next();
    res.setHeader('cache-control', 'no-store');
    if (!options.enabled) {
      res.type('html').send(PRODUCTION);
      return;
    }
    if (!options.signedIn(req)) {
      res.status(401).type('html').send(SIGN_IN);
      return;
    }
    res.setHeader('content-security-policy', EXPLORER_CSP).type('html').send(EXPLORER);
  };
}
