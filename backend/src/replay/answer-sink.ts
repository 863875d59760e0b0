import type { AnswerSink } from '../gateway/gateway-pipeline';

/**
 * Where a replay's answer goes: the gateway records it like any other, so the bytes are only
 * counted. Never full and never closed: the gateway writes at the provider's pace.
 */
export class DiscardingSink implements AnswerSink {
  headersSent = false;
  readonly destroyed = false;
  status = 0;
  bytes = 0;

  setHeader(): void {}

  writeHead(status: number): this {
    this.status = status;
    this.headersSent = true;
    return this;
  }

  write(text: string | Uint8Array): boolean {
    this.headersSent = true;
    this.bytes += text.length;
    return true;
  }

  end(text?: string | Uint8Array): void {
    if (text) this.write(text);
  }

  once(): void {}

  off(): void {}
}
