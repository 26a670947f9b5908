import type { ServerDuplexStream, ServerWritableStream } from '@grpc/grpc-js';

export type WritableCall<Message> = ServerWritableStream<unknown, Message> | ServerDuplexStream<unknown, Message>;

/**
 * Writes one message and waits while the client is not reading (HTTP/2 flow control), so a slow
 * reader slows the server down instead of growing its buffers. Also resolves when the call ends.
 */
export function send<Message>(call: WritableCall<Message>, message: Message): Promise<void> {
  if (call.write(message)) return Promise.resolve();
  return new Promise((resolve) => {
    const settle = () => {
      call.off('drain', settle);
      call.off('close', settle);
      call.off('cancelled', settle);
      resolve();
    };
    call.on('drain', settle);
    call.on('close', settle);
    call.on('cancelled', settle);
  });
}
