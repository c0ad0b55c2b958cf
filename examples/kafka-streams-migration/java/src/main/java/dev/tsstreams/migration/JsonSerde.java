package dev.tsstreams.migration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * JSON values as Jackson trees: read as they are and written back compact with their fields in the order read, which
 * is what ts-streams' Serdes.JSON (JSON.parse / JSON.stringify) does, so both write the same bytes.
 */
final class JsonSerde implements Serde<JsonNode> {
    static final ObjectMapper MAPPER = new ObjectMapper();

    @Override
    public Serializer<JsonNode> serializer() {
        return (topic, node) -> {
            if (node == null) return null;
            try {
                return MAPPER.writeValueAsBytes(node);
            } catch (final IOException e) {
                throw new SerializationException("cannot write JSON for topic " + topic, e);
            }
        };
    }

    @Override
    public Deserializer<JsonNode> deserializer() {
        return (topic, bytes) -> {
            if (bytes == null) return null;
            try {
                return MAPPER.readTree(bytes);
            } catch (final IOException e) {
                throw new SerializationException("cannot read JSON from topic " + topic, e);
            }
        };
    }
}
