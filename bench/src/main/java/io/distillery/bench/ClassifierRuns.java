package io.distillery.bench;

import static io.distillery.bench.ClassifierBench.*;

import io.distillery.bench.ClassifierBench.Committed;
import io.distillery.bench.ClassifierBench.PacedTexts;
import io.distillery.bench.ClassifierBench.Result;
import io.distillery.bench.ClassifierBench.Routing;
import io.distillery.bench.ClassifierBench.Timing;
import io.distillery.bench.ClassifierBench.Trained;
import io.distillery.classifier.ClassifierConfig;
import io.distillery.classifier.ClassifierCounters;
import io.distillery.classifier.ClassifierTopology;
import io.distillery.classifier.ModelHolder;
import io.distillery.common.AvroSerdes;
import io.distillery.common.KafkaClients;
import io.distillery.common.TopicAdmin;
import io.distillery.common.Topics;
import io.distillery.schema.ModelStatus;
import io.distillery.schema.ModelVersion;
import io.distillery.schema.TextEvent;
import io.distillery.students.LabeledExample;
import io.distillery.students.ModelStore;
import io.distillery.students.StudentKind;
import io.distillery.students.StudentKinds;
import io.distillery.students.TrainingProgress;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;

/**
 * {@link ClassifierBench}'s runs, on one broker and registry: training and loading the students,
 * the passthrough and each classifier over a preloaded backlog, then the paced phase. The report
 * stays in {@link ClassifierBench}.
 */
final class ClassifierRuns {

  private final String bootstrap;
  private final String registryUrl;
  private final Admin admin;
  private final Path work;
  private final ClassifierConfig config =
      new SmallRyeConfigBuilder()
          .withMapping(ClassifierConfig.class)
          .build()
          .getConfigMapping(ClassifierConfig.class);
  private int runs;

  ClassifierRuns(String bootstrap, String registryUrl, Admin admin, Path work) {
    this.bootstrap = bootstrap;
    this.registryUrl = registryUrl;
    this.admin = admin;
    this.work = work;
  }

  /** Trains a student on LLM labels, saves it as the trainer would and loads it back. */
  Trained train(
      ModelStore store,
      long version,
      StudentKind kind,
      List<LabeledExample> examples,
      List<String> labels,
      StudentKinds kinds)
      throws IOException {
    progress("training %s on %d LLM labels", kind.name(), examples.size());
    var trained = kind.train(examples, labels, SEED, TrainingProgress.NONE);
    var stored = store.save(TASK, version, kind, trained.student(), System.currentTimeMillis());
    trained.student().close();
    var modelVersion =
        ModelVersion.newBuilder()
            .setName(TASK)
            .setVersion(version)
            .setKind(kind.name())
            .setStatus(ModelStatus.PROMOTED)
            .setArtifactUri(stored.uri().toString())
            .setArtifactSha256(stored.sha256())
            .setLabels(labels)
            .setPromptVersion("bench")
            .setTrainingSize(examples.size())
            .setCreatedAt(Instant.now())
            .build();
    var holder = new ModelHolder(TASK, kinds);
    if (!holder.offer(modelVersion)) {
      throw new IllegalStateException("the classifier cannot load the saved " + kind.name());
    }
    return new Trained(kind.name(), examples.size(), trained.trainingMillis(), holder);
  }

  /**
   * A warm-up passthrough over the backlog (not counted, its own application and output topic),
   * then the measured one over the same raw topic.
   */
  Result passthrough(List<String> backlog, PacedTexts pacedTexts) throws Exception {
    var topics = topics("passthrough");
    var warmUpOut = topics.prefix() + ".bench.warm-up";
    var out = topics.prefix() + ".bench.passthrough";
    ensure(topics, List.of(warmUpOut, out));
    preload(topics, backlog);
    progress("warm-up passthrough over %d texts", backlog.size());
    run(
        passthroughTopology(topics.raw().name(), warmUpOut),
        topics.prefix() + "-warm-up",
        topics,
        List.of(warmUpOut),
        warmUpOut,
        backlog.size(),
        PacedTexts.NONE);

    progress("passthrough over %d texts", backlog.size());
    var timing =
        run(
            passthroughTopology(topics.raw().name(), out),
            topics.prefix() + "-passthrough",
            topics,
            List.of(out),
            out,
            backlog.size(),
            pacedTexts);
    long copied = readAll(out, r -> {});
    check(copied == backlog.size() + timing.paced(), "passthrough copied " + copied);
    return new Result("passthrough (bytes)", backlog.size(), timing, null, null);
  }

  /** The classifier's topology with {@code student}'s holder. */
  Result classifier(
      String name,
      Trained student,
      List<String> backlog,
      PacedTexts pacedTexts,
      List<String> warmUp)
      throws Exception {
    var model = student.holder().current().orElseThrow().student();
    progress("%s: scoring %d texts to warm up", name, warmUp.size());
    warmUp.forEach(model::predict);

    var topics = topics(name);
    ensure(topics, List.of());
    preload(topics, backlog);
    progress("classifier with %s over %d texts", name, backlog.size());
    var counters = new ClassifierCounters();
    var topology =
        ClassifierTopology.build(
            topics, config, student.holder(), topics.raw().valueSerde().deserializer(), counters);
    var scored = topics.scored().name();
    var timing =
        run(
            topology,
            topics.prefix() + "-classifier",
            topics,
            List.of(scored, topics.forTeacher().name(), topics.dlq().name()),
            scored,
            backlog.size(),
            pacedTexts);

    var ids = new HashSet<String>();
    var micros = new long[backlog.size()];
    var at = new int[1];
    var values = topics.scored().valueSerde().deserializer();
    readAll(
        scored,
        r -> {
          var text = values.deserialize(scored, r.value());
          ids.add(text.getId());
          if (text.getId().startsWith(BACKLOG) && at[0] < micros.length) {
            micros[at[0]++] = text.getLatencyMicros();
          }
        });
    long expected = backlog.size() + timing.paced();
    check(ids.size() == expected, name + " scored " + ids.size() + " distinct texts");
    check(at[0] == backlog.size(), name + " scored " + at[0] + " of the backlog");
    check(counters.deadLettered() == 0, name + " dead-lettered " + counters.deadLettered());
    Arrays.sort(micros);
    return new Result(
        "classifier, " + name,
        backlog.size(),
        timing,
        micros,
        new Routing(counters.scored(), counters.uncertain(), counters.toTeacherTotal()));
  }

  /**
   * Runs {@code topology} over the preloaded backlog, then paced texts, and stops it.
   *
   * @param appId the application id, fresh for each run
   * @param outputs every topic it writes to, whose transactions must be closed for a run to end
   * @param latencyTopic where the paced texts' arrival is timed
   * @param pacedTexts texts to send at a paced rate; none for no paced phase
   */
  Timing run(
      Topology topology,
      String appId,
      Topics topics,
      List<String> outputs,
      String latencyTopic,
      int backlog,
      PacedTexts pacedTexts)
      throws Exception {
    var props = KafkaClients.streams(bootstrap, appId, work.resolve("streams").toString());
    props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, ClassifierBench.STREAM_THREADS);
    var failure = new AtomicReference<Throwable>();
    try (var streams = new KafkaStreams(topology, props)) {
      streams.setUncaughtExceptionHandler(
          e -> {
            failure.set(e);
            return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
          });
      long start = System.nanoTime();
      streams.start();
      var committed = awaitCommitted(appId, topics.raw().name(), backlog, outputs, failure);
      long startup = committed.firstNanos() - start;
      long total = committed.doneNanos() - start;
      long afterStartup = committed.doneNanos() - committed.firstNanos();
      progress(
          "%s: %d texts committed %.2f s after start (first commit after %.2f s)",
          appId, backlog, total / 1e9, startup / 1e9);
      // Every text committed at once (a tiny backlog) leaves no time after startup to divide by.
      double steady =
          afterStartup > 0 ? (backlog - committed.firstCount()) / (afterStartup / 1e9) : Double.NaN;
      if (pacedTexts.texts().isEmpty()) {
        return new Timing(startup, total, steady, 0, 0, new long[0]);
      }
      double rate =
          Math.max(1, PACED_SHARE * (afterStartup > 0 ? steady : backlog / (total / 1e9)));
      var texts = pacedTexts.take((int) Math.round(rate * PACED_FOR.toSeconds()));
      int count = texts.size();
      progress("paced: %d texts at %.0f/s", count, rate);
      var sendNanos = new AtomicLong();
      var latencies = paced(topics, texts, rate, latencyTopic, sendNanos);
      awaitCommitted(appId, topics.raw().name(), backlog + count, outputs, failure);
      Arrays.sort(latencies);
      return new Timing(startup, total, steady, count / (sendNanos.get() / 1e9), count, latencies);
    }
  }

  /**
   * Sends {@code texts} at {@code rate} from another thread and times each one's arrival on {@code
   * topic}, read-committed, in milliseconds from its send.
   *
   * @param sendNanos set to how long sending took: longer than planned when the producer fell
   *     behind
   */
  long[] paced(Topics topics, List<String> texts, double rate, String topic, AtomicLong sendNanos)
      throws Exception {
    var props = KafkaClients.stateReader(bootstrap, "bench-latency");
    var latencies = new long[texts.size()];
    int seen = 0;
    try (var consumer = new KafkaConsumer<byte[], byte[]>(props)) {
      var partitions = partitions(topic);
      consumer.assign(partitions);
      consumer.seekToEnd(partitions);
      partitions.forEach(consumer::position);
      var sendFailure = new AtomicReference<Exception>();
      var sender =
          new Thread(
              () -> {
                try {
                  sendNanos.set(send(topics, texts, PACED, rate));
                } catch (RuntimeException e) {
                  sendFailure.set(e);
                }
              },
              "bench-paced-producer");
      sender.start();
      var deadline = System.nanoTime() + PACED_FOR.plusSeconds(120).toNanos();
      var ids = new HashSet<String>();
      while (seen < texts.size() && System.nanoTime() < deadline && sendFailure.get() == null) {
        for (var record : consumer.poll(Duration.ofMillis(100))) {
          long now = System.currentTimeMillis();
          var id = new String(record.key(), StandardCharsets.UTF_8);
          if (id.startsWith(PACED) && ids.add(id)) {
            latencies[seen++] = now - record.timestamp();
          }
        }
      }
      sender.join();
      if (sendFailure.get() != null) {
        throw new IllegalStateException("sending paced texts failed", sendFailure.get());
      }
    }
    check(seen == texts.size(), "only " + seen + " of " + texts.size() + " paced texts arrived");
    return latencies;
  }

  /**
   * Polls every 20 ms until the application's committed offsets on {@code raw} add up to {@code
   * expected} and no output partition has an open transaction.
   */
  Committed awaitCommitted(
      String appId,
      String raw,
      long expected,
      List<String> outputs,
      AtomicReference<Throwable> failure)
      throws Exception {
    var outputPartitions = outputs.stream().flatMap(t -> partitions(t).stream()).toList();
    var deadline = System.nanoTime() + RUN_TIMEOUT.toNanos();
    long firstNanos = 0;
    long firstCount = 0;
    while (System.nanoTime() < deadline) {
      if (failure.get() != null) {
        throw new IllegalStateException("the stream thread failed", failure.get());
      }
      long count =
          admin
              .listConsumerGroupOffsets(appId)
              .partitionsToOffsetAndMetadata()
              .get()
              .entrySet()
              .stream()
              .filter(e -> e.getKey().topic().equals(raw) && e.getValue() != null)
              .mapToLong(e -> e.getValue().offset())
              .sum();
      long now = System.nanoTime();
      if (count > 0 && firstNanos == 0) {
        firstNanos = now;
        firstCount = count;
      }
      if (count >= expected && transactionsClosed(outputPartitions)) {
        return new Committed(firstNanos, firstCount, now);
      }
      Thread.sleep(20);
    }
    throw new IllegalStateException(
        appId + " did not commit " + expected + " texts in " + RUN_TIMEOUT);
  }

  /** Whether every partition's last stable offset is its end: nothing written is uncommitted. */
  private boolean transactionsClosed(List<TopicPartition> partitions)
      throws InterruptedException, ExecutionException {
    var latest = new HashMap<TopicPartition, OffsetSpec>();
    partitions.forEach(p -> latest.put(p, OffsetSpec.latest()));
    var stable =
        admin
            .listOffsets(latest, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED))
            .all()
            .get();
    var end = admin.listOffsets(latest).all().get();
    return partitions.stream().allMatch(p -> stable.get(p).offset() == end.get(p).offset());
  }

  /** A fresh topic registry for one run, with the registry-backed serdes. */
  private Topics topics(String run) {
    return Topics.create(
        "bench" + (++runs) + "-" + run.replaceAll("[^a-z0-9]", ""), new AvroSerdes(registryUrl));
  }

  /** Creates the run's topics and {@code extra} ones, and waits until they are ready. */
  private void ensure(Topics topics, List<String> extra) {
    var all = new ArrayList<NewTopic>(topics.newTopics(PARTITIONS, (short) 1));
    extra.forEach(name -> all.add(new NewTopic(name, PARTITIONS, (short) 1)));
    TopicAdmin.ensureTopics(bootstrap, all, Duration.ofSeconds(60));
  }

  private void preload(Topics topics, List<String> texts) {
    progress("preloading %d texts into %s", texts.size(), topics.raw().name());
    send(topics, texts, BACKLOG, 0);
  }

  /**
   * Writes {@code texts} to the raw topic as {@code TextEvent}s with ids {@code idPrefix + i}, at
   * {@code rate} a second, or as fast as possible when it is 0.
   *
   * @return nanoseconds from the first send to the last
   */
  private long send(Topics topics, List<String> texts, String idPrefix, double rate) {
    var raw = topics.raw();
    var failure = new AtomicReference<Exception>();
    long nanos;
    try (var producer =
        new KafkaProducer<>(
            KafkaClients.producer(bootstrap),
            raw.keySerde().serializer(),
            raw.valueSerde().serializer())) {
      long start = System.nanoTime();
      for (int i = 0; i < texts.size() && failure.get() == null; i++) {
        if (rate > 0) {
          long due = start + (long) (i * 1e9 / rate);
          for (long wait = due - System.nanoTime(); wait > 0; wait = due - System.nanoTime()) {
            LockSupport.parkNanos(wait);
          }
        }
        var id = idPrefix + i;
        var event =
            TextEvent.newBuilder()
                .setId(id)
                .setText(texts.get(i))
                .setSource("bench")
                .setIngestedAt(Instant.now())
                .build();
        producer.send(
            new ProducerRecord<>(raw.name(), id, event),
            (metadata, e) -> {
              if (e != null) {
                failure.compareAndSet(null, e);
              }
            });
      }
      nanos = System.nanoTime() - start;
      producer.flush();
    }
    if (failure.get() != null) {
      throw new IllegalStateException("cannot write to " + raw.name(), failure.get());
    }
    return nanos;
  }

  private long readAll(String topic, Consumer<ConsumerRecord<byte[], byte[]>> each) {
    return CommittedRecords.readAll(bootstrap, topic, each);
  }
}
