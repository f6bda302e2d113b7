package io.distillery.common.testing;

import io.distillery.common.Topics;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

/**
 * A registry-free Avro serde for unit tests ({@code TopologyTestDriver}, mock consumers): one
 * marker byte, then Avro binary. Like the real wire format it refuses bytes without the marker and
 * bytes left over, so "not Avro" fails here the way it does against the registry. Shared by every
 * module's tests through the common test-jar, so no module keeps its own copy.
 */
public final class AvroBinarySerde {

  private static final byte MAGIC = 0;

  private AvroBinarySerde() {}

  /** A serde for one generated Avro class. */
  public static <T extends SpecificRecord> Serde<T> of(Class<T> type) {
    var writer = new SpecificDatumWriter<T>(type);
    var reader = new SpecificDatumReader<T>(type);
    Serializer<T> serializer =
        (topic, value) -> {
          if (value == null) {
            return null;
          }
          try {
            var out = new ByteArrayOutputStream();
            out.write(MAGIC);
            var encoder = EncoderFactory.get().binaryEncoder(out, null);
            writer.write(value, encoder);
            encoder.flush();
            return out.toByteArray();
          } catch (IOException e) {
            throw new SerializationException(e);
          }
        };
    Deserializer<T> deserializer =
        (topic, bytes) -> {
          if (bytes == null) {
            return null;
          }
          if (bytes.length == 0 || bytes[0] != MAGIC) {
            throw new SerializationException("unknown magic byte");
          }
          try {
            var decoder =
                DecoderFactory.get()
                    .binaryDecoder(Arrays.copyOfRange(bytes, 1, bytes.length), null);
            var value = reader.read(null, decoder);
            if (!decoder.isEnd()) {
              throw new SerializationException("trailing bytes after " + type.getSimpleName());
            }
            return value;
          } catch (IOException | RuntimeException e) {
            throw e instanceof SerializationException s
                ? s
                : new SerializationException("cannot decode " + type.getSimpleName(), e);
          }
        };
    return Serdes.serdeFrom(serializer, deserializer);
  }

  /**
   * The topic registry under {@code prefix} with these serdes, so a topology under test needs no
   * registry.
   */
  public static Topics topics(String prefix) {
    return Topics.create(prefix, AvroBinarySerde::of);
  }
}
