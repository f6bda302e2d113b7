package io.distillery.common;

import io.apicurio.registry.resolver.config.SchemaResolverConfig;
import io.apicurio.registry.serde.avro.AvroKafkaDeserializer;
import io.apicurio.registry.serde.avro.AvroKafkaSerializer;
import io.apicurio.registry.serde.avro.AvroSerdeConfig;
import io.apicurio.registry.serde.config.IdOption;
import io.apicurio.registry.serde.config.SerdeConfig;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * Avro serdes in the Confluent wire format (magic byte 0, 4-byte schema id, Avro binary; subject
 * {@code <topic>-value}), built on Apicurio's serdes. The settings below are the ones found to
 * interoperate with third-party Confluent clients (DESIGN.md, Pitfalls): content ids on the wire,
 * no headers, dereferenced schemas; readers and writers found by schema ({@link
 * SchemaKeyedDatumProvider}).
 */
public final class AvroSerdes implements Topics.ValueSerdes {

  private final Map<String, Object> config;

  /**
   * @param registryBaseUrl base URL of an Apicurio 2.x registry, e.g. {@code http://127.0.0.1:8081}
   */
  public AvroSerdes(String registryBaseUrl) {
    this.config =
        Map.of(
            SchemaResolverConfig.REGISTRY_URL,
            apiUrl(registryBaseUrl),
            SchemaResolverConfig.AUTO_REGISTER_ARTIFACT,
            true,
            SchemaResolverConfig.DEREFERENCE_SCHEMA,
            true,
            SerdeConfig.USE_ID,
            IdOption.contentId.name(),
            "apicurio.registry.headers.enabled",
            false,
            AvroSerdeConfig.USE_SPECIFIC_AVRO_READER,
            true,
            AvroSerdeConfig.AVRO_DATUM_PROVIDER,
            SchemaKeyedDatumProvider.class.getName());
  }

  /** The registry API the serdes speak; they cannot use the Confluent-compatible path. */
  static String apiUrl(String registryBaseUrl) {
    var base =
        registryBaseUrl.endsWith("/")
            ? registryBaseUrl.substring(0, registryBaseUrl.length() - 1)
            : registryBaseUrl;
    return base + "/apis/registry/v2";
  }

  /** A value serde for one generated Avro class. */
  @Override
  public <T extends SpecificRecord> Serde<T> forValue(Class<T> type) {
    var serializer = new AvroKafkaSerializer<T>();
    var deserializer = new AvroKafkaDeserializer<T>();
    serializer.configure(config, false);
    deserializer.configure(config, false);
    return Serdes.serdeFrom(serializer, deserializer);
  }
}
