/** The event loop's turn, advanced at its check phase: one `setImmediate` a turn for every queue. */
let turn = 0;
let advancing = false;

function currentTurn(): number {
  if (!advancing) {
    advancing = true;
    setImmediate(() => {
      turn++;
      advancing = false;
    }).unref?.();
  }
  return turn;
}

/**
 * Tells the first push of each burst: the items one turn of the event loop pushes (one log read
 * fanned out synchronously, with the microtasks it starts). A bounded queue trims only then, so
 * it counts what its reader left pending across a turn, never a burst it had no turn to read yet.
 */
export class Burst {
  private lastTurn = -1;

  /** True for the first call of a turn. */
  starts(): boolean {
    const now = currentTurn();
    if (now === this.lastTurn) return false;
    this.lastTurn = now;
    return true;
  }
}
