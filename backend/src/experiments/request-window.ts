import type { GenerationRequested } from '@sightline/schemas';
import type { EventArchive } from '../archive/event-archive';

/** Requests read in one archive query. */
export const WINDOW_CHUNK = 500;

/**
 * The recorded requests of a run's generations, read ahead in chunks of {@link WINDOW_CHUNK} in the
 * run's order: one archive query per chunk rather than one per replay (the archive is searched by
 * span id through a skip index, so a query costs about the same for 1 span as for 500). Holds the
 * chunk in use and the next one.
 */
export class RequestWindow {
  private readonly position = new Map<string, number>();
  private readonly ids: string[] = [];
  private readonly chunks = new Map<number, Promise<Map<string, GenerationRequested>>>();

  /** `generationIds` in the order they will be asked for (repeats are read once). */
  constructor(
    private readonly archive: Pick<EventArchive, 'findRequests'>,
    private readonly projectId: string,
    generationIds: readonly string[],
    private readonly chunkSize = WINDOW_CHUNK,
  ) {
    for (const id of generationIds) {
      if (this.position.has(id)) continue;
      this.position.set(id, this.ids.length);
      this.ids.push(id);
    }
  }

  /**
   * Its archived request; undefined when none is archived, `id` is not one of the run's, or the
   * chunk's read failed (the replay then reads it alone, and fails with the reason if it must).
   */
  async get(id: string): Promise<GenerationRequested | undefined> {
    const at = this.position.get(id);
    if (at === undefined) return undefined;
    const chunk = Math.floor(at / this.chunkSize);
    for (const old of this.chunks.keys()) if (old < chunk) this.chunks.delete(old);
    const requests = this.chunk(chunk);
    if ((chunk + 1) * this.chunkSize < this.ids.length) void this.chunk(chunk + 1).catch(() => undefined);
    return (await requests.catch(() => undefined))?.get(id);
  }

  private chunk(n: number): Promise<Map<string, GenerationRequested>> {
    let read = this.chunks.get(n);
    if (!read) {
      const spans = this.ids
        .slice(n * this.chunkSize, (n + 1) * this.chunkSize)
        .map((spanId) => ({ projectId: this.projectId, spanId }));
      read = this.archive.findRequests(spans).then((found) => new Map(found.map((r) => [r.spanId, r])));
      // A failed read is tried again by the next replay that needs it.
      read.catch(() => this.chunks.get(n) === read && this.chunks.delete(n));
      this.chunks.set(n, read);
    }
    return read;
  }
}
