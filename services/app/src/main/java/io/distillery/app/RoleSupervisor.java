package io.distillery.app;

import io.distillery.auditor.Auditor;
import io.distillery.auditor.AuditorConfig;
import io.distillery.classifier.Classifier;
import io.distillery.classifier.ClassifierConfig;
import io.distillery.common.Codebook;
import io.distillery.common.DistilleryConfig;
import io.distillery.common.RegistrySerdes;
import io.distillery.common.Role;
import io.distillery.common.RoleName;
import io.distillery.common.TopicAdmin;
import io.distillery.common.Topics;
import io.distillery.labeler.Labeler;
import io.distillery.labeler.LabelerConfig;
import io.distillery.labeler.TeacherConfig;
import io.distillery.schema.ScoredText;
import io.distillery.trainer.Trainer;
import io.distillery.trainer.TrainerConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * Starts the configured roles at startup, in pipeline order, and stops them in reverse at shutdown.
 */
@ApplicationScoped
public class RoleSupervisor {

  private static final Logger LOG = Logger.getLogger(RoleSupervisor.class);

  private final DistilleryConfig config;
  private final LabelerConfig labelerConfig;
  private final TeacherConfig teacherConfig;
  private final AuditorConfig auditorConfig;
  private final TrainerConfig trainerConfig;
  private final ClassifierConfig classifierConfig;
  private final List<Role> roles = new ArrayList<>();
  private Topics topics;
  private Codebook codebook;

  RoleSupervisor(
      DistilleryConfig config,
      LabelerConfig labelerConfig,
      TeacherConfig teacherConfig,
      AuditorConfig auditorConfig,
      TrainerConfig trainerConfig,
      ClassifierConfig classifierConfig) {
    this.config = config;
    this.labelerConfig = labelerConfig;
    this.teacherConfig = teacherConfig;
    this.auditorConfig = auditorConfig;
    this.trainerConfig = trainerConfig;
    this.classifierConfig = classifierConfig;
  }

  /** The roles a {@code distillery.roles} value selects, in pipeline order; unknown names fail. */
  static List<RoleName> selected(List<String> configured) {
    var names =
        configured.stream()
            .map(s -> s.trim().toLowerCase(Locale.ROOT))
            .filter(s -> !s.isEmpty())
            .toList();
    if (names.contains("all")) {
      return List.of(RoleName.values());
    }
    var unknown = names.stream().filter(n -> RoleName.of(n).isEmpty()).toList();
    if (!unknown.isEmpty()) {
      throw new IllegalArgumentException(
          "distillery.roles: unknown role(s) " + unknown + "; known: all, " + RoleName.ids());
    }
    var chosen = Set.copyOf(names.stream().map(n -> RoleName.of(n).orElseThrow()).toList());
    return java.util.Arrays.stream(RoleName.values()).filter(chosen::contains).toList();
  }

  void onStart(@Observes StartupEvent event) {
    codebook = Codebook.load(Path.of(config.codebook()));
    topics =
        Topics.create(
            config.topicPrefix(),
            RegistrySerdes.of(config.registry().api(), config.registry().url()));
    LOG.infof(
        "task '%s' (prompt version %s, labels %s); Kafka %s, registry %s (%s API)",
        codebook.task(),
        codebook.promptVersion(),
        codebook.labelNames(),
        config.kafka().bootstrapServers(),
        RegistrySerdes.withoutCredentials(config.registry().url()),
        config.registry().api());
    var newTopics =
        new java.util.ArrayList<>(
            topics.newTopics(config.kafka().partitions(), config.kafka().replicationFactor()));
    if (classifierConfig.perLabelTopics()) {
      newTopics.addAll(
          topics.perLabelTopics(
              codebook.labelNames(),
              config.kafka().partitions(),
              config.kafka().replicationFactor()));
    }
    TopicAdmin.ensureTopics(config.kafka().bootstrapServers(), newTopics, Duration.ofSeconds(60));
    var contracts = new java.util.LinkedHashMap<>(topics.valueSchemas());
    if (classifierConfig.perLabelTopics()) {
      for (var label : codebook.labelNames()) {
        contracts.put(topics.scoredWith(label), ScoredText.getClassSchema());
      }
    }
    try {
      var ids =
          RegistrySerdes.registerContracts(
              config.registry().api(), config.registry().url(), contracts);
      LOG.infof("registered the schemas of %d subjects: %s", ids.size(), ids.keySet());
    } catch (org.apache.kafka.common.errors.RetriableException e) {
      // The roles wait for the registry as they wait for Kafka; each serde registers its schema
      // on first use, so an outage now costs only the early contracts.
      LOG.warnf(
          "could not register the topics' schemas yet (%s); each is registered when first written",
          e.getMessage());
    }
    for (var name : selected(config.roles())) {
      var role =
          switch (name) {
            case LABELER -> new Labeler(config, labelerConfig, teacherConfig, topics, codebook);
            case AUDITOR -> new Auditor(config, auditorConfig, topics, codebook);
            case TRAINER -> new Trainer(config, trainerConfig, topics, codebook);
            case CLASSIFIER -> new Classifier(config, classifierConfig, topics, codebook);
          };
      role.start();
      roles.add(role);
      LOG.infof("started role %s", name.id());
    }
  }

  void onStop(@Observes ShutdownEvent event) {
    var reversed = new ArrayList<>(roles);
    Collections.reverse(reversed);
    for (var role : reversed) {
      try {
        role.close();
        LOG.infof("stopped role %s", role.name());
      } catch (RuntimeException e) {
        LOG.errorf(e, "stopping role %s failed", role.name());
      }
    }
    roles.clear();
  }

  /** The running roles. */
  public List<Role> roles() {
    return List.copyOf(roles);
  }

  /** The running role of a type, if this process runs it. */
  public <R extends Role> Optional<R> role(Class<R> type) {
    return roles.stream().filter(type::isInstance).map(type::cast).findFirst();
  }

  /** The topic registry. */
  public Topics topics() {
    return topics;
  }

  /** The codebook in force. */
  public Codebook codebook() {
    return codebook;
  }
}
