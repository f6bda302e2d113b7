package io.distillery.labeler;

import io.distillery.common.Codebook;
import io.distillery.common.DistilleryConfig;
import io.distillery.common.Role;
import io.distillery.common.Topics;
import io.distillery.common.TransactionalLoop;
import java.time.Clock;
import java.util.List;

/** The labeler role: reads raw texts, writes teacher labels, exactly once. */
public final class Labeler implements Role {

  private final TransactionalLoop loop;

  public Labeler(DistilleryConfig common, LabelerConfig config, Topics topics, Codebook codebook) {
    var teacher = teacher(config, codebook);
    var handler = new LabelingHandler(topics, teacher, codebook.task(), Clock.systemUTC());
    this.loop =
        new TransactionalLoop(
            "labeler",
            common.kafka().bootstrapServers(),
            config.groupId(),
            List.of(topics.raw().name()),
            handler);
  }

  /** The configured teacher; an unknown kind fails at start, not at the first text. */
  static Teacher teacher(LabelerConfig config, Codebook codebook) {
    return switch (config.teacher()) {
      case "replay" -> new ReplayTeacher(codebook, config.replayField());
      default ->
          throw new IllegalArgumentException(
              "distillery.labeler.teacher: unknown teacher '"
                  + config.teacher()
                  + "' (known: replay)");
    };
  }

  @Override
  public String name() {
    return "labeler";
  }

  @Override
  public void start() {
    loop.start();
  }

  @Override
  public Health health() {
    if (loop.failure() != null) {
      return new Health(false, "stopped: " + loop.failure());
    }
    return new Health(
        loop.ready(), loop.ready() ? "labeled " + loop.processed() + " records" : "starting");
  }

  /** Records handled so far. */
  public long processed() {
    return loop.processed();
  }

  @Override
  public void close() {
    loop.close();
  }
}
