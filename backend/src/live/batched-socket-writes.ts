import type { Socket } from 'node:net';
import type WebSocket from 'ws';

/**
 * Past this many bytes not yet taken by the kernel, a message is acknowledged only once written,
 * as ws does: the client reads slower than it is sent to, and graphql-ws stops pulling its updates
 * (a live subscriber then coalesces them, or counts what it misses).
 */
const ACK_WHEN_WRITTEN_ABOVE = 64 * 1024;

type SendCallback = (error?: Error) => void;
type Send = (data: unknown, options?: object | SendCallback, cb?: SendCallback) => void;

/**
 * Makes the messages sent on `socket` in one turn of the event loop go out in one write: a
 * generation delivered to a subscriber was one `writev` system call per message, the largest cost
 * of a busy live feed. The TCP socket is corked at the turn's first message and uncorked once the
 * turn's promises have settled (a tick), writing everything sent meanwhile at once.
 *
 * graphql-ws sends an operation's next message only after the previous one's write completed;
 * corked, that would be one message per turn. So while the socket keeps up (under
 * `ACK_WHEN_WRITTEN_ABOVE` buffered), a message is acknowledged at once and the next follows in the
 * same turn; above it, when written, which keeps graphql-ws's backpressure for a stalled reader.
 * Order is the socket's: every message goes into its write buffer when sent.
 */
export function batchSocketWrites(socket: WebSocket): void {
  const tcp = (socket as unknown as { _socket?: Socket })._socket;
  if (!tcp || typeof tcp.cork !== 'function') return;
  const send = socket.send.bind(socket) as Send;
  let corked = false;
  const uncork = () => {
    corked = false;
    tcp.uncork();
  };
  (socket as unknown as { send: Send }).send = (data, options, cb) => {
    const callback = typeof options === 'function' ? (options as SendCallback) : cb;
    const opts = typeof options === 'function' ? undefined : options;
    if (socket.readyState !== socket.OPEN || !callback || socket.bufferedAmount > ACK_WHEN_WRITTEN_ABOVE) {
      send(data, opts, callback);
      return;
    }
    if (!corked) {
      corked = true;
      tcp.cork();
      process.nextTick(uncork);
    }
    send(data, opts);
    queueMicrotask(() => callback());
  };
}
