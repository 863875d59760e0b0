import { Inject, Injectable, Optional } from '@nestjs/common';
import { LRUCache } from 'lru-cache';
import { Clock } from '../../common/clock';
import type { ChatCompletion } from '../../providers/wire/chat-completions';

/** What a hit replays: the answer in the hub format, and which provider/model first served it. */
export interface CachedAnswer {
  readonly completion: ChatCompletion;
  readonly provider: string;
  readonly model: string;
}

/** Memory the cache may hold (serialized size of its answers). */
export const CACHE_MAX_BYTES = 64 * 1024 * 1024;
/** Injection token overriding {@link CACHE_MAX_BYTES} (tests). */
export const CACHE_MAX_BYTES_TOKEN = Symbol('CACHE_MAX_BYTES');

/**
 * The gateway's exact-match response cache: in this instance's memory, least recently used entries
 * evicted beyond {@link CACHE_MAX_BYTES}, each entry expiring after the TTL its request asked for.
 * Keys come from `cacheKey` (project-scoped).
 */
@Injectable()
export class ResponseCache {
  private readonly entries: LRUCache<string, CachedAnswer>;

  constructor(
    @Inject(Clock) clock: Clock,
    @Optional() @Inject(CACHE_MAX_BYTES_TOKEN) maxBytes: number = CACHE_MAX_BYTES,
  ) {
    this.entries = new LRUCache<string, CachedAnswer>({
      maxSize: maxBytes,
      sizeCalculation: (answer) => Math.max(1, JSON.stringify(answer.completion).length),
      perf: { now: () => clock.monotonicMs() },
      ttlResolution: 0,
    });
  }

  get(key: string): CachedAnswer | undefined {
    return this.entries.get(key);
  }

  set(key: string, answer: CachedAnswer, ttlSeconds: number): void {
    this.entries.set(key, answer, { ttl: ttlSeconds * 1000 });
  }
}
