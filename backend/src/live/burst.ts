/**
 * Tells the first push of each burst: the items one turn of the event loop pushes (one log read
 * fanned out synchronously, with the microtasks it starts). A bounded queue trims only then, so
 * it counts what its reader left pending across a turn, never a burst it had no turn to read yet.
 */
export class Burst {
  private open = false;

  /** True for the first call of a turn; the turn ends once the event loop reaches its check phase. */
  starts(): boolean {
    if (this.open) return false;
    this.open = true;
    setImmediate(() => (this.open = false)).unref?.();
    return true;
  }
}
