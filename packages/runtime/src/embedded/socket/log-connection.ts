import { connect, type Socket } from 'node:net';
import { ClientError } from '../../errors/client-error.ts';
import { FrameSplitter, MAX_FRAME } from './frame-splitter.ts';
import { WireReader } from './wire-reader.ts';
import { WireWriter } from './wire-writer.ts';
import { FAILED, Op, PROTOCOL_VERSION, errorOf, type Hello } from './log-protocol.ts';

/** How long a server has to answer hello: one that accepts and says nothing is stuck. */
const HELLO_TIMEOUT_MS = 10_000;

/**
 * How long a server has to answer any later request, beyond the wait a FETCH asks for: the serving run answers an
 * admin call or a produce in milliseconds, so one silent this long is stuck (stopped with Ctrl-Z, or its event loop
 * blocked) — a command must not wait for it forever.
 */
export const REQUEST_TIMEOUT_MS = 30_000;

/** What a request is, for the message when its answer does not come. */
export interface RequestOptions {
  /** E.g. "a listTopics call", "a produce of 3 records". */
  readonly what: string;
  /** How long the server may wait on purpose before answering (a FETCH's long poll): added to the request timeout. */
  readonly waitMs?: number;
  /** What else to say when it timed out (e.g. that a produce's outcome is unknown). */
  readonly unknownOutcome?: string;
}

interface Pending {
  resolve(answer: WireReader): void;
  reject(error: Error): void;
  readonly timer: NodeJS.Timeout;
}

/**
 * One connection to the process serving an embedded log (LogServer): requests with ids, answers matched to them
 * as they come (several in flight). Made by LogConnection.open, which says hello first: a socket nobody serves, or
 * a server of another protocol version, fails there. When the connection drops, every pending and later request
 * rejects with ClientError 'unreachable' saying the serving process went away. A request not answered within
 * `requestTimeoutMs` (plus the wait it asked for) means the serving process is stuck: the connection is dropped, every
 * request rejecting with ClientError 'unreachable' naming the process, the request and the fix.
 */
export class LogConnection {
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private lost: ClientError | undefined;
  private greeting: Hello | undefined;

  private constructor(
    private readonly socket: Socket,
    /** The socket's path. */
    readonly path: string,
    private readonly requestTimeoutMs: number,
  ) {
    const splitter = new FrameSplitter((frame) => this.answered(frame));
    socket.on('data', (chunk: Buffer) => {
      try {
        splitter.push(chunk);
      } catch (e) {
        this.drop(e as ClientError);
      }
    });
    socket.on('error', (e) => this.drop(this.gone(e)));
    socket.on('close', () => this.drop(this.gone()));
  }

  /**
   * Connects to the socket at `path` and says hello. Rejects with the socket's own error (ENOENT: nobody serves
   * there; ECONNREFUSED: a socket file left by a process that died), a ClientError 'unreachable' when the server
   * closed the connection (it is stopping) or did not answer within `helloTimeoutMs` (its process is stuck), or the
   * server's ClientError 'fatal' (it speaks another protocol version).
   */
  static async open(path: string, helloTimeoutMs = HELLO_TIMEOUT_MS, requestTimeoutMs = REQUEST_TIMEOUT_MS): Promise<LogConnection> {
    const socket = connect(path);
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.once('connect', () => {
        socket.off('error', reject);
        resolve();
      });
    });
    const connection = new LogConnection(socket, path, requestTimeoutMs);
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new ClientError(`The process serving the embedded log on ${path} did not answer within ${helloTimeoutMs} ms.`, 'unreachable')), helloTimeoutMs);
    });
    try {
      const hello = connection.request(Op.HELLO, (w) => w.json({ protocol: PROTOCOL_VERSION }), { what: 'hello' });
      connection.greeting = (await Promise.race([hello, timedOut])).json<Hello>();
    } catch (e) {
      connection.close();
      throw e;
    } finally {
      clearTimeout(timer);
    }
    return connection;
  }

  /** The serving process, as it introduced itself when the connection opened. */
  get hello(): Hello {
    return this.greeting!;
  }

  /**
   * Sends a request whose body `write` writes; resolves with the answer's body, rejects with the server's
   * ClientError, or with ClientError 'unreachable' when the connection drops or no answer comes in time.
   */
  request(op: number, write: (w: WireWriter) => void, options: RequestOptions): Promise<WireReader> {
    if (this.lost !== undefined) return Promise.reject(this.lost);
    const id = this.nextId;
    this.nextId = id === 0xffff_ffff ? 1 : id + 1;
    const w = new WireWriter().u32(id).u8(op);
    write(w);
    const frame = w.finish();
    if (frame.length - 4 > MAX_FRAME) {
      return Promise.reject(new ClientError(`A request of ${frame.length} bytes is more than the embedded log's socket carries at once (${MAX_FRAME} bytes): send fewer records at a time.`, 'fatal'));
    }
    return new Promise<WireReader>((resolve, reject) => {
      const limit = this.requestTimeoutMs + (options.waitMs ?? 0);
      const timer = setTimeout(() => this.drop(this.stuck(options, limit)), limit);
      this.pending.set(id, { resolve, reject, timer });
      this.socket.write(frame);
    });
  }

  private answered(frame: Buffer): void {
    const r = new WireReader(frame);
    const id = r.u32();
    const status = r.u8();
    const p = this.pending.get(id);
    if (p === undefined) return; // nobody waits for it any more
    this.pending.delete(id);
    clearTimeout(p.timer);
    if (status === FAILED) p.reject(errorOf(r.json()));
    else p.resolve(r);
  }

  private gone(cause?: Error): ClientError {
    const who = this.greeting === undefined ? 'The process serving the embedded log' : `Process ${this.greeting.pid}, the 'streams run' serving the embedded log,`;
    return new ClientError(
      `${who} closed the connection on ${this.path}${cause === undefined ? '' : ` (${cause.message})`}: it stopped. Run the command again: with no 'streams run' holding the log, it opens the log itself.`,
      'unreachable',
      { cause },
    );
  }

  private stuck(request: RequestOptions, limitMs: number): ClientError {
    const pid = this.greeting?.pid;
    const who = pid === undefined ? 'The process serving the embedded log' : `Process ${pid}, the 'streams run' serving the embedded log,`;
    const stop = pid === undefined ? 'stop it' : `stop it (Ctrl-C where it runs, or kill ${pid})`;
    return new ClientError(
      `${who} did not answer ${request.what} within ${limitMs / 1000} s on ${this.path}: it is stuck (suspended with Ctrl-Z, or too busy to answer).` +
        `${request.unknownOutcome === undefined ? '' : ` ${request.unknownOutcome}`} ` +
        `Resume it (fg where it runs${pid === undefined ? '' : `, or kill -CONT ${pid}`}) or ${stop}, then run this command again: with no 'streams run' holding the log, it opens the log itself.`,
      'unreachable',
    );
  }

  private drop(error: ClientError): void {
    this.lost ??= error;
    for (const p of this.pending.values()) {
      clearTimeout(p.timer);
      p.reject(this.lost);
    }
    this.pending.clear();
    this.socket.destroy();
  }

  /** Closes the connection; pending requests reject. Idempotent. */
  close(): void {
    this.drop(new ClientError(`The connection to the embedded log's socket ${this.path} was closed.`, 'fatal'));
  }
}
