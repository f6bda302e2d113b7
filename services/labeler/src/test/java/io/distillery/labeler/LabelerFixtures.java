package io.distillery.labeler;

import io.distillery.common.Codebook;
import io.distillery.common.Topics;
import io.distillery.common.testing.Records;
import io.distillery.schema.TextEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.producer.ProducerRecord;

/** What the labeler's tests share: a yes/no codebook and raw texts on the real broker. */
final class LabelerFixtures {

  /** A two-label task. */
  static final Codebook BOOK =
      new Codebook(
          "t",
          "",
          List.of(new Codebook.Label("yes", "it is"), new Codebook.Label("no", "it is not")),
          "",
          List.of());

  private LabelerFixtures() {}

  /** Sends texts given as id, text, id, text, ... to the raw topic and waits for the broker. */
  static void sendTexts(String bootstrap, Topics topics, String... idText) {
    var out = new ArrayList<ProducerRecord<String, TextEvent>>();
    for (int i = 0; i < idText.length; i += 2) {
      var event =
          TextEvent.newBuilder()
              .setId(idText[i])
              .setText(idText[i + 1])
              .setIngestedAt(Instant.now())
              .build();
      out.add(new ProducerRecord<>(topics.forTeacher().name(), event.getId(), event));
    }
    Records.send(bootstrap, topics.forTeacher(), out);
  }
}
