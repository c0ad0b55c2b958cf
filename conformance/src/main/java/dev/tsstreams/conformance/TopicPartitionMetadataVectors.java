package dev.tsstreams.conformance;

import java.lang.reflect.Field;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.processor.internals.ProcessorMetadata;
import org.apache.kafka.streams.processor.internals.TopicPartitionMetadata;

/**
 * What Kafka Streams 4.4.0 itself commits as an input offset's metadata (TopicPartitionMetadata#encode: a version
 * byte, the partition time and the task's ProcessorMetadata, base64) for partition times and processor metadata put
 * in a given order, how it reads committed metadata back (TopicPartitionMetadata#decode, malformed text included),
 * and how it merges the metadata of a task's partitions (ProcessorMetadata#update) — as JSON on stdout.
 * packages/runtime/test/fixtures/topic-partition-metadata-vectors.json holds it; topic-partition-metadata.test.ts
 * checks ours against it. Run (no Maven needed: kafka-streams' jar is in conformance/.m2, the broker's jars have the
 * rest):
 *
 *   javac -cp "conformance/.m2/org/apache/kafka/kafka-streams/4.4.0/kafka-streams-4.4.0.jar:$(ls -d .kafka/lib-*)/*" \
 *     -d /tmp/vectors conformance/src/main/java/dev/tsstreams/conformance/TopicPartitionMetadataVectors.java
 *   java -cp "/tmp/vectors:conformance/.m2/org/apache/kafka/kafka-streams/4.4.0/kafka-streams-4.4.0.jar:$(ls -d .kafka/lib-*)/*" \
 *     dev.tsstreams.conformance.TopicPartitionMetadataVectors
 */
public final class TopicPartitionMetadataVectors {
  private TopicPartitionMetadataVectors() {}

  /** One put of ProcessorContext#addProcessorMetadataKeyValue. */
  private record Put(String key, long value) {}

  private static Put put(String key, long value) {
    return new Put(key, value);
  }

  public static void main(String[] args) throws Exception {
    List<String> encode = new ArrayList<>();
    List<String> texts = new ArrayList<>();
    Object[][] cases = {
      // no emit-final aggregation: the partition time alone
      {10_000L, List.of()},
      // one aggregation emitting on window close (the default store name of the first aggregation)
      {1_796_527_094_818L, List.of(put("KSTREAM-AGGREGATE-STATE-STORE-0000000001", 1_796_527_034_818L))},
      // a partition nothing was processed from yet: unknown partition time, the task's metadata all the same
      {-1L, List.of(put("counts-per-minute", 120_000L))},
      // several, put in an order Java's HashMap does not iterate (three share a bucket), one put again
      {5_000L, List.of(
          put("KSTREAM-AGGREGATE-STATE-STORE-0000000004", 60_000L),
          put("counts-per-minute", 30_000L),
          put("sessions", 45_000L),
          put("KSTREAM-AGGREGATE-STATE-STORE-0000000011", 0L),
          put("counts-per-minute", 90_000L))},
      // a name whose UTF-8 is longer than its characters
      {7L, List.of(put("päge-views-ünïcode", 1L))},
      // thirty: the table resizes twice (past 12 and 24 entries)
      {123_456_789L, numbered("KSTREAM-AGGREGATE-STATE-STORE-", 30)},
      // ten names in one bucket of 16: a ninth and a tenth in the same bucket resize the table instead of a tree
      {42L, List.of(
          put("window-store-4", 4L), put("window-store-18", 18L), put("window-store-29", 29L), put("window-store-90", 90L),
          put("window-store-100", 100L), put("window-store-111", 111L), put("window-store-122", 122L),
          put("window-store-133", 133L), put("window-store-144", 144L), put("window-store-155", 155L))},
      // the extremes of a long
      {0L, List.of(put("max", Long.MAX_VALUE), put("min", Long.MIN_VALUE))},
    };
    for (Object[] c : cases) {
      long partitionTime = (Long) c[0];
      @SuppressWarnings("unchecked")
      List<Put> puts = (List<Put>) c[1];
      ProcessorMetadata metadata = new ProcessorMetadata();
      for (Put p : puts) metadata.put(p.key(), p.value());
      String text = new TopicPartitionMetadata(partitionTime, metadata).encode();
      texts.add(text);
      StringBuilder s = new StringBuilder("    {\"partitionTime\": \"" + partitionTime + "\", \"puts\": [");
      for (int i = 0; i < puts.size(); i++) {
        s.append(i == 0 ? "" : ", ").append("[").append(json(puts.get(i).key())).append(", \"").append(puts.get(i).value()).append("\"]");
      }
      encode.add(s.append("], \"text\": ").append(json(text)).append("}").toString());
    }

    // Read back: what ts-streams and Kafka Streams commit, then what a reader must tolerate.
    texts.add(b64(bytes(1, longBytes(10_000L), ints(1, 1), "a".getBytes(StandardCharsets.UTF_8), longBytes(5L)))); // version 1: the rest unread
    texts.add(b64(bytes(2, longBytes(10_000L), ints(1, 5), "ab".getBytes(StandardCharsets.UTF_8)))); // entry cut short
    texts.add(b64(bytes(2, longBytes(10_000L), ints(-1)))); // negative entry count
    texts.add(b64(bytes(2, longBytes(10_000L), ints(1, -3), longBytes(5L)))); // negative key length
    texts.add(b64(bytes(2, longBytes(10_000L), ints(0)))); // no entries
    texts.add(b64(bytes(2, longBytes(10_000L), new byte[] {0, 0}))); // too short for a count
    texts.add(b64(bytes(2, longBytes(10_000L), ints(1, 1), "a".getBytes(StandardCharsets.UTF_8), longBytes(5L), new byte[] {9, 9, 9}))); // trailing bytes
    texts.add(b64(bytes(2, longBytes(10_000L), ints(2, 1), "a".getBytes(StandardCharsets.UTF_8), longBytes(5L), ints(1), "a".getBytes(StandardCharsets.UTF_8), longBytes(3L)))); // a name twice
    texts.add(b64(bytes(2, longBytes(-1L), ints(1, 1), "a".getBytes(StandardCharsets.UTF_8), longBytes(Long.MAX_VALUE)))); // the largest long
    texts.add(b64(bytes(3, longBytes(10_000L)))); // unknown version
    texts.add(b64(bytes(2, new byte[] {0, 0, 0}))); // too short for the partition time
    String unpadded = b64(bytes(2, longBytes(10_000L), new byte[] {0}));
    texts.add(unpadded.replace("=", "")); // no padding: Java's decoder reads it
    texts.add(unpadded.substring(0, unpadded.length() - 1)); // half the padding
    texts.add(b64(bytes(2, longBytes(10_000L))) + "===="); // padding where none belongs
    texts.add(Base64.getUrlEncoder().encodeToString(bytes(2, longBytes(-1L)))); // the URL-safe alphabet
    texts.add("AgAAAAAAACcQ\n"); // a line break
    texts.add("not base64 at all");
    texts.add("event-id-3");
    texts.add("");
    List<String> decode = new ArrayList<>();
    for (String text : texts) {
      TopicPartitionMetadata read = TopicPartitionMetadata.decode(text);
      decode.add("    {\"text\": " + json(text) + ", \"partitionTime\": \"" + read.partitionTime() + "\", \"entries\": " + entries(read.processorMetadata()) + "}");
    }

    // A task's partitions merged when it starts (StreamTask#initializeTaskTimeAndProcessorMetadata).
    ProcessorMetadata merged = new ProcessorMetadata();
    Map<String, Long> first = new LinkedHashMap<>();
    first.put("a", 5L);
    first.put("b", 7L);
    Map<String, Long> second = new LinkedHashMap<>();
    second.put("c", -1L);
    second.put("a", 9L);
    second.put("b", 2L);
    merged.update(new ProcessorMetadata(first));
    merged.update(new ProcessorMetadata(second));
    String merge = "{\"first\": " + entries(new ProcessorMetadata(first)) + ", \"second\": " + entries(new ProcessorMetadata(second))
        + ", \"merged\": " + entries(merged) + ", \"needsCommit\": " + merged.needsCommit() + "}";

    System.out.println("{");
    System.out.println("  \"encode\": [\n" + String.join(",\n", encode) + "\n  ],");
    System.out.println("  \"decode\": [\n" + String.join(",\n", decode) + "\n  ],");
    System.out.println("  \"merge\": " + merge);
    System.out.println("}");
  }

  private static List<Put> numbered(String prefix, int n) {
    List<Put> out = new ArrayList<>();
    for (int i = 0; i < n; i++) out.add(put(prefix + String.format("%010d", i), 1000L * i));
    return out;
  }

  /** The processor metadata's entries in its map's iteration order, values as decimal strings (longs). */
  @SuppressWarnings("unchecked")
  private static String entries(ProcessorMetadata metadata) throws ReflectiveOperationException {
    Field f = ProcessorMetadata.class.getDeclaredField("metadata");
    f.setAccessible(true);
    Map<String, Long> map = (Map<String, Long>) f.get(metadata);
    StringBuilder s = new StringBuilder("[");
    for (Map.Entry<String, Long> e : map.entrySet()) {
      s.append(s.length() == 1 ? "" : ", ").append("[").append(json(e.getKey())).append(", \"").append(e.getValue()).append("\"]");
    }
    return s.append("]").toString();
  }

  private static byte[] longBytes(long v) {
    return ByteBuffer.allocate(8).putLong(v).array();
  }

  private static byte[] ints(int... vs) {
    ByteBuffer b = ByteBuffer.allocate(4 * vs.length);
    for (int v : vs) b.putInt(v);
    return b.array();
  }

  private static byte[] bytes(int version, byte[]... parts) {
    int n = 1;
    for (byte[] p : parts) n += p.length;
    ByteBuffer b = ByteBuffer.allocate(n).put((byte) version);
    for (byte[] p : parts) b.put(p);
    return b.array();
  }

  private static String b64(byte[] b) {
    return Base64.getEncoder().encodeToString(b);
  }

  /** A JSON string, non-ASCII and control characters escaped. */
  private static String json(String s) {
    StringBuilder out = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      if (c == '"' || c == '\\') out.append('\\').append(c);
      else if (c < 0x20 || c > 0x7e) out.append(String.format("\\u%04x", (int) c));
      else out.append(c);
    }
    return out.append('"').toString();
  }
}
