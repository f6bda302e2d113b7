package io.distillery.trainer;

import io.distillery.common.Codebook;
import io.distillery.common.DistilleryConfig;
import io.distillery.common.KafkaClients;
import io.distillery.common.PollLoop;
import io.distillery.common.Role;
import io.distillery.common.RoleName;
import io.distillery.common.Topics;
import io.distillery.schema.GateStatus;
import io.distillery.schema.LabeledText;
import io.distillery.schema.ModelVersion;
import io.distillery.schema.QualityReport;
import io.distillery.schema.ReviewRequest;
import io.distillery.schema.ReviewVerdict;
import io.distillery.students.LabeledExample;
import io.distillery.students.ModelStore;
import io.distillery.students.StudentKinds;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jboss.logging.Logger;

/**
 * The trainer role. Its state is the topics: on start it reads verdicts, review requests and
 * published models from the beginning, and of the teacher labels only the training window (the
 * newest {@code training-window} of each partition), so a restart resumes where it stood without a
 * store of its own, in a time that does not grow with the stream. Training runs on its own thread;
 * the consuming thread never blocks on it.
 */
public final class Trainer implements Role {

  private static final Logger LOG = Logger.getLogger(Trainer.class);
  private static final Duration RETRY_PAUSE = Duration.ofSeconds(30);

  private final DistilleryConfig common;
  private final TrainerConfig config;
  private final RetrainPolicy retrainPolicy;
  private final Topics topics;
  private final Codebook codebook;
  private final StudentTrainer studentTrainer;
  private final TrainingData data;
  private final ModelLedger models;
  private volatile TrainingStatus status =
      TrainingStatus.of(TrainingStatus.State.CATCHING_UP, "reading the topics");
  private final ExecutorService training =
      Executors.newSingleThreadExecutor(r -> new Thread(r, "trainer-fit"));
  private volatile boolean caughtUp;
  // Teacher labels received when the last training began: what RetrainPolicy counts new labels
  // from. After a restart, the labels received less those given after the last training began.
  private volatile long labelsAtLastTraining;
  private volatile String lastError;
  private volatile GateStatus gate = GateStatus.INSUFFICIENT_DATA;
  private GateStatus reportedGate;
  private volatile long retryNotBefore = System.nanoTime();
  private volatile PollLoop loop;
  private volatile KafkaProducer<String, ModelVersion> producer;
  private Future<?> inFlight;

  public Trainer(DistilleryConfig common, TrainerConfig config, Topics topics, Codebook codebook) {
    this.common = common;
    this.config = config;
    this.retrainPolicy = RetrainPolicy.of(config);
    this.topics = topics;
    this.codebook = codebook;
    this.models = new ModelLedger(topics.models().name());
    var modelsDir =
        Path.of(config.modelsDir().orElse(Path.of(common.stateDir(), "models").toString()));
    this.studentTrainer =
        new StudentTrainer(
            codebook.task(),
            codebook.labelNames(),
            StudentKindsConfig.kind(config),
            new ModelStore(modelsDir),
            StudentKinds.builtIn(),
            config.seed(),
            Clock.systemUTC());
    this.data =
        new TrainingData(
            codebook.promptVersion(),
            config.humanLabelsInTraining() ? config.humanTrainingShare() : 0,
            config.trainingWindow());
  }

  @Override
  public String name() {
    return RoleName.TRAINER.id();
  }

  @Override
  public void start() {
    producer =
        new KafkaProducer<>(
            KafkaClients.producer(common.kafka().bootstrapServers()),
            new StringSerializer(),
            topics.models().valueSerde().serializer());
    models.publishWith(producer);
    loop =
        PollLoop.start(
            RoleName.TRAINER.id(),
            KafkaClients.stateReader(common.kafka().bootstrapServers(), "distillery-trainer"),
            new Reader(),
            PollLoop.OnError.STOP,
            Duration.ofMillis(500));
  }

  /**
   * Verdicts, review requests, models and quality reports from the beginning; teacher labels from
   * the training window. Once caught up, each poll ends with the retrain rule.
   */
  private final class Reader implements PollLoop.Reader {
    private final Deserializer<LabeledText> labeledReader =
        topics.labeled().valueSerde().deserializer();
    private final Deserializer<ReviewVerdict> verdictReader =
        topics.reviewVerdicts().valueSerde().deserializer();
    private final Deserializer<ModelVersion> modelReader =
        topics.models().valueSerde().deserializer();
    private final Deserializer<QualityReport> reportReader =
        topics.qualityReports().valueSerde().deserializer();
    private final Deserializer<ReviewRequest> requestReader =
        topics.reviewRequests().valueSerde().deserializer();

    @Override
    public Map<TopicPartition, Long> start(Consumer<byte[], byte[]> consumer) {
      var partitions = new ArrayList<TopicPartition>();
      for (var topic :
          List.of(
              topics.labeled().name(),
              topics.reviewVerdicts().name(),
              topics.reviewRequests().name(),
              topics.models().name(),
              topics.qualityReports().name())) {
        consumer
            .partitionsFor(topic, Duration.ofSeconds(60))
            .forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
      }
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> startEnd = new HashMap<>(consumer.endOffsets(partitions));
      seekToWindow(consumer, startEnd);
      return startEnd;
    }

    @Override
    public void accept(ConsumerRecord<byte[], byte[]> record) {
      // The auditor and labeler dead-letter bad input; here a bad record is skipped, loudly.
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
      } else if (record.topic().equals(topics.reviewRequests().name())) {
        data.add(requestReader.deserialize(record.topic(), record.value()));
      } else if (record.topic().equals(topics.qualityReports().name())) {
        QualityReport report = reportReader.deserialize(record.topic(), record.value());
        if (report != null
            && report.getTask().equals(codebook.task())
            && report.getPromptVersion().equals(codebook.promptVersion())) {
          gate = report.getGate();
        }
      } else {
        ModelVersion model = modelReader.deserialize(record.topic(), record.value());
        if (model != null && model.getName().equals(codebook.task())) {
          models.apply(model);
        }
      }
    }

    @Override
    public void afterPoll(boolean caughtUpNow) {
      if (caughtUpNow && !caughtUp) {
        // The labels given since the last training began are the new ones; the rest were there.
        labelsAtLastTraining = data.received() - data.labelledAfter(models.lastTrainingBegan());
        caughtUp = true;
      }
      if (caughtUp) {
        maybeTrain();
      }
    }
  }

  /**
   * Starts each partition of the labeled topic {@code training-window} records before its end, so a
   * start reads at most that many per partition: the newest labels of the whole topic are among
   * them, whatever the keys' spread over partitions.
   */
  private void seekToWindow(Consumer<byte[], byte[]> consumer, Map<TopicPartition, Long> ends) {
    var labeled = topics.labeled().name();
    var starts =
        consumer.beginningOffsets(
            ends.keySet().stream().filter(p -> p.topic().equals(labeled)).toList());
    starts.forEach(
        (partition, start) ->
            consumer.seek(partition, Math.max(start, ends.get(partition) - data.window())));
  }

  private void maybeTrain() {
    if (inFlight != null && !inFlight.isDone() || System.nanoTime() - retryNotBefore < 0) {
      return;
    }
    long labels = data.received();
    // Built only once a training is due (RetrainPolicy asks for their sizes then), and once.
    var sets = new Sets();
    var decision =
        retrainPolicy.decide(
            new RetrainPolicy.LabelCounts(
                labels, labelsAtLastTraining, models.lastVersion(), models.lastTrainedAt()),
            java.time.Instant.now(),
            () -> sets.training().size(),
            () -> sets.evaluation().size(),
            gate);
    if (decision instanceof RetrainPolicy.Wait wait) {
      if (wait.waitingFor() == RetrainPolicy.WaitingFor.GATE_PASS && gate != reportedGate) {
        reportedGate = gate;
        LOG.infof(
            "not training %s: the auditor's gate for prompt version %s is %s, not PASS",
            codebook.task(), codebook.promptVersion(), gate);
      }
      idle(wait.status());
      return;
    }
    if (((RetrainPolicy.Train) decision).gateOverridden()) {
      LOG.warnf(
          "TRAINING %s ON LABELS WHOSE GATE IS %s, NOT PASS: distillery.trainer.require-gate-pass=false"
              + " (an override for experiments and demos)",
          codebook.task(), gate);
    }
    var trainingSet = sets.training();
    var evaluationSet = sets.evaluation();
    long previousLabels = labelsAtLastTraining;
    long version = models.takeNextVersion();
    labelsAtLastTraining = labels;
    status =
        new TrainingStatus(
            TrainingStatus.State.TRAINING,
            trainingSet.size() + " teacher labels, " + evaluationSet.size() + " human-verified",
            version,
            0,
            0,
            0,
            0,
            java.time.Instant.now());
    inFlight =
        training.submit(
            () -> {
              try {
                var champion = models.champion();
                var since = status.since();
                var result =
                    studentTrainer.train(
                        version,
                        data.promptVersion(),
                        trainingSet,
                        evaluationSet,
                        champion,
                        (epoch, epochs, loss, perSecond) -> {
                          LOG.infof(
                              "training %s v%d: epoch %d/%d, loss %.4f, %.0f examples/s",
                              codebook.task(),
                              Long.valueOf(version),
                              Integer.valueOf(epoch),
                              Integer.valueOf(epochs),
                              Double.valueOf(loss),
                              Double.valueOf(perSecond));
                          status =
                              new TrainingStatus(
                                  TrainingStatus.State.TRAINING,
                                  status.detail(),
                                  version,
                                  epoch,
                                  epochs,
                                  loss,
                                  perSecond,
                                  since);
                        });
                models.decideAndPublish(
                    result.challenger(),
                    result.challengerF1(),
                    result.championF1(),
                    config.promotionTolerance(),
                    result.noComparison());
                lastError = null;
                status = TrainingStatus.of(TrainingStatus.State.WAITING, "trained v" + version);
              } catch (Exception e) {
                // Nothing was published: the same version is tried again after a pause.
                lastError = e.toString();
                models.release(version);
                labelsAtLastTraining = previousLabels;
                retryNotBefore = System.nanoTime() + RETRY_PAUSE.toNanos();
                status =
                    TrainingStatus.of(
                        TrainingStatus.State.WAITING, "v" + version + " failed: " + e);
                LOG.errorf(
                    e,
                    "training %s v%d failed; retrying in %s",
                    codebook.task(),
                    Long.valueOf(version),
                    RETRY_PAUSE);
              }
            });
  }

  /** The training and evaluation sets of one decision, each built on first use. */
  private final class Sets {
    private List<LabeledExample> training;
    private Evaluation evaluation;

    List<LabeledExample> training() {
      if (training == null) {
        training = data.trainingSet();
      }
      return training;
    }

    Evaluation evaluation() {
      if (evaluation == null) {
        evaluation =
            data.evaluation(
                codebook.labelNames(),
                config.correctTeacherErrors(),
                config.correctionMinReviews());
      }
      return evaluation;
    }
  }

  private void idle(String why) {
    if (status.state() != TrainingStatus.State.WAITING || !why.equals(status.detail())) {
      status = TrainingStatus.of(TrainingStatus.State.WAITING, why);
    }
  }

  /** What the trainer is doing now. */
  public TrainingStatus status() {
    return status;
  }

  /** Every model version known, oldest first, each as its newest record says. */
  public List<ModelVersion> versions() {
    return models.versions();
  }

  /** The model the classifiers score with. */
  public Optional<ModelVersion> champion() {
    return models.champion();
  }

  /**
   * Makes {@code version} the champion, retiring the one before it.
   *
   * @param who the person, for the record's reason
   * @return the records published
   * @throws DecisionRefused when the version is unknown or the champion already
   */
  public List<ModelVersion> promote(long version, String who)
      throws ExecutionException, InterruptedException {
    return models.promote(version, who);
  }

  /**
   * Retires {@code version}, the champion, and promotes again the version promoted before it.
   *
   * @param who the person, for the record's reason
   * @return the records published
   * @throws DecisionRefused when {@code version} is not the champion or none came before
   */
  public List<ModelVersion> rollback(long version, String who)
      throws ExecutionException, InterruptedException {
    return models.rollback(version, who);
  }

  @Override
  public Health health() {
    var stopped = loop == null ? Optional.<String>empty() : loop.error();
    if (stopped.isPresent()) {
      return new Health(caughtUp, "trainer stopped: " + stopped.get());
    }
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
            + models.lastVersion()
            + (training ? ", training" : ""));
  }

  /** The newest model version this trainer published or saw. */
  public long lastVersion() {
    return models.lastVersion();
  }

  @Override
  public void close() {
    if (loop != null) {
      loop.close();
    }
    training.shutdown();
    try {
      training.awaitTermination(60, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    // After the training thread: a training that ends now still publishes its version.
    if (producer != null) {
      producer.close(Duration.ofSeconds(5));
    }
  }
}
