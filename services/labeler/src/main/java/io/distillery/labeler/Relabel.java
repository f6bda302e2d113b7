package io.distillery.labeler;

import io.distillery.common.Codebook;
import io.distillery.common.CommandLines;
import io.distillery.common.KafkaClients;
import io.distillery.common.PollLoop;
import io.distillery.common.ToolSettings;
import io.distillery.common.Topics;
import io.distillery.schema.LabeledText;
import io.distillery.schema.TextEvent;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code ./distillery relabel --since TIME [--prompt-version OLD]}: labels again, under the current
 * codebook, the texts labeled since {@code TIME} (optionally only those labeled under prompt
 * version {@code OLD}). The new labels are appended to the labeled topic beside the old ones, told
 * apart by their prompt version; nothing is overwritten. Runs the configured teacher in this
 * process, in one transaction per chunk.
 */
public final class Relabel {

  /**
   * What to relabel.
   *
   * @param since texts labeled at or after this time
   * @param promptVersion only texts whose label has this prompt version; empty for any other than
   *     the current one
   */
  public record Slice(Instant since, Optional<String> promptVersion) {}

  private Relabel() {}

  /**
   * The texts of the slice, latest label per id, in topic order; texts already labeled under {@code
   * current} are left out.
   */
  public static List<TextEvent> select(
      String bootstrapServers, Topics topics, Slice slice, String current) {
    var reader = topics.labeled().valueSerde().deserializer();
    var chosen = new LinkedHashMap<String, TextEvent>();
    var done = new HashMap<String, Boolean>();
    try (var consumer =
        new KafkaConsumer<byte[], byte[]>(
            KafkaClients.stateReader(bootstrapServers, "distillery-relabel"))) {
      var partitions = new ArrayList<TopicPartition>();
      consumer
          .partitionsFor(topics.labeled().name(), Duration.ofSeconds(60))
          .forEach(p -> partitions.add(new TopicPartition(p.topic(), p.partition())));
      consumer.assign(partitions);
      var end = consumer.endOffsets(partitions);
      Map<TopicPartition, Long> times = new HashMap<>();
      partitions.forEach(p -> times.put(p, slice.since().toEpochMilli()));
      consumer
          .offsetsForTimes(times)
          .forEach(
              (partition, found) ->
                  consumer.seek(partition, found == null ? end.get(partition) : found.offset()));
      PollLoop.readToEnd(
          consumer,
          end,
          record -> {
            LabeledText labeled = reader.deserialize(record.topic(), record.value());
            var version = labeled.getTeacher().getPromptVersion();
            if (version.equals(current)) {
              done.put(labeled.getId(), true);
            } else if (slice.promptVersion().map(version::equals).orElse(true)) {
              chosen.put(
                  labeled.getId(),
                  TextEvent.newBuilder()
                      .setId(labeled.getId())
                      .setText(labeled.getText())
                      .setSource(labeled.getSource())
                      .setIngestedAt(Instant.now())
                      .build());
            }
          },
          () -> {});
    }
    done.keySet().forEach(chosen::remove);
    return List.copyOf(chosen.values());
  }

  /** Labels {@code texts} with {@code teacher} and appends the labels; returns how many. */
  public static int relabel(
      String bootstrapServers,
      Topics topics,
      Teacher teacher,
      Codebook codebook,
      List<TextEvent> texts) {
    var serializer = topics.raw().valueSerde().serializer();
    var handler = new LabelingHandler(topics, teacher, codebook.task(), Clock.systemUTC());
    var props =
        KafkaClients.transactionalProducer(
            bootstrapServers, "distillery-relabel-" + codebook.task());
    int written = 0;
    try (var producer = new KafkaProducer<byte[], byte[]>(props)) {
      producer.initTransactions();
      for (int from = 0; from < texts.size(); from += 100) {
        var chunk = texts.subList(from, Math.min(texts.size(), from + 100));
        var records = new ArrayList<ConsumerRecord<byte[], byte[]>>();
        for (var text : chunk) {
          records.add(
              new ConsumerRecord<>(
                  topics.labeled().name(),
                  -1,
                  -1,
                  new StringSerializer().serialize(null, text.getId()),
                  serializer.serialize(topics.raw().name(), text)));
        }
        List<org.apache.kafka.clients.producer.ProducerRecord<byte[], byte[]>> outputs;
        while (true) {
          try {
            outputs = handler.handle(records);
            break;
          } catch (io.distillery.common.TransactionalLoop.RetryLater e) {
            System.err.printf("%n%s; retrying in %s%n", e.getMessage(), e.after());
            try {
              Thread.sleep(e.after().toMillis());
            } catch (InterruptedException interrupted) {
              Thread.currentThread().interrupt();
              throw new IllegalStateException("interrupted", interrupted);
            }
          }
        }
        producer.beginTransaction();
        outputs.forEach(producer::send);
        producer.commitTransaction();
        written += outputs.size();
        System.err.printf("\rrelabeled %d/%d", Math.min(texts.size(), from + 100), texts.size());
      }
    }
    System.err.println();
    return written;
  }

  /** The command line. */
  @Command(
      name = "distillery relabel",
      description =
          "Sends the texts labelled since an instant to the teacher again, under the codebook's"
              + " prompt version.")
  static final class Arguments {
    @Mixin CommandLines.Help help;

    @Option(
        names = "--since",
        required = true,
        paramLabel = "INSTANT",
        description = "texts labelled at or after this instant, e.g. 2026-01-01T00:00:00Z")
    Instant since;

    @Option(
        names = "--prompt-version",
        paramLabel = "OLD",
        description = "only texts labelled under this prompt version")
    Optional<String> promptVersion = Optional.empty();
  }

  /** See the class comment; the teacher and cluster come from the usual environment. */
  public static void main(String[] args) {
    var arguments = CommandLines.parseOrExit(new Arguments(), args, System.out, System.err);
    var since = arguments.since;
    var promptVersion = arguments.promptVersion;
    var teacherConfig = TeacherSettings.load();
    var common = ToolSettings.distillery();
    var codebook = Codebook.load(Path.of(common.codebook()));
    var bootstrap = common.kafka().bootstrapServers();
    var topics = Topics.create(common.topicPrefix(), ToolSettings.serdes(common));
    var texts =
        select(bootstrap, topics, new Slice(since, promptVersion), codebook.promptVersion());
    System.err.printf(
        "%d texts to relabel under prompt version %s%n", texts.size(), codebook.promptVersion());
    try (var teacher = Teachers.create(teacherConfig, codebook)) {
      int written = relabel(bootstrap, topics, teacher, codebook, texts);
      System.out.printf("wrote %d records (labels and dead letters)%n", written);
    }
  }
}
