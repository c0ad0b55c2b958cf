package dev.tsstreams.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.kstream.WindowedSerdes;

import java.nio.charset.StandardCharsets;
import java.util.function.Function;

/**
 * How one side (key or value) of a topic or store is (de)serialized, plus how its bytes are rendered
 * as the informational {@code text} field of the JSON.
 */
public final class Codec {
    public final String name;
    private final Serializer<Object> serializer;
    private final Function<byte[], Object> text;

    @SuppressWarnings("unchecked")
    private <T> Codec(String name, Serde<T> serde, Function<byte[], Object> text) {
        this.name = name;
        this.serializer = (Serializer<Object>) serde.serializer();
        this.text = text;
    }

    public byte[] serialize(Object value) {
        return value == null ? null : serializer.serialize("", value);
    }

    /** JSON-ready human readable rendering of non-null bytes. */
    public Object text(byte[] bytes) {
        return text.apply(bytes);
    }

    public static final ObjectMapper MAPPER = new ObjectMapper();

    public static final Codec STRING = new Codec("string", Serdes.String(),
            b -> new String(b, StandardCharsets.UTF_8));
    public static final Codec LONG = new Codec("long", Serdes.Long(),
            b -> Serdes.Long().deserializer().deserialize("", b));
    public static final Codec INTEGER = new Codec("integer", Serdes.Integer(),
            b -> Serdes.Integer().deserializer().deserialize("", b));
    /** Doubles are rendered as Java's Double.toString text (a JSON string) to avoid float formatting drift. */
    public static final Codec DOUBLE = new Codec("double", Serdes.Double(),
            b -> String.valueOf(Serdes.Double().deserializer().deserialize("", b)));
    /** JSON values: compact Jackson bytes; text is the JSON text. */
    public static final Codec JSON = new Codec("json", JsonSerde.INSTANCE,
            b -> new String(b, StandardCharsets.UTF_8));

    /** Time-windowed String keys: [key@start/end]. */
    public static Codec timeWindowedString(long sizeMs) {
        Deserializer<Windowed<String>> d = WindowedSerdes.timeWindowedSerdeFrom(String.class, sizeMs).deserializer();
        return new Codec("timeWindowed<string," + sizeMs + ">", WindowedSerdes.timeWindowedSerdeFrom(String.class, sizeMs),
                b -> d.deserialize("", b).toString());
    }

    /** Time-windowed Long keys: [key@start/end]. */
    public static Codec timeWindowedLong(long sizeMs) {
        Deserializer<Windowed<Long>> d = WindowedSerdes.timeWindowedSerdeFrom(Long.class, sizeMs).deserializer();
        return new Codec("timeWindowed<long," + sizeMs + ">", WindowedSerdes.timeWindowedSerdeFrom(Long.class, sizeMs),
                b -> d.deserialize("", b).toString());
    }

    /** Session-windowed String keys: [key@start/end]. */
    public static Codec sessionWindowedString() {
        Deserializer<Windowed<String>> d = WindowedSerdes.sessionWindowedSerdeFrom(String.class).deserializer();
        return new Codec("sessionWindowed<string>", WindowedSerdes.sessionWindowedSerdeFrom(String.class),
                b -> d.deserialize("", b).toString());
    }

    /** Serde for Jackson trees: compact UTF-8 JSON (same bytes as JSON.stringify for plain objects). */
    public static final class JsonSerde implements Serde<JsonNode> {
        public static final JsonSerde INSTANCE = new JsonSerde();

        @Override
        public Serializer<JsonNode> serializer() {
            return (topic, data) -> {
                if (data == null) return null;
                try {
                    return MAPPER.writeValueAsBytes(data);
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            };
        }

        @Override
        public Deserializer<JsonNode> deserializer() {
            return (topic, data) -> {
                if (data == null) return null;
                try {
                    return MAPPER.readTree(data);
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            };
        }
    }
}
