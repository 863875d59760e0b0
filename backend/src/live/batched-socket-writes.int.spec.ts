import type { AddressInfo, Socket } from 'node:net';
import WebSocket, { WebSocketServer } from 'ws';
import { eventually } from '../../test/support/events';
import { batchSocketWrites } from './batched-socket-writes';

/** A ws server socket with batched writes, its client, and what the client received. */
async function pair() {
  const server = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  await new Promise((resolve) => server.once('listening', resolve));
  const accepted = new Promise<WebSocket>((resolve) => server.once('connection', resolve));
  const client = new WebSocket(`ws://127.0.0.1:${(server.address() as AddressInfo).port}`);
  const received: string[] = [];
  client.on('message', (data: Buffer) => received.push(data.toString()));
  await new Promise((resolve) => client.once('open', resolve));
  const socket = await accepted;
  batchSocketWrites(socket);
  const tcp = (socket as unknown as { _socket: Socket })._socket;
  const clientTcp = (client as unknown as { _socket: Socket })._socket;
  return {
    socket,
    tcp,
    received,
    pauseClient: () => clientTcp.pause(),
    resumeClient: () => clientTcp.resume(),
    /** As graphql-ws sends: the next message once the previous one is acknowledged. */
    send: (data: string) =>
      new Promise<void>((resolve, reject) => socket.send(data, (e?: Error) => (e ? reject(e) : resolve()))),
    close: async () => {
      client.terminate();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

describe('batchSocketWrites', () => {
  it('writes the messages of one turn, sent one after the other, together and in order', async () => {
    const p = await pair();
    try {
      const writes = jest.spyOn(p.tcp as unknown as { _writev: () => void }, '_writev');
      const plain = jest.spyOn(p.tcp as unknown as { _write: () => void }, '_write');
      for (let i = 0; i < 100; i++) await p.send(`m${i}`);
      await eventually(
        async () => p.received.length,
        (n) => n === 100,
      );
      expect(p.received).toEqual(Array.from({ length: 100 }, (_, i) => `m${i}`));
      expect(writes.mock.calls.length + plain.mock.calls.length).toBe(1);
    } finally {
      await p.close();
    }
  });

  it('acknowledges only once written past 64 KiB buffered: a reader that stopped holds the sender back', async () => {
    const p = await pair();
    try {
      p.pauseClient();
      const big = 'x'.repeat(256 * 1024);
      let acknowledged = 0;
      let last: Promise<void> = Promise.resolve();
      // Far more than the loopback buffers hold (a few MB): the sender must stop being acknowledged.
      const sending = (async () => {
        for (let i = 0; i < 200; i++) {
          last = p.send(big);
          await last;
          acknowledged++;
        }
      })();
      // Stalled for real: uncorked, and still bytes the kernel did not take.
      await eventually(
        async () => p.tcp.writableCorked === 0 && p.socket.bufferedAmount > 64 * 1024,
        (stalled) => stalled,
      );
      // Without the hold-back all 51 MB would sit in memory; with it, at most the last message past 64 KiB.
      expect(p.socket.bufferedAmount).toBeLessThanOrEqual(64 * 1024 + 2 * (big.length + 16));
      expect(acknowledged).toBeLessThan(200);
      p.resumeClient();
      await sending;
      await eventually(
        async () => p.received.length,
        (n) => n === 200,
      );
    } finally {
      await p.close();
    }
  });
});
