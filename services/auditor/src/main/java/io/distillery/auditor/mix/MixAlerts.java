package io.distillery.auditor.mix;

import io.distillery.auditor.AuditorTopology;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.jboss.logging.Logger;

/**
 * Says in the log when a source's label mix starts or stops shifting past the monitor's threshold:
 * a warning when it starts. The last state per task and source is kept in {@link
 * AuditorTopology#MIX_ALERT_STORE}, whose changelog keeps a restart from announcing every alert
 * again.
 */
public final class MixAlerts implements Processor<String, LabelMix, Void, Void> {

  private static final Logger LOG = Logger.getLogger(MixAlerts.class);

  private final LabelMix.Monitor monitor;
  private KeyValueStore<String, Boolean> alerting;

  public MixAlerts(LabelMix.Monitor monitor) {
    this.monitor = monitor;
  }

  @Override
  public void init(ProcessorContext<Void, Void> context) {
    alerting = context.getStateStore(AuditorTopology.MIX_ALERT_STORE);
  }

  @Override
  public void process(Record<String, LabelMix> record) {
    var mix = record.value();
    if (mix == null) {
      return;
    }
    mix.shifts(monitor)
        .forEach(
            (source, shift) -> {
              var key = record.key() + '|' + source;
              var was = Boolean.TRUE.equals(alerting.get(key));
              if (shift.alert() == was) {
                return;
              }
              alerting.put(key, shift.alert());
              if (shift.alert()) {
                LOG.warnf(
                    "auditor: label mix of task '%s' shifted past PSI %.2f, %s",
                    record.key(), monitor.maxPsi(), shift.describe());
              } else {
                LOG.infof(
                    "auditor: label mix of task '%s' back within PSI %.2f, %s",
                    record.key(), monitor.maxPsi(), shift.describe());
              }
            });
  }
}
