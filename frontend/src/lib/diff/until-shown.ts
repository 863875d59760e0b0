/**
 * Refetches until `shown()` holds or `attempts` run out: a replay is recorded at once but reaches the
 * read model only when the projector has written it, a moment later. True when it showed.
 */
export async function untilShown(
  refetch: () => Promise<void>,
  shown: () => boolean,
  {
    attempts = 40,
    pause = (ms: number) => new Promise<void>((r) => setTimeout(r, ms)),
    intervalMs = 500,
  } = {},
): Promise<boolean> {
  for (let i = 0; i < attempts; i++) {
    await refetch();
    if (shown()) return true;
    if (i < attempts - 1) await pause(intervalMs);
  }
  return false;
}
