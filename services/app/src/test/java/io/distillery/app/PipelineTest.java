package io.distillery.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.distillery.auditor.Auditor;
import io.distillery.auditor.AuditorConfig;
import io.distillery.classifier.Classifier;
import io.distillery.classifier.ClassifierConfig;
import io.distillery.common.Codebook;
import io.distillery.common.DeadLetters;
import io.distillery.common.DistilleryConfig;
import io.distillery.common.KafkaClients;
import io.distillery.common.Role;
import io.distillery.common.Topics;
import io.distillery.common.ingest.Ingest;
import io.distillery.common.testing.Records;
import io.distillery.common.testing.SharedCluster;
import io.distillery.labeler.Labeler;
import io.distillery.labeler.LabelerConfig;
import io.distillery.labeler.TeacherConfig;
import io.distillery.schema.ModelStatus;
import io.distillery.schema.ReviewVerdict;
import io.distillery.students.LabelledDataset;
import io.distillery.students.Metrics;
import io.distillery.students.ModelStore;
import io.distillery.students.StudentKinds;
import io.distillery.trainer.Trainer;
import io.distillery.trainer.TrainerConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The thin pipeline end to end on the real broker and registry: ingest → labeler (replay) → auditor
 * (sample, verdicts) → trainer (hashed-linear with DJL) → classifier (Kafka Streams), with
 * movie-review snippets and their real LLM labels.
 */
class PipelineTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path DATA =
      Path.of(
          System.getProperty("distillery.datasets", "../../../shared/datasets"),
          "movie-review-polarity",
          "data.jsonl");
  private static final int TEXTS = 2000;

  @TempDir Path state;
  private final List<Role> roles = new ArrayList<>();
  private final AtomicBoolean reviewing = new AtomicBoolean(true);

  @AfterEach
  void stopRoles() {
    reviewing.set(false);
    roles.forEach(Role::close);
  }

  @Test
  void shouldLabelSampleTrainAndScoreEveryTextExactlyOnce() throws Exception {
    var cluster = SharedCluster.get();
    var topics = cluster.freshTopics(3);
    var codebook = codebook();
    var rows = LabelledDataset.read(DATA);
    // The file is sorted by label: a hash of the id gives a fixed, label-balanced sample of the
    // train split.
    var stream =
        rows.stream()
            .filter(r -> r.split().equals("train") && r.llmLabel() != null)
            .sorted(
                java.util.Comparator.comparingDouble(
                    r -> io.distillery.common.StableHash.unit(r.id(), "pipeline-test")))
            .limit(TEXTS)
            .toList();
    var humanLabels =
        stream.stream()
            .collect(Collectors.toMap(LabelledDataset.Row::id, LabelledDataset.Row::humanLabel));
    var props = settings(cluster, topics);
    props.put("distillery.auditor.sample-rate", "0.1");
    props.put("distillery.trainer.retrain-every", "1500");
    props.put("distillery.trainer.min-evaluation-size", "100");
    // About 200 of the 2,000 texts are reviewed: the gate decides from 150 on, and must PASS.
    props.put("distillery.auditor.min-reviewed", "150");
    var common = TestConfigs.mapping(DistilleryConfig.class, props);
    var auditor =
        new Auditor(common, TestConfigs.mapping(AuditorConfig.class, props), topics, codebook);
    var classifier =
        new Classifier(
            common, TestConfigs.mapping(ClassifierConfig.class, props), topics, codebook);
    start(labeler(props, topics, codebook));
    start(auditor);
    start(new Trainer(common, TestConfigs.mapping(TrainerConfig.class, props), topics, codebook));
    start(classifier);
    var reviewer =
        new Thread(
            () -> review(cluster.bootstrapServers(), topics, humanLabels), "simulated-reviewer");
    reviewer.start();

    var file = state.resolve("stream.jsonl");
    try (var out = Files.newBufferedWriter(file)) {
      for (var row : stream) {
        out.write(
            JSON.writeValueAsString(
                Map.of(
                    "id",
                    row.id(),
                    "text",
                    row.text(),
                    "llm_label",
                    row.llmLabel(),
                    "source",
                    "movie-review-polarity")));
        out.newLine();
      }
    }
    try (var producer =
        new KafkaProducer<>(
            KafkaClients.producer(cluster.bootstrapServers()),
            new StringSerializer(),
            topics.raw().valueSerde().serializer())) {
      var summary =
          Ingest.run(
              file,
              producer,
              topics.raw().name(),
              new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
      assertThat(summary.sent()).isEqualTo(TEXTS);
    }

    var labeled =
        Records.readUntil(
            cluster.bootstrapServers(),
            topics.labeled(),
            Duration.ofSeconds(120),
            r -> r.size() >= TEXTS);
    assertThat(labeled).hasSize(TEXTS);
    assertThat(labeled.stream().map(ConsumerRecord::key).distinct().count()).isEqualTo(TEXTS);
    assertThat(labeled)
        .allSatisfy(
            r -> {
              assertThat(r.value().getTeacher().getPromptVersion())
                  .isEqualTo(codebook.promptVersion());
              assertThat(r.value().getTeacher().getKind()).isEqualTo("replay");
              assertThat(codebook.hasLabel(r.value().getLabel())).isTrue();
            });

    var scored =
        Records.readUntil(
            cluster.bootstrapServers(),
            topics.scored(),
            Duration.ofSeconds(240),
            r -> r.size() >= TEXTS);
    var models =
        Records.readUntil(
            cluster.bootstrapServers(), topics.models(), Duration.ofSeconds(30), r -> !r.isEmpty());
    assertThat(scored.stream().map(ConsumerRecord::key).distinct().count()).isEqualTo(TEXTS);
    assertThat(scored).hasSize(TEXTS);
    assertThat(models).isNotEmpty();
    var model = models.get(0).value();
    assertThat(model.getStatus()).isEqualTo(ModelStatus.PROMOTED);
    assertThat(model.getTrainingSize()).isGreaterThanOrEqualTo(1500);
    assertThat(model.getMetrics()).containsKeys("accuracy", "macro_f1", "eval_size");
    assertThat(scored)
        .allSatisfy(r -> assertThat(r.value().getModelVersion()).isEqualTo(model.getVersion()));

    // The published model on the held-out test split, against human labels.
    var student =
        ModelStore.load(
            URI.create(model.getArtifactUri()), model.getArtifactSha256(), StudentKinds.builtIn());
    var test = rows.stream().filter(r -> r.split().equals("test")).toList();
    var summary =
        Metrics.compare(
            codebook.labelNames(),
            test.stream().map(r -> student.predict(r.text()).label()).toList(),
            test.stream().map(LabelledDataset.Row::humanLabel).toList());
    double majority =
        test.stream()
                .collect(
                    Collectors.groupingBy(LabelledDataset.Row::humanLabel, Collectors.counting()))
                .values()
                .stream()
                .mapToLong(Long::longValue)
                .max()
                .orElseThrow()
            / (double) test.size();
    System.out.printf(
        "published model v%d: trained on %d teacher labels; test accuracy %.3f, macro-F1 %.3f (majority %.3f); human-set metrics %s%n",
        model.getVersion(),
        model.getTrainingSize(),
        summary.accuracy(),
        summary.macroF1(),
        majority,
        model.getMetrics());
    assertThat(summary.accuracy()).isGreaterThan(majority + 0.10);

    // The auditor measured the teacher on the sampled texts, as the replayed labels say it should.
    var requests =
        Records.readUntil(
            cluster.bootstrapServers(),
            topics.reviewRequests(),
            Duration.ofSeconds(30),
            r -> r.size() >= 150);
    var sampledIds = requests.stream().map(ConsumerRecord::key).toList();
    assertThat(sampledIds).doesNotHaveDuplicates();
    assertThat(sampledIds.size()).isBetween(140, 260);
    long expectedAgreed =
        stream.stream()
            .filter(r -> sampledIds.contains(r.id()) && r.llmLabel().equals(r.humanLabel()))
            .count();
    var deadline = Instant.now().plusSeconds(60);
    while (Instant.now().isBefore(deadline)
        && (auditor.agreements().isEmpty()
            || auditor.agreements().get(0).reviewed() < sampledIds.size())) {
      Thread.sleep(200);
    }
    var agreement = auditor.agreements().get(0);
    assertThat(agreement.reviewed()).isEqualTo(sampledIds.size());
    assertThat(agreement.agreed()).isEqualTo(expectedAgreed);
    assertThat(agreement.promptVersion()).isEqualTo(codebook.promptVersion());
    var dlq =
        Records.readUntil(
            cluster.bootstrapServers(), topics.dlq(), Duration.ofSeconds(2), r -> false);
    assertThat(dlq).isEmpty();
  }

  @Test
  void shouldDeadLetterPoisonPillsWithHeadersAndKeepProcessingTheRecordsAroundThem()
      throws Exception {
    var cluster = SharedCluster.get();
    var topics = cluster.freshTopics(1);
    var codebook = codebook();
    var props = settings(cluster, topics);
    var common = TestConfigs.mapping(DistilleryConfig.class, props);
    start(labeler(props, topics, codebook));
    start(
        new Classifier(
            common, TestConfigs.mapping(ClassifierConfig.class, props), topics, codebook));

    var valid =
        io.distillery.schema.TextEvent.newBuilder()
            .setId("good-1")
            .setText("a fine film")
            .setIngestedAt(Instant.now())
            .setMetadata(Map.of("llm_label", "positive"))
            .build();
    var empty =
        io.distillery.schema.TextEvent.newBuilder(valid).setId("empty-1").setText("").build();
    var unlabeled =
        io.distillery.schema.TextEvent.newBuilder(valid)
            .setId("nolabel-1")
            .setMetadata(Map.of())
            .build();
    var after =
        io.distillery.schema.TextEvent.newBuilder(valid)
            .setId("good-2")
            .setText("a dull film")
            .setMetadata(Map.of("llm_label", "negative"))
            .build();
    var serializer = topics.raw().valueSerde().serializer();
    var raw =
        new io.distillery.common.Topic<>(
            topics.raw().name(),
            org.apache.kafka.common.serialization.Serdes.String(),
            org.apache.kafka.common.serialization.Serdes.ByteArray());
    Records.send(
        cluster.bootstrapServers(),
        raw,
        List.of(
            new ProducerRecord<>(raw.name(), "good-1", serializer.serialize(raw.name(), valid)),
            new ProducerRecord<>(
                raw.name(), "pill-1", "this is not avro".getBytes(StandardCharsets.UTF_8)),
            new ProducerRecord<>(raw.name(), "empty-1", serializer.serialize(raw.name(), empty)),
            new ProducerRecord<>(
                raw.name(), "nolabel-1", serializer.serialize(raw.name(), unlabeled)),
            new ProducerRecord<>(raw.name(), "good-2", serializer.serialize(raw.name(), after))));

    var labeled =
        Records.readUntil(
            cluster.bootstrapServers(),
            topics.labeled(),
            Duration.ofSeconds(60),
            r -> r.size() >= 2);
    assertThat(labeled).extracting(ConsumerRecord::key).containsExactly("good-1", "good-2");
    // The classifier catches what is not a text (not Avro, empty) and never passes it to the
    // teacher; the labeler catches what the teacher cannot label (no recorded label).
    var dlq =
        Records.readUntil(
            cluster.bootstrapServers(), topics.dlq(), Duration.ofSeconds(60), r -> r.size() >= 3);
    assertThat(dlq).hasSize(3);
    var byRoleAndKey = new HashMap<String, ConsumerRecord<byte[], byte[]>>();
    for (var record : dlq) {
      byRoleAndKey.put(
          header(record, DeadLetters.ROLE) + "/" + new String(record.key(), StandardCharsets.UTF_8),
          record);
    }
    assertThat(byRoleAndKey)
        .containsOnlyKeys("labeler/nolabel-1", "classifier/pill-1", "classifier/empty-1");
    var pill = byRoleAndKey.get("classifier/pill-1");
    assertThat(new String(pill.value(), StandardCharsets.UTF_8)).isEqualTo("this is not avro");
    assertThat(header(pill, DeadLetters.SOURCE_TOPIC)).isEqualTo(topics.raw().name());
    assertThat(header(pill, DeadLetters.SOURCE_PARTITION)).isEqualTo("0");
    assertThat(header(pill, DeadLetters.SOURCE_OFFSET)).isEqualTo("1");
    assertThat(header(pill, DeadLetters.REASON)).contains("not a TextEvent");
    assertThat(header(byRoleAndKey.get("classifier/empty-1"), DeadLetters.REASON))
        .isEqualTo("empty text");
    assertThat(header(byRoleAndKey.get("classifier/empty-1"), DeadLetters.SOURCE_OFFSET))
        .isEqualTo("2");
    // The labeler read it from the teacher's topic, where the classifier sent it.
    var nolabel = byRoleAndKey.get("labeler/nolabel-1");
    assertThat(header(nolabel, DeadLetters.REASON)).contains("llm_label");
    assertThat(header(nolabel, DeadLetters.SOURCE_TOPIC)).isEqualTo(topics.forTeacher().name());
  }

  @Test
  void shouldNotDistilATeacherThatFailsTheGate() throws Exception {
    var cluster = SharedCluster.get();
    var topics = cluster.freshTopics(1);
    var meta =
        JSON.readTree(
            Path.of(
                    System.getProperty("distillery.datasets", "../../../shared/datasets"),
                    "css-implicit-hate",
                    "meta.json")
                .toFile());
    var book = new StringBuilder("task: implicit-hate\nlabels:\n");
    meta.get("labels")
        .properties()
        .forEach(
            e ->
                book.append("  - {name: \"")
                    .append(e.getKey())
                    .append("\", definition: \"")
                    .append(e.getValue().asText())
                    .append("\"}\n"));
    var codebook = Codebook.load(Files.writeString(state.resolve("hate.yaml"), book.toString()));
    var rows =
        LabelledDataset.read(DATA.getParent().getParent().resolve("css-implicit-hate/data.jsonl"));
    var humanLabels =
        rows.stream()
            .collect(Collectors.toMap(LabelledDataset.Row::id, LabelledDataset.Row::humanLabel));
    var props = settings(cluster, topics);
    // About 300 of the 498 texts reviewed (enough for the gate), about 200 left to train on.
    props.put("distillery.auditor.sample-rate", "0.6");
    props.put("distillery.trainer.retrain-every", "100");
    var common = TestConfigs.mapping(DistilleryConfig.class, props);
    var auditor =
        new Auditor(common, TestConfigs.mapping(AuditorConfig.class, props), topics, codebook);
    var trainer =
        new Trainer(common, TestConfigs.mapping(TrainerConfig.class, props), topics, codebook);
    start(labeler(props, topics, codebook));
    start(auditor);
    start(trainer);
    // With no model ever promoted, the classifier sends every text to the teacher.
    start(
        new Classifier(
            common, TestConfigs.mapping(ClassifierConfig.class, props), topics, codebook));
    var reviewer =
        new Thread(
            () -> review(cluster.bootstrapServers(), topics, humanLabels), "simulated-reviewer");
    reviewer.start();
    var file = state.resolve("hate.jsonl");
    try (var out = Files.newBufferedWriter(file)) {
      for (var row : rows) {
        out.write(
            JSON.writeValueAsString(
                Map.of("id", row.id(), "text", row.text(), "llm_label", row.llmLabel())));
        out.newLine();
      }
    }
    try (var producer =
        new KafkaProducer<>(
            KafkaClients.producer(cluster.bootstrapServers()),
            new StringSerializer(),
            topics.raw().valueSerde().serializer())) {
      Ingest.run(
          file,
          producer,
          topics.raw().name(),
          new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
    }

    var reports =
        Records.readUntil(
            cluster.bootstrapServers(),
            topics.qualityReports(),
            Duration.ofSeconds(120),
            r ->
                r.stream()
                    .anyMatch(x -> x.value().getGate() == io.distillery.schema.GateStatus.FAIL));
    assertThat(reports)
        .extracting(r -> r.value().getGate())
        .contains(io.distillery.schema.GateStatus.FAIL);
    var deadline = Instant.now().plusSeconds(30);
    while (Instant.now().isBefore(deadline) && !trainer.health().detail().contains("gate FAIL")) {
      Thread.sleep(200);
    }
    assertThat(trainer.health().detail()).contains("gate FAIL");
    Thread.sleep(3000);

    var models =
        Records.readUntil(
            cluster.bootstrapServers(), topics.models(), Duration.ofSeconds(2), r -> false);
    assertThat(models).as("a teacher at 0.30 accuracy is not distilled").isEmpty();
  }

  /** Settings every test shares: the cluster, the topic prefix, the state, role ids per class. */
  private HashMap<String, String> settings(SharedCluster cluster, Topics topics) {
    var props = new HashMap<String, String>();
    props.put("distillery.kafka.bootstrap-servers", cluster.bootstrapServers());
    props.put("distillery.registry.url", cluster.registryUrl());
    props.put("distillery.topic-prefix", topics.prefix());
    props.put("distillery.state-dir", state.toString());
    props.put("distillery.auditor.application-id", topics.prefix() + "-auditor");
    props.put("distillery.classifier.application-id", topics.prefix() + "-classifier");
    props.put("distillery.labeler.group-id", topics.prefix() + "-labeler");
    return props;
  }

  private static Labeler labeler(Map<String, String> props, Topics topics, Codebook codebook) {
    return new Labeler(
        TestConfigs.mapping(DistilleryConfig.class, props),
        TestConfigs.mapping(LabelerConfig.class, props),
        TestConfigs.mapping(TeacherConfig.class, props),
        topics,
        codebook);
  }

  private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
    var header = record.headers().lastHeader(name);
    return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
  }

  private void start(Role role) {
    roles.add(role);
    role.start();
  }

  private Codebook codebook() throws Exception {
    var file = state.resolve("codebook.yaml");
    Files.writeString(
        file,
        """
        task: movie-sentiment
        labels:
          - {name: negative, definition: The snippet expresses a negative opinion of the film.}
          - {name: positive, definition: The snippet expresses a positive opinion of the film.}
        instructions: Label the reviewer's opinion of the film.
        """);
    return Codebook.load(file);
  }

  /** A reviewer who answers every review request with the dataset's human label. */
  private void review(String bootstrap, Topics topics, Map<String, String> humanLabels) {
    var props = KafkaClients.transactionalConsumer(bootstrap, topics.prefix() + "-reviewer");
    try (var consumer =
            new KafkaConsumer<>(
                props,
                topics.reviewRequests().keySerde().deserializer(),
                topics.reviewRequests().valueSerde().deserializer());
        var producer =
            new KafkaProducer<>(
                KafkaClients.producer(bootstrap),
                new StringSerializer(),
                topics.reviewVerdicts().valueSerde().serializer())) {
      consumer.subscribe(List.of(topics.reviewRequests().name()));
      while (reviewing.get()) {
        for (var request : consumer.poll(Duration.ofMillis(200))) {
          var verdict =
              ReviewVerdict.newBuilder()
                  .setId(request.key())
                  .setTask(request.value().getTask())
                  .setLabel(humanLabels.get(request.key()))
                  .setReviewer("simulated")
                  .setDecidedAt(Instant.now())
                  .build();
          producer.send(
              new ProducerRecord<>(topics.reviewVerdicts().name(), request.key(), verdict));
        }
      }
    }
  }
}
