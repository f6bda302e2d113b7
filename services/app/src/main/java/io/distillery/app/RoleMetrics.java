package io.distillery.app;

import io.distillery.auditor.Auditor;
import io.distillery.auditor.mix.LabelMix;
import io.distillery.classifier.Classifier;
import io.distillery.classifier.ClassifierCounters;
import io.distillery.labeler.Labeler;
import io.distillery.labeler.openai.OpenAiTeacher;
import io.distillery.labeler.openai.TeacherStats;
import io.distillery.schema.GateStatus;
import io.distillery.trainer.Trainer;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.function.ToDoubleFunction;

/**
 * The roles' numbers on {@code /q/metrics} (Prometheus): readiness per role, texts labeled, scored,
 * uncertain, dead letters, texts waiting for a model, and the newest model version. Registered
 * after the roles start (observers run in ascending priority; the supervisor has the default,
 * APPLICATION + 500).
 */
@ApplicationScoped
public class RoleMetrics {

  private final RoleSupervisor supervisor;
  private final MeterRegistry registry;

  RoleMetrics(RoleSupervisor supervisor, MeterRegistry registry) {
    this.supervisor = supervisor;
    this.registry = registry;
  }

  void register(
      @Observes @Priority(jakarta.interceptor.Interceptor.Priority.APPLICATION + 1000)
          StartupEvent event) {
    for (var role : supervisor.roles()) {
      Gauge.builder("distillery.role.ready", role, r -> r.health().ready() ? 1 : 0)
          .description("1 when the role is processing")
          .tag("role", role.name())
          .register(registry);
    }
    supervisor
        .role(Labeler.class)
        .ifPresent(
            l ->
                l.cache()
                    .ifPresent(
                        c -> {
                          counter(
                              "distillery.teacher.cache.hits",
                              c,
                              x -> x.hits(),
                              "Teacher answers served from the cache");
                          counter(
                              "distillery.teacher.cache.misses",
                              c,
                              x -> x.misses(),
                              "Texts the teacher had to answer");
                          counter(
                              "distillery.teacher.cache.evictions",
                              c,
                              x -> x.evictions(),
                              "Teacher answers dropped from memory to keep the cache's bound");
                        }));
    supervisor
        .role(Labeler.class)
        .filter(l -> l.teacher() instanceof OpenAiTeacher)
        .ifPresent(
            l -> {
              var stats = ((OpenAiTeacher) l.teacher()).stats();
              counter("distillery.teacher.calls", stats, TeacherStats::calls, "LLM calls made");
              counter(
                  "distillery.teacher.retries", stats, TeacherStats::retries, "LLM calls retried");
              counter(
                  "distillery.teacher.prompt.tokens",
                  stats,
                  TeacherStats::promptTokens,
                  "Prompt tokens spent");
              counter(
                  "distillery.teacher.completion.tokens",
                  stats,
                  TeacherStats::completionTokens,
                  "Completion tokens spent");
              counter(
                  "distillery.teacher.cost.usd",
                  stats,
                  TeacherStats::costUsd,
                  "US dollars spent on the teacher");
            });
    supervisor
        .role(Labeler.class)
        .ifPresent(
            l ->
                counter(
                    "distillery.labeler.records",
                    l,
                    Labeler::processed,
                    "Raw records handled (labeled or dead-lettered)"));
    supervisor
        .role(Classifier.class)
        .ifPresent(
            c -> {
              counter(
                  "distillery.classifier.scored", c, x -> x.counters().scored(), "Texts scored");
              counter(
                  "distillery.classifier.uncertain",
                  c,
                  x -> x.counters().uncertain(),
                  "Scored texts flagged uncertain");
              counter(
                  "distillery.classifier.dead.letters",
                  c,
                  x -> x.counters().deadLettered(),
                  "Records dead-lettered by the classifier");
              counter(
                  "distillery.classifier.student.only",
                  c,
                  x -> x.counters().studentOnly(),
                  "Scored texts the teacher never saw (active learning)");
              for (var reason : ClassifierCounters.TEACHER_REASONS) {
                FunctionCounter.builder(
                        "distillery.classifier.to.teacher",
                        c,
                        x -> x.counters().toTeacher().getOrDefault(reason, 0L))
                    .tag("reason", reason)
                    .description("Texts sent to the teacher, by reason")
                    .register(registry);
              }
              Gauge.builder(
                      "distillery.classifier.teacher.share",
                      c,
                      x -> {
                        double sent = x.counters().toTeacherTotal();
                        double total = sent + x.counters().studentOnly();
                        return total == 0 ? 0 : sent / total;
                      })
                  .description("Share of scored texts that went to the teacher")
                  .register(registry);
              Gauge.builder("distillery.classifier.pending", c, x -> x.counters().pending())
                  .description("Texts waiting for a model")
                  .register(registry);
              Gauge.builder(
                      "distillery.classifier.model.version",
                      c,
                      x -> x.model().map(m -> (double) m.version()).orElse(0.0))
                  .description("Version of the model scoring now; 0 before the first")
                  .register(registry);
            });
    supervisor
        .role(Auditor.class)
        .ifPresent(
            a -> {
              Gauge.builder(
                      "distillery.auditor.gate.failing",
                      a,
                      x ->
                          x.agreements().stream()
                              .filter(g -> g.gate(x.gate()).status() == GateStatus.FAIL)
                              .count())
                  .description("Prompt versions whose gate is FAIL: their labels are not distilled")
                  .register(registry);
              Gauge.builder(
                      "distillery.auditor.label.mix.shifted",
                      a,
                      x ->
                          x.labelMixes().stream()
                              .flatMap(m -> m.shifts(x.mixMonitor()).values().stream())
                              .filter(LabelMix.Shift::alert)
                              .count())
                  .description("Sources whose teacher label mix moved past the PSI threshold today")
                  .register(registry);
              counter(
                  "distillery.auditor.verdicts.accepted",
                  a,
                  x -> x.verdicts().accepted(),
                  "Verdicts checked and handed to the agreement");
              counter(
                  "distillery.auditor.verdicts.dead.letters",
                  a,
                  x -> x.verdicts().deadLettered(),
                  "Verdicts dead-lettered by the auditor (the reason is on each dead letter)");
            });
    supervisor
        .role(Trainer.class)
        .ifPresent(
            t ->
                Gauge.builder("distillery.trainer.model.version", t, Trainer::lastVersion)
                    .description("Newest model version published")
                    .register(registry));
  }

  private <T> void counter(String name, T source, ToDoubleFunction<T> value, String description) {
    FunctionCounter.builder(name, source, value).description(description).register(registry);
  }
}
