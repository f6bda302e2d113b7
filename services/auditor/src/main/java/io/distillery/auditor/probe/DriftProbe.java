package io.distillery.auditor.probe;

import io.distillery.common.Probes;
import io.distillery.schema.TextEvent;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.jboss.logging.Logger;

/**
 * One run of the teacher drift probe: every probe text sent again to the teacher's topic ({@code
 * texts.for-teacher}, past the classifier), marked as a probe run so that the labeler asks the
 * teacher afresh instead of answering from its cache. The auditor's {@link ProbeTracker} then
 * compares the new labels with the previous ones.
 */
public final class DriftProbe implements Runnable {

  private static final Logger LOG = Logger.getLogger(DriftProbe.class);

  private final ProbeSet probes;
  private final Producer<String, TextEvent> producer;
  private final String topic;
  private final Clock clock;

  public DriftProbe(
      ProbeSet probes, Producer<String, TextEvent> producer, String topic, Clock clock) {
    this.probes = probes;
    this.producer = producer;
    this.topic = topic;
    this.clock = clock;
  }

  @Override
  public void run() {
    var now = clock.instant();
    var run = now.toString();
    try {
      var sent = new java.util.ArrayList<Future<RecordMetadata>>();
      for (var item : probes.items()) {
        var event =
            TextEvent.newBuilder()
                .setId(item.id())
                .setText(item.text())
                .setSource(Probes.SOURCE)
                .setIngestedAt(now)
                .setMetadata(Map.of(Probes.RUN_METADATA, run))
                .build();
        sent.add(producer.send(new ProducerRecord<>(topic, item.id(), event)));
      }
      for (var future : sent) {
        future.get();
      }
      LOG.infof("auditor: drift probe run %s sent %d probe texts to %s", run, sent.size(), topic);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | RuntimeException e) {
      // The next run tries again; the schedule must not die with one failed send.
      LOG.warnf(e, "auditor: drift probe run %s failed; the next run tries again", run);
    }
  }
}
