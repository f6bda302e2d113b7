package io.distillery.auditor.agreement;

import io.distillery.auditor.AuditorTopology;
import io.distillery.auditor.probe.ProbeSummary;
import io.distillery.schema.GateStatus;
import io.distillery.schema.QualityReport;
import java.time.Clock;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.state.KeyValueStore;
import org.jboss.logging.Logger;

/**
 * Turns each agreement change into a quality report, and says so in the log when the gate of a task
 * and prompt version changes: a warning when it flips to FAIL, so a failing teacher is noticed
 * before anything is distilled from it. The last gate per task and prompt version is kept in {@link
 * AuditorTopology#GATE_STORE}, whose changelog keeps a restart from announcing every gate again.
 */
public final class GateProcessor implements FixedKeyProcessor<String, Audit, QualityReport> {

  private static final Logger LOG = Logger.getLogger(GateProcessor.class);

  private final Agreement.Gate gate;
  private final Bootstrap bootstrap;
  private final Clock clock;
  private final int windowDays;
  private final double probeMaxChanged;
  private FixedKeyProcessorContext<String, QualityReport> context;
  private KeyValueStore<String, String> lastGate;

  public GateProcessor(
      Agreement.Gate gate,
      Bootstrap bootstrap,
      Clock clock,
      int windowDays,
      double probeMaxChanged) {
    this.windowDays = checkedWindow(windowDays);
    this.probeMaxChanged = probeMaxChanged;
    this.gate = gate;
    this.bootstrap = bootstrap;
    this.clock = clock;
  }

  /** {@code windowDays} when it is a window the reports can measure; an exception otherwise. */
  public static int checkedWindow(int windowDays) {
    if (windowDays < 1 || windowDays > Agreement.RETAINED_DAYS) {
      throw new IllegalArgumentException(
          "distillery.auditor.window-days must be in [1, "
              + Agreement.RETAINED_DAYS
              + "], got "
              + windowDays);
    }
    return windowDays;
  }

  @Override
  public void init(FixedKeyProcessorContext<String, QualityReport> context) {
    this.context = context;
    this.lastGate = context.getStateStore(AuditorTopology.GATE_STORE);
  }

  @Override
  public void process(FixedKeyRecord<String, Audit> record) {
    var agreement = record.value().agreementOrEmpty();
    var decision = agreement.gate(gate);
    var status = decision.status().name();
    var previous = lastGate.get(record.key());
    if (!status.equals(previous)) {
      lastGate.put(record.key(), status);
      if (decision.status() == GateStatus.FAIL) {
        LOG.warnf(
            "auditor: gate FAIL for task '%s', prompt version %s (was %s); its labels must not be"
                + " distilled: %s",
            agreement.task(),
            agreement.promptVersion(),
            previous == null ? "none" : previous,
            decision.reason());
      } else {
        LOG.infof(
            "auditor: gate %s for task '%s', prompt version %s (was %s): %s",
            status,
            agreement.task(),
            agreement.promptVersion(),
            previous == null ? "none" : previous,
            decision.reason());
      }
    }
    var report = agreement.toReport(decision, bootstrap, clock.instant(), windowDays);
    var probe = record.value().probe();
    if (probe != null && probe.task() != null) {
      var changed = probe.changedShare();
      var alert = changed != null && changed > probeMaxChanged;
      report.setProbeItems(probe.items());
      report.setProbeChangedShare(changed);
      report.setProbeAgreement(probe.agreement());
      report.setProbeAlert(alert);
      announceDrift(record.key(), agreement, probe, alert);
    }
    context.forward(record.withValue(report));
  }

  /** Logs a change of the drift alert of a task and prompt version: a warning when it starts. */
  private void announceDrift(String key, Agreement agreement, ProbeSummary probe, boolean alert) {
    var alertKey = "probe|" + key;
    var wasAlert = "ALERT".equals(lastGate.get(alertKey));
    if (alert == wasAlert) {
      return;
    }
    lastGate.put(alertKey, alert ? "ALERT" : "OK");
    if (alert) {
      LOG.warnf(
          "auditor: teacher drift for task '%s', prompt version %s: %d of %d probe labels changed"
              + " since the previous run (more than %.0f %%)",
          agreement.task(),
          agreement.promptVersion(),
          Long.valueOf(probe.changed()),
          Long.valueOf(probe.compared()),
          Double.valueOf(probeMaxChanged * 100));
    } else {
      LOG.infof(
          "auditor: teacher drift for task '%s', prompt version %s back within %.0f %%",
          agreement.task(), agreement.promptVersion(), Double.valueOf(probeMaxChanged * 100));
    }
  }
}
