import type { Server, ServerOptions } from 'node:http';
import type { Duplex } from 'node:stream';
import { problem } from '../api/problem.js';

export interface HttpLimits {
  /** Time a client has to send the request headers. */
  headersTimeoutMs: number;
  /** Time a client has to send the whole request, body included. */
  requestTimeoutMs: number;
}

/**
 * Node's server options for the limits. Node checks the timeouts every connectionsCheckingInterval
 * (30 s by default, which would let a stalled client stay that much longer), so it runs often.
 */
export function httpServerOptions(limits: HttpLimits): ServerOptions {
  const requestTimeout = Math.max(limits.requestTimeoutMs, limits.headersTimeoutMs);
  return {
    headersTimeout: limits.headersTimeoutMs,
    requestTimeout,
    connectionsCheckingInterval: Math.min(1000, limits.headersTimeoutMs),
    keepAliveTimeout: 5_000,
  };
}

const STATUS_BY_CODE: Record<string, number> = {
  HPE_HEADER_OVERFLOW: 431,
  ERR_HTTP_REQUEST_TIMEOUT: 408,
  HPE_CHUNK_EXTENSIONS_OVERFLOW: 413,
};

const DETAIL_BY_STATUS: Record<number, string> = {
  400: 'the request is not valid HTTP',
  408: 'the request was not received in time',
  413: 'the request is too large',
  431: 'the request headers are too large',
};

/**
 * Requests Node refuses before the app sees them (headers too large or too slow, malformed HTTP)
 * are answered in problem+json too, rather than with Node's empty-bodied default.
 */
export function answerClientErrors(server: Server): void {
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex & { _httpMessage?: { headersSent?: boolean } }) => {
    if (error.code === 'ECONNRESET' || !socket.writable || socket._httpMessage?.headersSent) {
      socket.destroy();
      return;
    }
    const status = STATUS_BY_CODE[error.code ?? ''] ?? 400;
    void problem(status, DETAIL_BY_STATUS[status]!)
      .text()
      .then((body) => {
        socket.end(
          `HTTP/1.1 ${status} ${reasonPhrase(status)}\r\ncontent-type: application/problem+json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
        );
      });
  });
}

function reasonPhrase(status: number): string {
  return { 400: 'Bad Request', 408: 'Request Timeout', 413: 'Content Too Large', 431: 'Request Header Fields Too Large' }[status] ?? 'Bad Request';
}
