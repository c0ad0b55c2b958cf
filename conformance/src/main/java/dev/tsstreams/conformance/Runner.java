package dev.tsstreams.conformance;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Queue;
import java.util.function.Function;

/** Runs one {@link Case} through TopologyTestDriver and renders the result as the case JSON tree. */
public final class Runner {
    public static final String KAFKA_STREAMS_VERSION = "4.4.0";
    private static final HexFormat HEX = HexFormat.of();

    private Runner() {}

    public static Map<String, Object> run(Case c, Path stateDir) throws Exception {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "conformance-" + c.name);
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "dummy:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        props.putAll(c.config);

        StreamsBuilder builder = new StreamsBuilder();
        c.topology.accept(builder);
        Topology topology = builder.build(props);
        String describe = topology.describe().toString();

        List<ProducerRecord<byte[], byte[]>> emitted = new ArrayList<>();
        List<Object> inputs = new ArrayList<>();
        Map<String, Object> stores = new LinkedHashMap<>();

        TopologyTestDriver driver = new TopologyTestDriver(topology, props, Instant.ofEpochMilli(0));
        {
            installRecorder(driver, emitted);
            Map<String, TestInputTopic<byte[], byte[]>> topics = new HashMap<>();
            for (String t : c.inputs.keySet()) {
                topics.put(t, driver.createInputTopic(t, new ByteArraySerializer(), new ByteArraySerializer()));
            }
            for (Case.Step step : c.script) {
                if (step instanceof Case.Pipe p) {
                    Codec[] codecs = c.inputs.get(p.topic());
                    byte[] k = codecs[0].serialize(p.key());
                    byte[] v = codecs[1].serialize(p.value());
                    RecordHeaders headers = new RecordHeaders();
                    List<Object> hs = new ArrayList<>();
                    for (int i = 0; i < p.headers().length; i += 2) {
                        byte[] hv = p.headers()[i + 1] == null ? null : p.headers()[i + 1].getBytes(StandardCharsets.UTF_8);
                        headers.add(p.headers()[i], hv);
                        hs.add(header(p.headers()[i], hv));
                    }
                    topics.get(p.topic()).pipeInput(new TestRecord<>(k, v, headers, p.timestamp()));
                    Map<String, Object> in = new LinkedHashMap<>();
                    in.put("op", "pipe");
                    in.put("topic", p.topic());
                    in.put("key", bytes(k, codecs[0]));
                    in.put("value", bytes(v, codecs[1]));
                    in.put("timestamp", p.timestamp());
                    in.put("headers", hs);
                    inputs.add(in);
                } else if (step instanceof Case.Advance a) {
                    driver.advanceWallClockTime(Duration.ofMillis(a.ms()));
                    Map<String, Object> in = new LinkedHashMap<>();
                    in.put("op", "advanceWallClock");
                    in.put("ms", a.ms());
                    inputs.add(in);
                }
            }
            for (Map.Entry<String, Codec[]> s : c.stores.entrySet()) {
                KeyValueStore<Object, Object> store = driver.getKeyValueStore(s.getKey());
                if (store == null) throw new IllegalStateException(c.name + ": no key-value store " + s.getKey());
                List<Object> rows = new ArrayList<>();
                try (KeyValueIterator<Object, Object> it = store.all()) {
                    while (it.hasNext()) {
                        KeyValue<Object, Object> kv = it.next();
                        Map<String, Object> row = new LinkedHashMap<>();
                        row.put("key", bytes(s.getValue()[0].serialize(kv.key), s.getValue()[0]));
                        row.put("value", bytes(s.getValue()[1].serialize(kv.value), s.getValue()[1]));
                        rows.add(row);
                    }
                }
                stores.put(s.getKey(), rows);
            }
            // records emitted by close() (none expected) would still be appended to `emitted`
            int before = emitted.size();
            driver.close();
            if (emitted.size() != before) {
                System.err.println("note: " + c.name + " emitted " + (emitted.size() - before) + " record(s) during close()");
            }
        }

        Map<String, Object> outputs = new LinkedHashMap<>();
        Map<String, Integer> counters = new HashMap<>();
        for (String t : c.outputs.keySet()) {
            outputs.put(t, new ArrayList<>());
            counters.put(t, 0);
        }
        List<Object> order = new ArrayList<>();
        for (ProducerRecord<byte[], byte[]> r : emitted) {
            Codec[] codecs = c.outputs.get(r.topic());
            if (codecs == null) continue;
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("key", bytes(r.key(), codecs[0]));
            out.put("value", bytes(r.value(), codecs[1]));
            out.put("timestamp", r.timestamp());
            List<Object> hs = new ArrayList<>();
            for (Header h : r.headers()) hs.add(header(h.key(), h.value()));
            out.put("headers", hs);
            @SuppressWarnings("unchecked")
            List<Object> list = (List<Object>) outputs.get(r.topic());
            list.add(out);
            int idx = counters.get(r.topic());
            counters.put(r.topic(), idx + 1);
            order.add(List.of(r.topic(), idx));
        }

        // Every internal topic (changelogs, repartition topics, suppress buffers: names start with the application
        // id), whether or not the case declares it: name (sorted) -> records in send order, bytes only.
        String prefix = props.getProperty(StreamsConfig.APPLICATION_ID_CONFIG) + "-";
        Map<String, List<Object>> internal = new java.util.TreeMap<>();
        for (ProducerRecord<byte[], byte[]> r : emitted) {
            if (!r.topic().startsWith(prefix)) continue;
            Map<String, Object> rec = new LinkedHashMap<>();
            rec.put("key", hex(r.key()));
            rec.put("value", hex(r.value()));
            rec.put("timestamp", r.timestamp());
            List<Object> hs = new ArrayList<>();
            for (Header h : r.headers()) hs.add(header(h.key(), h.value()));
            rec.put("headers", hs);
            internal.computeIfAbsent(r.topic(), k -> new ArrayList<>()).add(rec);
        }

        Map<String, Object> json = new LinkedHashMap<>();
        json.put("name", c.name);
        json.put("description", c.description);
        json.put("kafkaStreams", KAFKA_STREAMS_VERSION);
        json.put("config", new LinkedHashMap<>(c.config));
        json.put("initialWallClockMs", 0L);
        json.put("inputs", inputs);
        json.put("outputs", outputs);
        json.put("order", order);
        json.put("stores", stores);
        json.put("internal", internal);
        json.put("describe", describe);
        return json;
    }

    private static Object bytes(byte[] b, Codec codec) {
        if (b == null) return null;
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("hex", HEX.formatHex(b));
        m.put("text", codec.text(b));
        return m;
    }

    private static Object hex(byte[] b) {
        if (b == null) return null;
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("hex", HEX.formatHex(b));
        return m;
    }

    private static Object header(String key, byte[] value) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("key", key);
        m.put("hex", value == null ? null : HEX.formatHex(value));
        return m;
    }

    /**
     * TopologyTestDriver (4.4.0) keeps only per-topic output queues: in captureOutputsAndReEnqueueInternalResults()
     * it does {@code outputRecordsByTopic.computeIfAbsent(record.topic(), k -> new LinkedList<>()).add(record)} for
     * every record of MockProducer.history(), in send order. We replace that private final map with one whose
     * queues also append to a single global list, which gives the cross-topic emission order.
     */
    private static void installRecorder(TopologyTestDriver driver, List<ProducerRecord<byte[], byte[]>> all) throws Exception {
        Field f = TopologyTestDriver.class.getDeclaredField("outputRecordsByTopic");
        f.setAccessible(true);
        @SuppressWarnings("unchecked")
        Map<String, Queue<ProducerRecord<byte[], byte[]>>> old = (Map<String, Queue<ProducerRecord<byte[], byte[]>>>) f.get(driver);
        if (!old.isEmpty()) throw new IllegalStateException("driver already produced output");
        f.set(driver, new RecordingMap(all));
    }

    private static final class RecordingMap extends HashMap<String, Queue<ProducerRecord<byte[], byte[]>>> {
        private final List<ProducerRecord<byte[], byte[]>> all;

        RecordingMap(List<ProducerRecord<byte[], byte[]>> all) { this.all = all; }

        @Override
        public Queue<ProducerRecord<byte[], byte[]>> computeIfAbsent(
                String key, Function<? super String, ? extends Queue<ProducerRecord<byte[], byte[]>>> fn) {
            return super.computeIfAbsent(key, k -> new RecordingQueue(all));
        }
    }

    private static final class RecordingQueue extends LinkedList<ProducerRecord<byte[], byte[]>> {
        private final List<ProducerRecord<byte[], byte[]>> all;

        RecordingQueue(List<ProducerRecord<byte[], byte[]>> all) { this.all = all; }

        @Override
        public boolean add(ProducerRecord<byte[], byte[]> r) {
            all.add(r);
            return super.add(r);
        }
    }

    static void deleteRecursively(Path p) throws Exception {
        if (!Files.exists(p)) return;
        try (var s = Files.walk(p)) {
            s.sorted(java.util.Comparator.reverseOrder()).forEach(x -> x.toFile().delete());
        }
    }
}
