import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedRequest {
  headers: Record<string, string>;
  body: string;
  at: number;
}

export interface Receiver {
  url: string;
  received: ReceivedRequest[];
  /** Requests it hung up on while "down". */
  refused: number;
  close(): Promise<void>;
}

/**
 * A webhook receiver on 127.0.0.1. With `downFor: n` it drops the connection of its first n
 * requests without answering, as a receiver that is down does; then it answers 204.
 */
export async function startReceiver(options: { downFor?: number } = {}): Promise<Receiver> {
  const receiver = { url: '', received: [] as ReceivedRequest[], refused: 0 };
  const server: Server = createServer((request, response) => {
    if (receiver.refused < (options.downFor ?? 0)) {
      receiver.refused += 1;
      request.socket.destroy();
      return;
    }
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      receiver.received.push({ headers: request.headers as Record<string, string>, body: Buffer.concat(chunks).toString('utf8'), at: Date.now() });
      response.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`;
  return {
    ...receiver,
    get received() {
      return receiver.received;
    },
    get refused() {
      return receiver.refused;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  } as Receiver;
}
