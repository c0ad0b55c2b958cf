import { chmodSync, lstatSync, unlinkSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import type { KafkaAdmin } from '../../client/kafka-admin.ts';
import type { FetchedPartition } from '../../client/fetched-partition.ts';
import type { RawRecord } from '../../io/raw-record.ts';
import { ClientError } from '../../errors/client-error.ts';
import type { EmbeddedLog } from '../embedded-log.ts';
import { EmbeddedAdmin } from '../embedded-admin.ts';
import { EmbeddedProducer } from '../embedded-producer.ts';
import { EmbeddedAssignedConsumer } from '../embedded-assigned-consumer.ts';
import { RecordEncoder } from '../log-record-codec.ts';
import { FrameSplitter } from './frame-splitter.ts';
import { WireReader } from './wire-reader.ts';
import { WireWriter } from './wire-writer.ts';
import { logSocketPath } from './socket-path.ts';
import { FAILED, OK, Op, PROTOCOL_VERSION, decodeFetch, decodeProduce, encodeFetched, failureOf, type Hello } from './log-protocol.ts';

/** The longest a FETCH waits for records on the server, whatever it asks: a client polls again. */
const MAX_FETCH_WAIT_MS = 30_000;

/**
 * The most record bytes one FETCH answers with (as Kafka's fetch.max.bytes, 50 MiB there): a poll of 1,000 records
 * of a topic of large values would otherwise be one frame of gigabytes. At least one record always goes.
 */
export const MAX_FETCH_BYTES = 16 << 20;

/** The admin calls served (ADMIN), by name: each takes its arguments as JSON and answers JSON. */
const ADMIN_CALLS: Record<string, (admin: KafkaAdmin, args: readonly unknown[]) => Promise<unknown>> = {
  createTopics: (a, [topics]) => a.createTopics(topics as Parameters<KafkaAdmin['createTopics']>[0]),
  describeTopics: async (a, [topics]) => [...(await a.describeTopics(topics as readonly string[]))],
  listOffsets: (a, [partitions, which]) => a.listOffsets(partitions as Parameters<KafkaAdmin['listOffsets']>[0], which as 'earliest' | 'latest'),
  deleteRecords: (a, [before]) => a.deleteRecords(before as Parameters<KafkaAdmin['deleteRecords']>[0]),
  listTopics: (a) => a.listTopics(),
  deleteTopics: (a, [topics]) => a.deleteTopics(topics as readonly string[]),
  committedOffsets: (a, [groupId, topics]) => a.committedOffsets(groupId as string, topics as readonly string[]),
  alterCommittedOffsets: (a, [groupId, offsets]) => a.alterCommittedOffsets(groupId as string, offsets as Parameters<KafkaAdmin['alterCommittedOffsets']>[1]),
};

/**
 * Serves an open embedded log on a local socket (logSocketPath: `<log dir>/embedded.sock`), so that while one
 * process — a `streams run` — holds the log, the other `streams` commands reach it through that process
 * (LogSocketClient) instead of being refused. Speaks log-protocol.ts: the admin's calls, producing batches (through
 * one producer of the log's own, which writes the sends of a turn of the event loop together) and fetching from
 * positions (long-polling until records come or the fetch's timeout passes). Requests of a connection are answered
 * as each is ready, several in flight.
 *
 * Only what the other commands need: no consumer group (an application runs in the process holding the log, not
 * through it) and no transactions. The socket is the user's own (mode 0600); a socket file left by a process that
 * died is removed first (whoever serves holds the log's lock, so no live server can own it).
 */
export class LogServer {
  private readonly sockets = new Set<Socket>();
  private readonly admin: EmbeddedAdmin;
  private readonly producer: EmbeddedProducer;
  private readonly encoder = new RecordEncoder();
  private closing: Promise<void> | undefined;

  private constructor(
    private readonly log: EmbeddedLog,
    /** Where it listens. */
    readonly path: string,
    private readonly server: Server,
  ) {
    this.admin = new EmbeddedAdmin(log);
    this.producer = new EmbeddedProducer(log, {});
    server.on('connection', (socket) => this.accept(socket));
  }

  /** Listens on the log's socket (or `path`); rejects naming the path and the cause when it cannot. */
  static async listen(log: EmbeddedLog, path: string = logSocketPath(log.dir)): Promise<LogServer> {
    removeStaleSocket(path);
    const server = createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(path, () => {
        server.off('error', reject);
        resolve();
      });
    }).catch((e: unknown) => {
      throw new ClientError(`Cannot serve the embedded log on ${path}: ${(e as Error)?.message ?? String(e)}.`, 'fatal', { cause: e });
    });
    if (process.platform !== 'win32') chmodSync(path, 0o600);
    return new LogServer(log, path, server);
  }

  private accept(socket: Socket): void {
    this.sockets.add(socket);
    /** The fetches this connection has waiting: closed with it, so that a long poll ends when its client goes. */
    const fetches = new Set<EmbeddedAssignedConsumer>();
    const splitter = new FrameSplitter((frame) => this.handle(socket, frame, fetches));
    socket.on('data', (chunk: Buffer) => {
      try {
        splitter.push(chunk);
      } catch {
        socket.destroy(); // not our protocol
      }
    });
    socket.on('error', () => undefined); // a client that went away: 'close' follows
    socket.on('close', () => {
      this.sockets.delete(socket);
      for (const f of fetches) void f.close();
    });
  }

  private handle(socket: Socket, frame: Buffer, fetches: Set<EmbeddedAssignedConsumer>): void {
    const r = new WireReader(frame);
    let id: number;
    let op: number;
    try {
      id = r.u32();
      op = r.u8();
    } catch {
      socket.destroy();
      return;
    }
    const w = new WireWriter().u32(id).u8(OK);
    this.answer(op, r, w, fetches).then(
      () => this.send(socket, w.finish()),
      (e: unknown) => this.send(socket, new WireWriter().u32(id).u8(FAILED).json(failureOf(e)).finish()),
    );
  }

  private async answer(op: number, r: WireReader, w: WireWriter, fetches: Set<EmbeddedAssignedConsumer>): Promise<void> {
    if (this.closing !== undefined) throw new ClientError(`The process serving the embedded log in ${this.log.dir} is stopping.`, 'unreachable');
    switch (op) {
      case Op.HELLO: {
        const { protocol } = r.json<{ protocol: number }>();
        if (protocol !== PROTOCOL_VERSION) {
          throw new ClientError(`The process serving the embedded log (pid ${process.pid}) speaks version ${PROTOCOL_VERSION} of its socket protocol, this command ${protocol}: run both from the same installation of @ts-streams/runtime.`, 'fatal');
        }
        w.json({ protocol: PROTOCOL_VERSION, pid: process.pid, dir: this.log.dir } satisfies Hello);
        return;
      }
      case Op.ADMIN: {
        const { method, args } = r.json<{ method: string; args: unknown[] }>();
        const call = Object.hasOwn(ADMIN_CALLS, method) ? ADMIN_CALLS[method] : undefined;
        if (call === undefined) throw new ClientError(`The embedded log's socket serves no admin call '${method}'.`, 'fatal');
        w.json((await call(this.admin, args)) ?? null);
        return;
      }
      case Op.PRODUCE: {
        w.json(await this.producer.send(decodeProduce(r)));
        return;
      }
      case Op.FETCH: {
        const request = decodeFetch(r);
        const consumer = new EmbeddedAssignedConsumer(this.log);
        fetches.add(consumer);
        try {
          consumer.assign(request.partitions);
          for (const p of request.partitions) consumer.seek(p, p.position);
          const fetched = await consumer.poll({ maxRecords: Math.max(1, request.maxRecords), timeoutMs: Math.min(request.timeoutMs, MAX_FETCH_WAIT_MS) });
          encodeFetched(w, withinBytes(fetched, MAX_FETCH_BYTES), this.encoder);
        } finally {
          fetches.delete(consumer);
          await consumer.close();
        }
        return;
      }
      default:
        throw new ClientError(`The embedded log's socket has no operation ${op}: the command speaks another protocol.`, 'fatal');
    }
  }

  private send(socket: Socket, frame: Buffer): void {
    if (!socket.destroyed) socket.write(frame);
  }

  /**
   * Stops serving: no new connection, open ones closed (their waiting fetches end, a client's next call fails
   * saying the process stopped), sends in progress written. The socket file is removed. Idempotent; the log stays
   * open (its opener closes it after).
   */
  close(): Promise<void> {
    this.closing ??= (async () => {
      const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
      for (const s of this.sockets) s.destroy();
      await this.producer.close();
      await closed;
    })();
    return this.closing;
  }
}

/** A socket file at `path` left by a process that died (the caller holds the log): removed. Anything else there is an error. */
function removeStaleSocket(path: string): void {
  if (process.platform === 'win32') return;
  let stat;
  try {
    stat = lstatSync(path);
  } catch {
    return; // nothing there
  }
  if (!stat.isSocket()) throw new ClientError(`Cannot serve the embedded log on ${path}: something that is not a socket is there. Move it away.`, 'fatal');
  unlinkSync(path);
}

/**
 * The fetched batches cut to about `maxBytes` of records (the first record always kept): a partition cut short
 * resumes from its first record left out (nextOffset), its lag counting what was left.
 */
function withinBytes(fetched: readonly FetchedPartition[], maxBytes: number): readonly FetchedPartition[] {
  let bytes = 0;
  let kept = 0;
  return fetched.map((f) => {
    let n = 0;
    for (; n < f.records.length; n++) {
      const size = sizeOf(f.records[n]!);
      if (kept > 0 && bytes + size > maxBytes) break;
      bytes += size;
      kept++;
    }
    if (n === f.records.length) return f;
    const stable = f.nextOffset + (f.lag ?? 0);
    const nextOffset = f.records[n]!.offset!;
    return { ...f, records: f.records.slice(0, n), nextOffset, lag: stable - nextOffset };
  });
}

function sizeOf(r: RawRecord): number {
  let size = 32 + (r.key?.length ?? 0) + (r.value?.length ?? 0);
  for (const h of r.headers) size += 8 + h.key.length + (h.value?.length ?? 0);
  return size;
}
