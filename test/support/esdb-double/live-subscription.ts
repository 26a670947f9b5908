// A catch-up subscription (Streams.Read with subscription options) to one stream: confirmation,
// then history strictly after the start revision, then CaughtUp, then live events. ($all has its
// own, version by version, in all-subscription.ts.)
// It is a cursor over the log that sleeps at the head until the next write, so it never buffers
// more than the client's flow-control window: a slow client simply slows it down.
import type { ServerErrorResponse, ServerWritableStream } from '@grpc/grpc-js';
import { DELETED_STREAM_REVISION, type EventLog, type LogRecord } from './event-log.js';
import { streamDeletedError } from './grpc-errors.js';
import { eventResponse, streamNameOf } from './messages.js';
import { ReadReq, ReadResp, type ReadOptions, type ReadReq as ReadReqMessage } from './proto.js';
import { send } from './send.js';

type ReadCall = ServerWritableStream<ReadReqMessage, ReadResp>;

interface Source {
  /** Index in the log of the first record to consider. */
  startIndex: number;
  verdict(record: LogRecord): 'deliver' | 'skip' | 'stream_deleted';
  checkpointEvery: number | null;
  /** Set when the subscription cannot start, e.g. on a tombstoned stream. */
  refusal?: ServerErrorResponse;
}

export class LiveSubscription {
  private closed = false;
  private wake: (() => void) | null = null;

  constructor(
    private readonly call: ReadCall,
    private readonly log: EventLog,
  ) {}

  async run(options: ReadOptions): Promise<void> {
    const source = this.streamSource(options);
    if (source.refusal) {
      this.drop(source.refusal);
      return;
    }
    const stopListening = this.log.onWrite(() => this.wakeUp());
    this.call.on('cancelled', () => this.close());
    try {
      const confirmation = new ReadResp.SubscriptionConfirmation().setSubscriptionId(crypto.randomUUID());
      await send(this.call, new ReadResp().setConfirmation(confirmation));
      await this.pump(source);
    } finally {
      stopListening();
    }
  }

  /** Ends the subscription with an error, as a server restart or failure would. */
  drop(error: ServerErrorResponse): void {
    if (this.closed) return;
    this.close();
    this.call.emit('error', error);
  }

  private async pump(source: Source): Promise<void> {
    let index = source.startIndex;
    let scanned = 0;
    let caughtUp = false;
    while (!this.closed) {
      const record = this.log.records[index];
      if (!record) {
        if (!caughtUp) {
          caughtUp = true;
          await send(this.call, new ReadResp().setCaughtUp(new ReadResp.CaughtUp()));
        }
        await new Promise<void>((resolve) => (this.wake = resolve));
        continue;
      }
      index++;
      scanned++;
      const verdict = source.verdict(record);
      if (verdict === 'stream_deleted') {
        this.drop(streamDeletedError(record.streamName));
        return;
      }
      if (verdict === 'deliver') await send(this.call, eventResponse(record));
      if (source.checkpointEvery !== null && scanned % source.checkpointEvery === 0 && !this.closed) {
        const checkpoint = new ReadResp.Checkpoint()
          .setCommitPosition(String(record.position))
          .setPreparePosition(String(record.position));
        await send(this.call, new ReadResp().setCheckpoint(checkpoint));
      }
    }
  }

  private streamSource(options: ReadOptions): Source {
    const stream = options.getStream()!;
    const streamName = streamNameOf(stream.getStreamIdentifier());
    const RevisionCase = ReadReq.Options.StreamOptions.RevisionOptionCase;
    const startsAtEnd = stream.getRevisionOptionCase() === RevisionCase.END;
    const after = stream.getRevisionOptionCase() === RevisionCase.REVISION ? BigInt(stream.getRevision()) : -1n;
    return {
      startIndex: startsAtEnd ? this.log.records.length : 0,
      verdict(record) {
        if (record.streamName !== streamName) return 'skip';
        if (record.revision === DELETED_STREAM_REVISION) return 'stream_deleted';
        return record.revision > after ? 'deliver' : 'skip';
      },
      checkpointEvery: null,
      refusal: this.log.isTombstoned(streamName) ? streamDeletedError(streamName) : undefined,
    };
  }

  private close(): void {
    this.closed = true;
    this.wakeUp();
  }

  private wakeUp(): void {
    const wake = this.wake;
    this.wake = null;
    wake?.();
  }
}
