import type { Bytes, KeyValue } from '../api/bytes.ts';
import type { SessionBytesStore } from '../api/session-store.ts';
import type { ChangelogRecord } from '../api/state-store.ts';
import type { WindowedBytes } from '../api/window-store.ts';
import { ChangeLoggingLayer } from './change-logging-layer.ts';
import { parseSessionChangelogKey, sessionChangelogKey } from './changelog-keys.ts';

/** Logs every session put and remove (Kafka Streams' ChangeLoggingSessionBytesStore): key [key][8-byte end][8-byte start]. */
export class ChangeLoggingSessionStore extends ChangeLoggingLayer<SessionBytesStore> implements SessionBytesStore {
  get retentionPeriod(): number {
    return this.inner.retentionPeriod;
  }

  put(session: WindowedBytes, value: Bytes | null): void {
    this.inner.put(session, value);
    if (!this.discarded()) this.log(sessionChangelogKey(session.key, session.start, session.end), value);
  }

  remove(session: WindowedBytes): void {
    this.inner.remove(session);
    if (!this.discarded()) this.log(sessionChangelogKey(session.key, session.start, session.end), null);
  }

  findSessions(key: Bytes, earliestSessionEndTime: number, latestSessionStartTime: number): Iterable<KeyValue<WindowedBytes, Bytes>> {
    return this.inner.findSessions(key, earliestSessionEndTime, latestSessionStartTime);
  }

  findSessionsRange(keyFrom: Bytes | undefined, keyTo: Bytes | undefined, earliestSessionEndTime: number, latestSessionStartTime: number): Iterable<KeyValue<WindowedBytes, Bytes>> {
    return this.inner.findSessionsRange(keyFrom, keyTo, earliestSessionEndTime, latestSessionStartTime);
  }

  findSessionsByEnd(earliestSessionEndTime: number, latestSessionEndTime: number): Iterable<KeyValue<WindowedBytes, Bytes>> {
    return this.inner.findSessionsByEnd(earliestSessionEndTime, latestSessionEndTime);
  }

  fetchSession(key: Bytes, sessionStart: number, sessionEnd: number): Bytes | undefined {
    return this.inner.fetchSession(key, sessionStart, sessionEnd);
  }

  observedStreamTime(): number {
    return this.inner.observedStreamTime();
  }

  /** A null value removes the session (the put advances stream time all the same, as in Kafka). */
  protected restore(record: ChangelogRecord): void {
    this.inner.put(parseSessionChangelogKey(record.key), record.value);
  }
}
