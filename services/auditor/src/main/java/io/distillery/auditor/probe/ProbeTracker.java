package io.distillery.auditor.probe;

import io.distillery.auditor.AuditorTopology;
import io.distillery.schema.LabeledText;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Compares each teacher label of a probe text with the label before it ({@link
 * AuditorTopology#PROBE_LABELS_STORE}) and with the probe file's person.
 */
public final class ProbeTracker
    implements FixedKeyProcessor<String, LabeledText, ProbeObservation> {

  private final ProbeSet probes;
  private FixedKeyProcessorContext<String, ProbeObservation> context;
  private KeyValueStore<String, String> lastLabels;

  public ProbeTracker(ProbeSet probes) {
    this.probes = probes;
  }

  @Override
  public void init(FixedKeyProcessorContext<String, ProbeObservation> context) {
    this.context = context;
    this.lastLabels = context.getStateStore(AuditorTopology.PROBE_LABELS_STORE);
  }

  @Override
  public void process(FixedKeyRecord<String, LabeledText> record) {
    var labeled = record.value();
    var item = probes.item(labeled.getId());
    if (item.isEmpty()) {
      return;
    }
    var label = labeled.getLabel();
    var previous = lastLabels.get(labeled.getId());
    lastLabels.put(labeled.getId(), label);
    var reference = item.get().label();
    context.forward(
        record.withValue(
            new ProbeObservation(
                labeled.getTask(),
                labeled.getTeacher().getPromptVersion(),
                previous != null,
                previous != null && !previous.equals(label),
                reference != null,
                label.equals(reference))));
  }
}
