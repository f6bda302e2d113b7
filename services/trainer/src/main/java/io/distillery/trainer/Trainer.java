package io.distillery.trainer;

import io.distillery.common.Codebook;
import io.distillery.common.DistilleryConfig;
import io.distillery.common.KafkaClients;
import io.distillery.common.Role;
import io.distillery.common.Topics;
import io.distillery.schema.GateStatus;
import io.distillery.schema.ModelVersion;
import io.distillery.schema.QualityReport;
import io.distillery.schema.ReviewVerdict;
import io.distillery.students.TrainingSettings;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jboss.logging.Logger;

/**
 * The trainer role. Its state is the topics: on start it reads teacher labels, verdicts and
 * published models from the beginning, so a restart resumes where it stood without a store of its
 * own. Training runs on its own thread; the consuming thread never blocks on it.
 */
public final class Trainer implements Role {

  private static final Logger LOG = Logger.getLogger(Trainer.class);
  private static final Duration RETRY_PAUSE = Duration.ofSeconds(30);

  private final DistilleryConfig common;
  private final TrainerConfig config;
  private final Topics topics;
  private final Codebook codebook;
  private final StudentTrainer studentTrainer;
  private final TrainingData data;
  private final ExecutorService training =
      Executors.newSingleThreadExecutor(r -> new Thread(r, "trainer-fit"));
  private final AtomicBoolean running = new AtomicBoolean(true);
  private volatile boolean caughtUp;
  private volatile long lastVersion;
  private volatile long lastTrainingSize;
  private volatile String lastError;
  private volatile GateStatus gate = GateStatus.INSUFFICIENT_DATA;
  private GateStatus reportedGate;
  private volatile long retryNotBefore = System.nanoTime();
  private volatile KafkaConsumer<byte[], byte[]> consumer;
  private Future<?> inFlight;
  private Thread thread;

  public Trainer(DistilleryConfig common, TrainerConfig config, Topics topics, Codebook codebook) {
    this.common = common;
    this.config = config;
    this.topics = topics;
    this.codebook = codebook;
    var modelsDir =
        Path.of(config.modelsDir().orElse(Path.of(common.stateDir(), "models").toString()));
    var settings =
        new TrainingSettings(
            TrainingSettings.DEFAULT.featurizer(),
            config.epochs(),
            TrainingSettings.DEFAULT.batchSize(),
            TrainingSettings.DEFAULT.learningRate(),
            TrainingSettings.DEFAULT.weightDecay(),
            true,
            config.seed());
    this.studentTrainer =
        new StudentTrainer(
            codebook.task(), codebook.labelNames(), modelsDir, settings, Clock.systemUTC());
    this.data = new TrainingData(codebook.promptVersion());
  }

  @Override
  public String name() {
    return "trainer";
  }

  @Override
  public void start() {
    thread = new Thread(this::run, "trainer");
    thread.setDaemon(true);
    thread.start();
  }

  private void run() {
    var labeledReader = topics.labeled().valueSerde().deserializer();
    var verdictReader = topics.reviewVerdicts().valueSerde().deserializer();
    var modelReader = topics.models().valueSerde().deserializer();
    var reportReader = topics.qualityReports().valueSerde().deserializer();
    try (var consumer =
            new KafkaConsumer<byte[], byte[]>(
                KafkaClients.stateReader(common.kafka().bootstrapServers(), "distillery-trainer"));
        var producer =
            new KafkaProducer<>(
                KafkaClients.producer(common.kafka().bootstrapServers()),
                new StringSerializer(),
                topics.models().valueSerde().serializer())) {
      this.consumer = consumer;
      var partitions = new ArrayList<TopicPartition>();
      for (var topic :
          List.of(
              topics.labeled().name(),
              topics.reviewVerdicts().name(),
              topics.models().name(),
              topics.qualityReports().name())) {
        consumer
            .partitionsFor(topic, Duration.ofSeconds(60))
            .forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
      }
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> startEnd = new HashMap<>(consumer.endOffsets(partitions));
      while (running.get()) {
        var records = consumer.poll(Duration.ofMillis(500));
        for (ConsumerRecord<byte[], byte[]> record : records) {
          try {
            if (record.topic().equals(topics.labeled().name())) {
              data.add(labeledReader.deserialize(record.topic(), record.value()));
            } else if (record.topic().equals(topics.reviewVerdicts().name())) {
              ReviewVerdict verdict = verdictReader.deserialize(record.topic(), record.value());
              if (verdict.getLabel() == null || codebook.hasLabel(verdict.getLabel())) {
                data.add(verdict);
              } else {
                LOG.warnf(
                    "verdict for %s has label '%s', not one of %s; ignored",
                    verdict.getId(), verdict.getLabel(), codebook.labelNames());
              }
            } else if (record.topic().equals(topics.qualityReports().name())) {
              QualityReport report = reportReader.deserialize(record.topic(), record.value());
              if (report != null
                  && report.getTask().equals(codebook.task())
                  && report.getPromptVersion().equals(codebook.promptVersion())) {
                gate = report.getGate();
              }
            } else {
              ModelVersion model = modelReader.deserialize(record.topic(), record.value());
              if (model != null
                  && model.getName().equals(codebook.task())
                  && model.getVersion() > lastVersion) {
                lastVersion = model.getVersion();
                lastTrainingSize = model.getTrainingSize();
              }
            }
          } catch (RuntimeException e) {
            // The auditor and labeler dead-letter bad input; here a bad record is skipped, loudly.
            LOG.warnf(
                "trainer skips %s-%d@%d: %s",
                record.topic(),
                Integer.valueOf(record.partition()),
                Long.valueOf(record.offset()),
                e.getMessage());
          }
        }
        if (!caughtUp) {
          caughtUp =
              startEnd.entrySet().stream()
                  .allMatch(e -> consumer.position(e.getKey()) >= e.getValue());
        }
        if (caughtUp) {
          maybeTrain(producer);
        }
      }
    } catch (WakeupException e) {
      // closing
    } catch (RuntimeException e) {
      lastError = e.toString();
      LOG.error("trainer stopped", e);
    }
  }

  private void maybeTrain(KafkaProducer<String, ModelVersion> producer) {
    if (inFlight != null && !inFlight.isDone() || System.nanoTime() - retryNotBefore < 0) {
      return;
    }
    // Cheap bound first: the training set is never larger than the teacher labels kept.
    if (data.teacherLabelCount() - lastTrainingSize < config.retrainEvery()) {
      return;
    }
    var trainingSet = data.trainingSet();
    if (trainingSet.size() < config.minTrainingSize()
        || trainingSet.size() - lastTrainingSize < config.retrainEvery()) {
      return;
    }
    var evaluationSet = data.evaluationSet();
    if (evaluationSet.size() < config.minEvaluationSize()) {
      return;
    }
    if (gate != GateStatus.PASS) {
      if (config.requireGatePass()) {
        if (gate != reportedGate) {
          reportedGate = gate;
          LOG.infof(
              "not training %s: the auditor's gate for prompt version %s is %s, not PASS",
              codebook.task(), codebook.promptVersion(), gate);
        }
        return;
      }
      LOG.warnf(
          "TRAINING %s ON LABELS WHOSE GATE IS %s, NOT PASS: distillery.trainer.require-gate-pass=false"
              + " (an override for experiments and demos)",
          codebook.task(), gate);
    }
    long previousSize = lastTrainingSize;
    long version = lastVersion + 1;
    lastVersion = version;
    lastTrainingSize = trainingSet.size();
    inFlight =
        training.submit(
            () -> {
              try {
                var model =
                    studentTrainer.train(version, data.promptVersion(), trainingSet, evaluationSet);
                producer
                    .send(new ProducerRecord<>(topics.models().name(), model.getName(), model))
                    .get();
                LOG.infof("published %s v%d", model.getName(), Long.valueOf(version));
                lastError = null;
              } catch (Exception e) {
                // Nothing was published: the same version is tried again after a pause.
                lastError = e.toString();
                lastVersion = version - 1;
                lastTrainingSize = previousSize;
                retryNotBefore = System.nanoTime() + RETRY_PAUSE.toNanos();
                LOG.errorf(
                    e,
                    "training %s v%d failed; retrying in %s",
                    codebook.task(),
                    Long.valueOf(version),
                    RETRY_PAUSE);
              }
            });
  }

  @Override
  public Health health() {
    if (lastError != null) {
      return new Health(caughtUp, "last error: " + lastError);
    }
    var training = inFlight != null && !inFlight.isDone();
    return new Health(
        caughtUp,
        (caughtUp ? "" : "catching up; ")
            + data.teacherLabelCount()
            + " teacher labels, gate "
            + gate
            + (config.requireGatePass() ? "" : " (not required)")
            + ", last model v"
            + lastVersion
            + (training ? ", training" : ""));
  }

  /** The newest model version this trainer published or saw. */
  public long lastVersion() {
    return lastVersion;
  }

  @Override
  public void close() {
    running.set(false);
    var current = consumer;
    if (current != null) {
      current.wakeup();
    }
    training.shutdown();
    try {
      if (thread != null) {
        thread.join(TimeUnit.SECONDS.toMillis(30));
      }
      training.awaitTermination(60, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
