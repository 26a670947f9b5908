// A catch-up subscription to $all, in the manner of the server version the double plays (see
// server-version.ts for where they differ). Both register for live events when the catch-up ends
// (23.10) or at once (24.10), into a buffer of `liveBufferSize` entries that the server fills as
// events are written, whatever the client's pace; what happens when it overflows is where the
// versions part. Catch-up reads and sends wait on HTTP/2 flow control, as the server's do.
import type { ServerErrorResponse, ServerWritableStream } from '@grpc/grpc-js';
import type { EventLog, LogRecord } from './event-log.js';
import { invalidPosition, operationTimedOut, unknownError } from './grpc-errors.js';
import { eventResponse } from './messages.js';
import { ReadReq, ReadResp, type ReadOptions, type ReadReq as ReadReqMessage } from './proto.js';
import { recordFilter, type RecordFilter } from './record-filter.js';
import { send } from './send.js';
import type { EsdbServerVersion } from './server-version.js';

type ReadCall = ServerWritableStream<ReadReqMessage, ReadResp>;

/** The server's MaxLiveEventBufferCount. */
export const DEFAULT_LIVE_BUFFER_SIZE = 32;

type LiveEntry = { sequence: number; record: LogRecord | null; checkpoint: bigint | null };

/** Where the subscription starts: before the first record, after the last, or after a position. */
type Start = { kind: 'start' } | { kind: 'end' } | { kind: 'after'; position: bigint };

class Stopped extends Error {}

export class AllSubscription {
  private closed = false;
  private wake: (() => void) | null = null;
  private readonly live: LiveEntry[] = [];
  private liveSequence = 0;
  /** Sequence number of the last live entry taken from the buffer (24.10 spots gaps with it). */
  private takenSequence = 0;
  private stopListening: () => void = () => {};
  private readonly filter: RecordFilter;
  private readonly start: Start;

  constructor(
    private readonly call: ReadCall,
    private readonly log: EventLog,
    options: ReadOptions,
    private readonly version: EsdbServerVersion,
    private readonly liveBufferSize = DEFAULT_LIVE_BUFFER_SIZE,
  ) {
    this.filter = recordFilter(options);
    const all = options.getAll()!;
    const AllCase = ReadReq.Options.AllOptions.AllOptionCase;
    const optionCase = all.getAllOptionCase();
    if (optionCase === AllCase.END) this.start = { kind: 'end' };
    else if (optionCase === AllCase.POSITION) this.start = { kind: 'after', position: BigInt(all.getPosition()!.getCommitPosition()) };
    else this.start = { kind: 'start' };
  }

  async run(): Promise<void> {
    this.call.on('cancelled', () => this.close());
    try {
      if (this.version === '24.10') await this.run2410();
      else await this.run2310();
    } catch (error) {
      if (!(error instanceof Stopped)) throw error;
    } finally {
      this.stopListening();
    }
  }

  /** Ends the subscription with an error, as a server restart or failure would. */
  drop(error: ServerErrorResponse): void {
    if (this.closed) return;
    this.close();
    this.call.emit('error', error);
  }

  // 24.10: live first, then confirm; a checkpoint at or past the last record goes live at once and
  // skips live events up to it; an overflowed live buffer sends the subscription back to catch-up.
  private async run2410(): Promise<void> {
    const lastAtConfirmation = this.log.lastPosition;
    this.listenLive(false);
    await this.confirm();
    let checkpoint =
      this.start.kind === 'start' ? -1n : this.start.kind === 'end' ? lastAtConfirmation : this.start.position;
    if (checkpoint < lastAtConfirmation) {
      if (this.log.isInsideARecord(checkpoint)) return this.drop(invalidPosition());
      checkpoint = await this.catchUp(checkpoint, true);
    }
    for (;;) {
      checkpoint = await this.goLive2410(checkpoint);
      checkpoint = await this.catchUp(checkpoint, true);
    }
  }

  private async goLive2410(checkpoint: bigint): Promise<bigint> {
    await this.sendMessage(new ReadResp().setCaughtUp(new ReadResp.CaughtUp()));
    for (;;) {
      const entry = await this.nextLive();
      const inOrder = entry.sequence === this.takenSequence + 1;
      this.takenSequence = entry.sequence;
      if (entry.record && entry.record.position <= checkpoint) continue;
      if (entry.checkpoint !== null && entry.checkpoint < checkpoint) continue;
      if (!inOrder) {
        // Live events were dropped: read them from the log instead. The client is not told.
        if (this.filter.checkpointEvery !== null) await this.sendCheckpoint(checkpoint);
        return checkpoint;
      }
      if (entry.record) {
        await this.sendMessage(eventResponse(entry.record));
        checkpoint = entry.record.position;
      } else if (entry.checkpoint !== null) {
        await this.sendCheckpoint(entry.checkpoint);
        checkpoint = entry.checkpoint;
      }
    }
  }

  // 23.10: catch up (confirming after the first read), then register for live events, send the
  // history written meanwhile, CaughtUp, and live events; an overflowed live buffer drops the
  // subscription. A start position inside a record fails the call before it is confirmed.
  private async run2310(): Promise<void> {
    let checkpoint = -1n;
    if (this.start.kind === 'after') {
      if (this.log.isInsideARecord(this.start.position)) {
        return this.drop(unknownError('Exception was thrown by handler.'));
      }
      checkpoint = this.start.position;
    }
    await this.confirm();
    if (this.start.kind !== 'end') await this.catchUp(checkpoint, false);
    // Reaching the end and registering happen in one turn here, so no history is left between.
    this.listenLive(true);
    await this.sendMessage(new ReadResp().setCaughtUp(new ReadResp.CaughtUp()));
    for (;;) {
      const entry = await this.nextLive();
      if (entry.record) await this.sendMessage(eventResponse(entry.record));
      else if (entry.checkpoint !== null) await this.sendCheckpoint(entry.checkpoint);
    }
  }

  /** Sends the matching records after `checkpoint` up to the end of the log; returns the new checkpoint. */
  private async catchUp(checkpoint: bigint, checkpointAtEnd: boolean): Promise<bigint> {
    let index = this.log.indexAfter(checkpoint);
    let scanned = 0;
    for (;;) {
      const record = this.log.records[index];
      if (!record) break;
      index++;
      scanned++;
      if (this.filter.matches(record)) {
        await this.sendMessage(eventResponse(record));
        checkpoint = record.position;
      }
      if (this.filter.checkpointEvery !== null && scanned % this.filter.checkpointEvery === 0) {
        await this.sendCheckpoint(record.position);
      }
    }
    if (checkpointAtEnd && this.filter.checkpointEvery !== null) await this.sendCheckpoint(checkpoint < 0n ? 0n : checkpoint);
    return checkpoint;
  }

  private listenLive(dropWhenFull: boolean): void {
    let scanned = 0;
    let seen = this.log.records.length;
    this.stopListening = this.log.onWrite(() => {
      for (; seen < this.log.records.length; seen++) {
        const record = this.log.records[seen]!;
        scanned++;
        if (this.filter.matches(record)) this.pushLive({ record, checkpoint: null }, dropWhenFull);
        const every = this.filter.checkpointEvery;
        if (every !== null && scanned % every === 0) this.pushLive({ record: null, checkpoint: record.position }, dropWhenFull);
      }
    });
  }

  private pushLive(entry: Omit<LiveEntry, 'sequence'>, dropWhenFull: boolean): void {
    if (this.closed) return;
    if (this.live.length >= this.liveBufferSize) {
      if (dropWhenFull) {
        this.drop(operationTimedOut('Consumer too slow to handle event while live. Client resubscription required.'));
        return;
      }
      this.live.shift();
    }
    this.live.push({ ...entry, sequence: ++this.liveSequence });
    this.wakeUp();
  }

  private async nextLive(): Promise<LiveEntry> {
    for (;;) {
      if (this.closed) throw new Stopped();
      const entry = this.live.shift();
      if (entry) return entry;
      await new Promise<void>((resolve) => (this.wake = resolve));
    }
  }

  private async confirm(): Promise<void> {
    const confirmation = new ReadResp.SubscriptionConfirmation().setSubscriptionId(crypto.randomUUID());
    await this.sendMessage(new ReadResp().setConfirmation(confirmation));
  }

  private async sendCheckpoint(position: bigint): Promise<void> {
    const checkpoint = new ReadResp.Checkpoint().setCommitPosition(String(position)).setPreparePosition(String(position));
    await this.sendMessage(new ReadResp().setCheckpoint(checkpoint));
  }

  private async sendMessage(message: ReadResp): Promise<void> {
    if (this.closed) throw new Stopped();
    await send(this.call, message);
    if (this.closed) throw new Stopped();
  }

  private close(): void {
    this.closed = true;
    this.stopListening();
    this.wakeUp();
  }

  private wakeUp(): void {
    const wake = this.wake;
    this.wake = null;
    wake?.();
  }
}
