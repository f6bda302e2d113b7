package io.distillery.labeler.zeroshot;

import static org.assertj.core.api.Assertions.assertThat;

import io.distillery.common.Codebook;
import io.distillery.labeler.Teacher.Failed;
import io.distillery.labeler.Teacher.Labeled;
import io.distillery.labeler.Teacher.Outcome;
import io.distillery.labeler.Teacher.TeacherLabel;
import io.distillery.schema.TextEvent;
import io.distillery.students.minilm.MiniLmEncoder;
import io.distillery.students.minilm.TextEncoder;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ZeroShotTeacherTest {

  private static final Codebook TOPICS =
      new Codebook(
          "topic",
          "What a short text is about",
          List.of(
              new Codebook.Label("sports", "Games, athletes, matches and competitions."),
              new Codebook.Label("cooking", "Recipes, food, ingredients and kitchens.")),
          "",
          List.of());

  private static final String MATCH =
      "The striker scored twice in the second half and the team won the league.";
  private static final String RECIPE =
      "Whisk the eggs with the sugar, fold in the flour and bake for twenty minutes.";

  private static MiniLmEncoder encoder;

  @BeforeAll
  static void loadModel() {
    encoder = new MiniLmEncoder();
  }

  @AfterAll
  static void closeModel() {
    encoder.close();
  }

  @Test
  void shouldPickTheObviousLabelWithConfidenceAndNoCost() {
    var teacher = new ZeroShotTeacher(TOPICS, encoder);

    var outcomes = teacher.label(events(MATCH, RECIPE));

    assertThat(label(outcomes.get(0)).label()).isEqualTo("sports");
    assertThat(label(outcomes.get(1)).label()).isEqualTo("cooking");
    for (var outcome : outcomes) {
      var label = label(outcome);
      assertThat(label.confidence()).isBetween(0.5, 1.0);
      assertThat(label.consistency()).isNull();
      assertThat(label.costUsd()).isZero();
      assertThat(label.promptTokens()).isZero();
      assertThat(label.completionTokens()).isZero();
    }
  }

  @Test
  void shouldStampKindModelAndPromptVersion() {
    var identity = new ZeroShotTeacher(TOPICS, encoder).identity();

    assertThat(identity.getKind()).isEqualTo("zero-shot");
    assertThat(identity.getModel()).isEqualTo("all-MiniLM-L6-v2-q");
    assertThat(identity.getPromptVersion()).isEqualTo(TOPICS.promptVersion());
  }

  @Test
  void shouldKeepOutcomesInInputOrder() {
    var teacher = new ZeroShotTeacher(TOPICS, encoder);
    var texts =
        List.of(
            RECIPE,
            "Goal!",
            MATCH,
            "Season the soup with salt and pepper.",
            "She won the marathon in record time.",
            "Knead the dough and let it rise overnight before baking the bread.");

    var labels = teacher.label(events(texts.toArray(String[]::new)));

    assertThat(labels)
        .extracting(outcome -> label(outcome).label())
        .containsExactly("cooking", "sports", "sports", "cooking", "sports", "cooking");
  }

  @Test
  void shouldFailAnEmptyTextAndLabelTheRest() {
    var teacher = new ZeroShotTeacher(TOPICS, encoder);

    var outcomes = teacher.label(events(MATCH, "  \n", RECIPE));

    assertThat(outcomes.get(1)).isInstanceOf(Failed.class);
    assertThat(((Failed) outcomes.get(1)).reason()).contains("empty");
    assertThat(label(outcomes.get(0)).label()).isEqualTo("sports");
    assertThat(label(outcomes.get(2)).label()).isEqualTo("cooking");
  }

  @Test
  void shouldLearnWhatALabelMeansFromTheCodebookExamples() {
    var opaque =
        new Codebook(
            "opaque",
            "",
            List.of(
                new Codebook.Label("A", "The first kind."),
                new Codebook.Label("B", "The other kind.")),
            "",
            List.of(
                new Codebook.Example("The goalkeeper saved a penalty in extra time.", "A"),
                new Codebook.Example("Our tennis champion won in straight sets.", "A"),
                new Codebook.Example("Simmer the tomato sauce with garlic and basil.", "B"),
                new Codebook.Example("Roast the chicken with lemon and thyme.", "B")));
    var teacher = new ZeroShotTeacher(opaque, encoder);

    var outcomes = teacher.label(events(MATCH, RECIPE));

    assertThat(label(outcomes.get(0)).label()).isEqualTo("A");
    assertThat(label(outcomes.get(1)).label()).isEqualTo("B");
  }

  @Test
  void shouldFailOnlyTheTextTheEncoderCannotEmbed() {
    var teacher = new ZeroShotTeacher(TOPICS, new ChokingEncoder());

    var outcomes = teacher.label(events("sports talk", "POISON", "cooking talk"));

    assertThat(label(outcomes.get(0)).label()).isEqualTo("sports");
    assertThat(outcomes.get(1)).isInstanceOf(Failed.class);
    assertThat(((Failed) outcomes.get(1)).reason()).contains("runtime choked");
    assertThat(label(outcomes.get(2)).label()).isEqualTo("cooking");
  }

  @Test
  void shouldLeaveASharedEncoderOpenForItsOwner() {
    var shared = new ChokingEncoder();

    new ZeroShotTeacher(TOPICS, shared).close();

    assertThat(shared.closed).isFalse();
  }

  /** Embeds by keyword, and fails any batch that holds the word POISON. */
  private static final class ChokingEncoder implements TextEncoder {
    final AtomicBoolean closed = new AtomicBoolean();

    @Override
    public String modelName() {
      return "keywords";
    }

    @Override
    public float[][] embed(List<String> texts) {
      if (texts.stream().anyMatch(text -> text.contains("POISON"))) {
        throw new EncodingException("runtime choked", new IllegalStateException());
      }
      return texts.stream()
          .map(text -> text.startsWith("sports") ? new float[] {1, 0} : new float[] {0, 1})
          .toArray(float[][]::new);
    }

    @Override
    public void close() {
      closed.set(true);
    }
  }

  private static TeacherLabel label(Outcome outcome) {
    assertThat(outcome).isInstanceOf(Labeled.class);
    return ((Labeled) outcome).label();
  }

  private static List<TextEvent> events(String... texts) {
    return Arrays.stream(texts)
        .map(
            text ->
                TextEvent.newBuilder()
                    .setId(Integer.toHexString(text.hashCode()))
                    .setText(text)
                    .setIngestedAt(Instant.EPOCH)
                    .setMetadata(Map.of())
                    .build())
        .toList();
  }
}
