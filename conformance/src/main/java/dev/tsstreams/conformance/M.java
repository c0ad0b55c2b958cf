package dev.tsstreams.conformance;

import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.SessionStore;
import org.apache.kafka.streams.state.WindowStore;

/** Short-hands for Materialized with explicit serdes. */
final class M {
    private M() {}

    static <K, V> Materialized<K, V, KeyValueStore<Bytes, byte[]>> kv(String name, Serde<K> k, Serde<V> v) {
        return Materialized.<K, V, KeyValueStore<Bytes, byte[]>>as(name).withKeySerde(k).withValueSerde(v);
    }

    static <K, V> Materialized<K, V, KeyValueStore<Bytes, byte[]>> kv(Serde<K> k, Serde<V> v) {
        return Materialized.<K, V, KeyValueStore<Bytes, byte[]>>with(k, v);
    }

    static <K, V> Materialized<K, V, WindowStore<Bytes, byte[]>> win(Serde<K> k, Serde<V> v) {
        return Materialized.<K, V, WindowStore<Bytes, byte[]>>with(k, v);
    }

    static <K, V> Materialized<K, V, WindowStore<Bytes, byte[]>> win(String name, Serde<K> k, Serde<V> v) {
        return Materialized.<K, V, WindowStore<Bytes, byte[]>>as(name).withKeySerde(k).withValueSerde(v);
    }

    static <K, V> Materialized<K, V, SessionStore<Bytes, byte[]>> session(Serde<K> k, Serde<V> v) {
        return Materialized.<K, V, SessionStore<Bytes, byte[]>>with(k, v);
    }
}
