package io.distillery.common;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

/**
 * JSON serde for a role's internal state (stores, repartition topics). Public topics use Avro;
 * internal ones are read only by the role that wrote them, so a registry round trip would buy
 * nothing there.
 */
public final class JsonSerde {

  private static final ObjectMapper MAPPER = new ObjectMapper().findAndRegisterModules();

  private JsonSerde() {}

  /** A serde for one Jackson-mappable type (records included). */
  public static <T> Serde<T> of(Class<T> type) {
    Serializer<T> serializer =
        (topic, value) -> {
          try {
            return value == null ? null : MAPPER.writeValueAsBytes(value);
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        };
    Deserializer<T> deserializer =
        (topic, bytes) -> {
          try {
            return bytes == null ? null : MAPPER.readValue(bytes, type);
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        };
    return Serdes.serdeFrom(serializer, deserializer);
  }
}
