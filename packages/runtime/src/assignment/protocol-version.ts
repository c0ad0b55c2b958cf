import { ProtocolReader } from './protocol-reader.ts';
import type { ProtocolWriter } from './protocol-writer.ts';

/**
 * Versions of ts-streams' rebalance protocol (the userData of its subscriptions and assignments). Every version
 * starts with the same header — a 4-byte magic, the version the message is written in, the latest version its
 * writer can read — so a member reads the header of any version (Kafka Streams' version probing: a leader
 * answers newer members in the highest version all members support).
 */
export const LATEST_PROTOCOL_VERSION = 1;
export const MIN_PROTOCOL_VERSION = 1;

/** "TSS" + 'S' (subscription) or 'A' (assignment): tells the two apart, and both from other clients' bytes. */
export const SUBSCRIPTION_MAGIC = Buffer.from('TSSS', 'latin1');
export const ASSIGNMENT_MAGIC = Buffer.from('TSSA', 'latin1');

export interface ProtocolHeader {
  /** The version the message is written in. */
  readonly version: number;
  /** The latest version its writer can read. */
  readonly latestSupportedVersion: number;
}

export function writeHeader(w: ProtocolWriter, magic: Buffer, header: ProtocolHeader): void {
  checkVersion(header.version, 'version');
  if (!Number.isInteger(header.latestSupportedVersion) || header.latestSupportedVersion < header.version) {
    throw new RangeError(`latestSupportedVersion ${header.latestSupportedVersion} must be an integer no lower than the version ${header.version}.`);
  }
  w.bytes(magic).int32(header.version).int32(header.latestSupportedVersion);
}

/** Reads the header of a message of any version; the caller decides whether it can read the rest. */
export function readHeader(r: ProtocolReader, magic: Buffer, what: string): ProtocolHeader {
  const m = r.bytes(magic.length, 'the magic bytes');
  if (!m.equals(magic)) r.fail(`it does not start with ts-streams' ${what} magic '${magic.toString('latin1')}' (is another client in the group?)`, magic.length);
  const version = r.int32('the version');
  const latestSupportedVersion = r.int32('the latest supported version');
  if (version < 1 || latestSupportedVersion < version) r.fail(`version ${version} with latest supported version ${latestSupportedVersion} is not a valid pair`, 8);
  return { version, latestSupportedVersion };
}

/** The header of a subscription or assignment, whatever its version; undefined when it is not one. */
export function peekHeader(bytes: Buffer, kind: 'subscription' | 'assignment'): ProtocolHeader | undefined {
  try {
    return readHeader(new ProtocolReader(bytes), kind === 'subscription' ? SUBSCRIPTION_MAGIC : ASSIGNMENT_MAGIC, kind);
  } catch {
    return undefined;
  }
}

function checkVersion(v: number, what: string): void {
  if (!Number.isInteger(v) || v < MIN_PROTOCOL_VERSION || v > LATEST_PROTOCOL_VERSION) {
    throw new RangeError(`${what} ${v} is not a protocol version this ts-streams writes (${MIN_PROTOCOL_VERSION}..${LATEST_PROTOCOL_VERSION}).`);
  }
}
