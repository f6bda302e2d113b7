package io.distillery.app;

import io.distillery.common.DistilleryConfig;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.Duration;
import java.util.List;

/**
 * {@code GET /api/stream}: the stream over the last {@value #RETAINED_HOURS} hours, in at most
 * {@value #POINTS} stretches: texts/s arrived, scored and labeled by the teacher, the teacher's
 * share, and dollars spent on the teacher against dollars the student saved, cumulative (the
 * dashboard's stream charts). Read from the topics on first use (the first answer waits until they
 * are read, up to 20 s) and kept up to date after, so it holds the same history after a restart, in
 * one process whatever roles it runs; a process nobody asks reads nothing.
 */
@Path("/api/stream")
@ApplicationScoped
public class StreamResource {

  static final int RETAINED_HOURS = 24;
  static final int POINTS = 120;
  // The longest a first request waits for the day's records to be read (a million take seconds).
  private static final Duration CATCH_UP = Duration.ofSeconds(20);

  private final DistilleryConfig config;
  private final RoleSupervisor supervisor;
  private final StreamHistory history = new StreamHistory(RETAINED_HOURS * 60);
  private StreamHistoryReader reader;

  StreamResource(DistilleryConfig config, RoleSupervisor supervisor) {
    this.config = config;
    this.supervisor = supervisor;
  }

  @GET
  @Produces(MediaType.APPLICATION_JSON)
  public List<StreamHistory.Point> stream() {
    startReading().awaitCaughtUp(CATCH_UP);
    return history.view(System.currentTimeMillis(), POINTS);
  }

  /** Starts following the topics on first use; the first answer waits until the history is read. */
  private synchronized StreamHistoryReader startReading() {
    if (reader == null) {
      reader =
          new StreamHistoryReader(
              config.kafka().bootstrapServers(),
              supervisor.topics(),
              history,
              Duration.ofHours(RETAINED_HOURS));
    }
    return reader;
  }

  synchronized void onStop(@Observes ShutdownEvent event) {
    if (reader != null) {
      reader.close();
      reader = null;
    }
  }
}
