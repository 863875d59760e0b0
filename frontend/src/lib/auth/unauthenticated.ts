// The one place that learns "nobody is signed in (any more)": the GraphQL client and the /auth REST
// client report here, and the root layout registers the handler that sends the browser to /login.

type Handler = () => void;

let handler: Handler | null = null;

/** Installs the handler (the root layout does, once); returns the function that removes it. */
export function setUnauthenticatedHandler(next: Handler): () => void {
  handler = next;
  return () => {
    if (handler === next) handler = null;
  };
}

/** Called on a 401 / UNAUTHENTICATED answer to a request made with the session. */
export function reportUnauthenticated(): void {
  handler?.();
}
