package io.distillery.common;

import io.apicurio.registry.serde.avro.DefaultAvroDatumProvider;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.specific.SpecificRecord;

/**
 * Apicurio's datum provider, with its readers and writers looked up by the schema itself. The
 * default finds its cached reader or writer by the schema's parsing fingerprint, which it computes
 * again for every record: in {@code ClassifierBench} that was 17 % of the classifier's stream
 * thread (a normalised schema string hashed per value, read and written). A schema caches its hash
 * and is compared by identity first, and the serdes pass the same instance for every record of a
 * type (the generated class's schema; the registry client's parsed one), so a lookup here costs a
 * map probe. Readers and writers come from the default provider, once per schema: the same objects
 * it would have cached and shared between threads.
 *
 * @param <T> the value type
 */
public final class SchemaKeyedDatumProvider<T> extends DefaultAvroDatumProvider<T> {

  private final Map<Schema, DatumWriter<T>> writers = new ConcurrentHashMap<>();
  private final Map<Schema, DatumReader<T>> readers = new ConcurrentHashMap<>();

  /** What the serdes instantiate, by name ({@code apicurio.registry.avro-datum-provider}). */
  public SchemaKeyedDatumProvider() {}

  @Override
  public DatumWriter<T> createDatumWriter(T data, Schema schema) {
    if (!(data instanceof SpecificRecord)) {
      // The default's writer depends on the value's kind as well; ours are all generated classes.
      return super.createDatumWriter(data, schema);
    }
    return writers.computeIfAbsent(schema, s -> super.createDatumWriter(data, s));
  }

  @Override
  public DatumReader<T> createDatumReader(Schema schema) {
    return readers.computeIfAbsent(schema, super::createDatumReader);
  }
}
