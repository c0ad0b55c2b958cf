// When a broker we started can serve the tests: it lists itself in a Metadata response (in KRaft only an unfenced
// broker is listed, so topics can be created), and its group coordinator has created and loaded the offsets topic.
// A consumer group is the first thing most tests form; on a fresh broker the first group would otherwise meet
// COORDINATOR_LOAD_IN_PROGRESS / NOT_COORDINATOR, and kafkajs, crashing and rejoining, re-delivers what it had
// not committed yet. Kafka's own test clusters wait for the same (EmbeddedKafkaCluster#verifyClusterReadiness).
import { OFFSETS_TOPIC_PARTITIONS } from './broker-config.ts';
import { kafkaRequest, Writer } from './kafka-request.ts';

const METADATA = 3;
const FIND_COORDINATOR = 10;
const OFFSET_FETCH = 9;
/** Coordinator errors that mean "not yet": COORDINATOR_LOAD_IN_PROGRESS, COORDINATOR_NOT_AVAILABLE, NOT_COORDINATOR. */
const NOT_YET = new Set([14, 15, 16]);
const GROUP_ID_NOT_FOUND = 69;

export interface ClusterBroker {
  nodeId: number;
  host: string;
  port: number;
}

/** The brokers the cluster at 127.0.0.1:port lists (Metadata v1 with no topics: brokers only). */
export async function probeBrokers(port: number, timeoutMs: number): Promise<ClusterBroker[]> {
  const response = await kafkaRequest(port, METADATA, 1, new Writer().int32(0).bytes(), timeoutMs);
  const brokers: ClusterBroker[] = [];
  for (let count = response.int32(), i = 0; i < count; i++) {
    const nodeId = response.int32();
    const host = response.string()!;
    const port = response.int32();
    response.string(); // rack
    brokers.push({ nodeId, host, port });
  }
  return brokers;
}

/** Whether a broker listens on 127.0.0.1:port and lists a broker. */
export async function brokerAnswers(port: number): Promise<boolean> {
  try {
    return (await probeBrokers(port, 2_000)).length > 0;
  } catch {
    return false;
  }
}

/**
 * Whether every partition of the offsets topic has a loaded group coordinator: for a group mapped to each, the
 * coordinator is found (the first FindCoordinator creates the topic) and answers an OffsetFetch without a
 * "not yet" error. Throws on any other error.
 */
export async function groupCoordinatorReady(port: number, timeoutMs: number): Promise<boolean> {
  for (const group of warmUpGroups()) {
    const found = await kafkaRequest(port, FIND_COORDINATOR, 1, new Writer().string(group).int8(0).bytes(), timeoutMs);
    found.int32(); // throttle time
    const findError = found.int16();
    if (NOT_YET.has(findError)) return false;
    if (findError !== 0) throw new Error(`FindCoordinator for ${group} failed with error code ${findError}`);
    // OffsetFetch v3: the group, null topics (all); the response ends with the group's error code.
    const fetched = await kafkaRequest(port, OFFSET_FETCH, 3, new Writer().string(group).int32(-1).bytes(), timeoutMs);
    fetched.int32(); // throttle time
    for (let topics = fetched.int32(), t = 0; t < topics; t++) {
      fetched.string();
      for (let partitions = fetched.int32(), p = 0; p < partitions; p++) {
        fetched.int32();
        fetched.int64();
        fetched.string();
        fetched.int16();
      }
    }
    const fetchError = fetched.int16();
    if (NOT_YET.has(fetchError)) return false;
    if (fetchError !== 0 && fetchError !== GROUP_ID_NOT_FOUND) {
      throw new Error(`OffsetFetch for ${group} failed with error code ${fetchError}`);
    }
  }
  return true;
}

/** Group ids that the coordinator maps to partitions 0…4 (abs(String#hashCode) % partitions, as Kafka does). */
function warmUpGroups(): string[] {
  const groups: string[] = [];
  for (let i = 0; groups.filter(Boolean).length < OFFSETS_TOPIC_PARTITIONS; i++) {
    const group = `ts-streams-warm-up-${i}`;
    const partition = javaAbs(javaHashCode(group)) % OFFSETS_TOPIC_PARTITIONS;
    groups[partition] ??= group;
  }
  return groups;
}

function javaHashCode(text: string): number {
  let hash = 0;
  for (let i = 0; i < text.length; i++) hash = (Math.imul(hash, 31) + text.charCodeAt(i)) | 0;
  return hash;
}

/** Kafka's Utils.abs: Integer.MIN_VALUE maps to 0. */
function javaAbs(n: number): number {
  return n === -2147483648 ? 0 : Math.abs(n);
}
