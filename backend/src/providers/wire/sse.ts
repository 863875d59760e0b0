import type { WireEvent } from './wire-format';

/**
 * A Server-Sent Events parser following the WHATWG "event stream interpretation" rules: UTF-8 decoded
 * across chunk boundaries (a leading BOM dropped), lines ended by CRLF, LF or CR (a CRLF split
 * between two chunks counts once), `:` comments ignored, one optional space after the colon
 * removed, several `data:` lines joined with `\n`, an event dispatched on a blank line, and a
 * blank line with no `data` dispatching nothing.
 *
 * One leniency: at the end of the stream a pending event that lacks its closing blank line is
 * still dispatched (the spec drops it), because some servers end with `data: [DONE]\n` only.
 */

export interface SseEvent {
  /** The `event:` field, `message` when absent. */
  readonly event: string;
  readonly data: string;
  /** The last `id:` seen in the stream so far, '' if none. */
  readonly lastEventId: string;
}

export class SseParser {
  private readonly decoder = new TextDecoder('utf-8');
  /** The unterminated tail of the input (never holds CR or LF). */
  private tail = '';
  /** The previous input ended with CR: a LF starting the next input belongs to it. */
  private skipLineFeed = false;
  private data = '';
  private hasData = false;
  private eventType = '';
  private lastEventId = '';
  /** The last `retry:` value, if any (reconnection time in ms). */
  retryMs: number | null = null;

  /** Feeds raw bytes (or already-decoded text); returns the events completed by them, in order. */
  push(chunk: Uint8Array | string): SseEvent[] {
    const decoded = typeof chunk === 'string' ? chunk : this.decoder.decode(chunk, { stream: true });
    return this.feed(decoded);
  }

  /** Ends the stream: flushes the decoder and dispatches a pending unterminated event (see the leniency above). */
  end(): SseEvent[] {
    const events = this.feed(this.decoder.decode());
    if (this.tail !== '') {
      this.line(this.tail, events);
      this.tail = '';
    }
    this.dispatch(events);
    return events;
  }

  private feed(decoded: string): SseEvent[] {
    const events: SseEvent[] = [];
    let text = decoded;
    if (this.skipLineFeed && text.length > 0) {
      if (text.charCodeAt(0) === 10) text = text.slice(1);
      this.skipLineFeed = false;
    }
    const scanFrom = this.tail.length;
    text = this.tail + text;
    let start = 0;
    for (let i = scanFrom; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c !== 10 && c !== 13) continue;
      this.line(text.slice(start, i), events);
      if (c === 13) {
        if (i + 1 === text.length) this.skipLineFeed = true;
        else if (text.charCodeAt(i + 1) === 10) i++;
      }
      start = i + 1;
    }
    this.tail = text.slice(start);
    return events;
  }

  private line(line: string, events: SseEvent[]): void {
    if (line === '') {
      this.dispatch(events);
      return;
    }
    if (line.charCodeAt(0) === 58 /* : */) return;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.charCodeAt(0) === 32) value = value.slice(1);
    switch (field) {
      case 'event':
        this.eventType = value;
        break;
      case 'data':
        this.data += this.hasData ? `\n${value}` : value;
        this.hasData = true;
        break;
      case 'id':
        if (!value.includes('\u0000')) this.lastEventId = value;
        break;
      case 'retry':
        if (/^\d+$/.test(value)) this.retryMs = Number(value);
        break;
      default:
        break;
    }
  }

  private dispatch(events: SseEvent[]): void {
    if (this.hasData) {
      events.push({ event: this.eventType || 'message', data: this.data, lastEventId: this.lastEventId });
    }
    this.data = '';
    this.hasData = false;
    this.eventType = '';
  }
}

/** Parses an SSE byte stream (e.g. a fetch response body) into events. */
export async function* readSse(body: AsyncIterable<Uint8Array>): AsyncGenerator<SseEvent, void, undefined> {
  const parser = new SseParser();
  for await (const chunk of body) yield* parser.push(chunk);
  yield* parser.end();
}

/**
 * An SSE event as a `WireEvent`: `data` JSON-parsed, or left as text when it is not JSON (`[DONE]`).
 */
export function toWireEvent(event: SseEvent): WireEvent {
  try {
    return { event: event.event, data: JSON.parse(event.data) as unknown };
  } catch {
    return { event: event.event, data: event.data };
  }
}

/** The text that frames `event` on the wire again (its data unchanged, byte for byte). */
export function frameSse(event: SseEvent): string {
  const type = event.event === 'message' ? '' : `event: ${event.event}\n`;
  return `${type}data: ${event.data.split('\n').join('\ndata: ')}\n\n`;
}
