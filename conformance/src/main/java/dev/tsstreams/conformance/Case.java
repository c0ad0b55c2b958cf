package dev.tsstreams.conformance;

import org.apache.kafka.streams.StreamsBuilder;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * One conformance case: a Kafka Streams DSL topology, the topics/stores it declares with their serdes,
 * and an exact input script. Built fluently:
 * <pre>
 * Case.of("name", "what it pins")
 *     .input("input", Codec.STRING, Codec.STRING)
 *     .output("output", Codec.STRING, Codec.LONG)
 *     .topology(b -> ...)
 *     .pipe("input", "k1", "v1", 1000)
 *     .advance(60_000);
 * </pre>
 */
public final class Case {
    public static final String CACHE_KEY = "statestore.cache.max.bytes";

    public final String name;
    public final String description;
    public final Map<String, String> config = new LinkedHashMap<>();
    public final Map<String, Codec[]> inputs = new LinkedHashMap<>();
    public final Map<String, Codec[]> outputs = new LinkedHashMap<>();
    public final Map<String, Codec[]> stores = new LinkedHashMap<>();
    public final List<Step> script = new ArrayList<>();
    public Consumer<StreamsBuilder> topology;

    private Case(String name, String description) {
        this.name = name;
        this.description = description;
        config.put(CACHE_KEY, "0");
    }

    public static Case of(String name, String description) {
        return new Case(name, description);
    }

    public Case config(String key, String value) { config.put(key, value); return this; }

    /** Caching ON with a 10 MiB cache. */
    public Case caching() { return config(CACHE_KEY, "10485760"); }

    public Case input(String topic, Codec key, Codec value) { inputs.put(topic, new Codec[]{key, value}); return this; }

    public Case output(String topic, Codec key, Codec value) { outputs.put(topic, new Codec[]{key, value}); return this; }

    public Case store(String name, Codec key, Codec value) { stores.put(name, new Codec[]{key, value}); return this; }

    public Case topology(Consumer<StreamsBuilder> t) { this.topology = t; return this; }

    /** Pipe one record; headers given as alternating key, value (value may be null). */
    public Case pipe(String topic, Object key, Object value, long timestamp, String... headers) {
        if (!inputs.containsKey(topic)) throw new IllegalArgumentException(name + ": undeclared input topic " + topic);
        if (headers.length % 2 != 0) throw new IllegalArgumentException("headers must be key/value pairs");
        script.add(new Pipe(topic, key, value, timestamp, headers));
        return this;
    }

    /** Pipe to the only declared input topic. */
    public Case pipe(Object key, Object value, long timestamp, String... headers) {
        if (inputs.size() != 1) throw new IllegalStateException(name + ": pipe without topic needs exactly one input");
        return pipe(inputs.keySet().iterator().next(), key, value, timestamp, headers);
    }

    public Case advance(long ms) { script.add(new Advance(ms)); return this; }

    public sealed interface Step permits Pipe, Advance {}

    public record Pipe(String topic, Object key, Object value, long timestamp, String[] headers) implements Step {}

    public record Advance(long ms) implements Step {}
}
