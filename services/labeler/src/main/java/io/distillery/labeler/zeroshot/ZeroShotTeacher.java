package io.distillery.labeler.zeroshot;

import io.distillery.common.Codebook;
import io.distillery.labeler.Teacher;
import io.distillery.labeler.TeacherKind;
import io.distillery.schema.TeacherIdentity;
import io.distillery.schema.TextEvent;
import io.distillery.students.minilm.MiniLmEncoder;
import io.distillery.students.minilm.TextEncoder;
import java.util.ArrayList;
import java.util.List;

/**
 * Labels a text with the codebook label whose prototype it is most similar to in MiniLM's embedding
 * space. A label's prototype is the embedding of "name: definition", averaged with the mean
 * embedding of the codebook's examples for that label when there are any (definition and examples
 * weigh half each, so a long example list does not drown the definition). The confidence is a
 * softmax over the cosine similarities at {@link #TEMPERATURE}.
 *
 * <p>Free, offline and, with the default {@link MiniLmEncoder}, reproducible: a text gets the same
 * label whatever it is batched with. Better than chance on polar tasks (movie-review sentiment,
 * accuracy about 0.66), near or below chance on subtle ones (stance, politeness, kinds of implicit
 * hate), which is what the auditor is there to notice. Thread-safe.
 */
public final class ZeroShotTeacher implements Teacher {

  /**
   * Softmax temperature over cosine similarities. MiniLM's similarities between a text and the
   * label descriptions of one task differ by a few hundredths to about 0.2: at 0.05 a gap of 0.05
   * gives 73% to the better of two labels and a gap of 0.15 gives 95%, while at 1.0 every label
   * would get nearly the same share whatever the text. Measured on movie-review-polarity, the one
   * shared task where this teacher is clearly better than chance, 0.05 has the lowest log-loss of
   * 0.01 to 0.2 and a mean confidence (0.65) matching its accuracy (0.66). Where it is near chance
   * the confidence overstates it (0.98 on global-warming-stance at accuracy 0.40): no temperature
   * fixes a teacher that cannot tell the labels apart; the auditor's human sample does.
   */
  public static final double TEMPERATURE = 0.05;

  private final Codebook codebook;
  private final TextEncoder encoder;
  private final boolean ownsEncoder;
  private final TeacherIdentity identity;
  private final float[][] prototypes;

  /** A teacher with its own {@link MiniLmEncoder}, closed with the teacher. */
  public ZeroShotTeacher(Codebook codebook) {
    this(codebook, new MiniLmEncoder(), true);
  }

  /**
   * A teacher on a shared encoder, which the caller keeps and closes.
   *
   * @throws TextEncoder.EncodingException when the label prototypes cannot be embedded
   */
  public ZeroShotTeacher(Codebook codebook, TextEncoder encoder) {
    this(codebook, encoder, false);
  }

  private ZeroShotTeacher(Codebook codebook, TextEncoder encoder, boolean ownsEncoder) {
    this.codebook = codebook;
    this.encoder = encoder;
    this.ownsEncoder = ownsEncoder;
    this.identity =
        new TeacherIdentity(
            TeacherKind.ZERO_SHOT.id(), encoder.modelName(), codebook.promptVersion());
    try {
      this.prototypes = prototypes(codebook, encoder);
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  @Override
  public TeacherIdentity identity() {
    return identity;
  }

  @Override
  public List<Outcome> label(List<TextEvent> events) {
    var outcomes = new Outcome[events.size()];
    var positions = new ArrayList<Integer>();
    var texts = new ArrayList<String>();
    for (int i = 0; i < events.size(); i++) {
      var text = events.get(i).getText();
      if (text == null || text.isBlank()) {
        outcomes[i] = new Failed("zero-shot: the text is empty, there is nothing to embed");
      } else {
        positions.add(i);
        texts.add(text);
      }
    }
    if (texts.isEmpty()) {
      return List.of(outcomes);
    }
    try {
      float[][] vectors = encoder.embed(texts);
      for (int j = 0; j < texts.size(); j++) {
        outcomes[positions.get(j)] = classify(vectors[j]);
      }
    } catch (TextEncoder.EncodingException batchFailed) {
      // Find the text the runtime chokes on: it fails alone, the others are labelled.
      for (int j = 0; j < texts.size(); j++) {
        outcomes[positions.get(j)] = labelAlone(texts.get(j));
      }
    }
    return List.of(outcomes);
  }

  @Override
  public void close() {
    if (ownsEncoder) {
      encoder.close();
    }
  }

  private Outcome labelAlone(String text) {
    try {
      return classify(encoder.embed(List.of(text))[0]);
    } catch (TextEncoder.EncodingException e) {
      return new Failed("zero-shot: " + e.getMessage());
    }
  }

  private Outcome classify(float[] vector) {
    var similarities = new double[prototypes.length];
    int best = 0;
    for (int l = 0; l < prototypes.length; l++) {
      similarities[l] = dot(vector, prototypes[l]);
      if (similarities[l] > similarities[best]) {
        best = l;
      }
    }
    if (!Double.isFinite(similarities[best])) {
      return new Failed("zero-shot: the text's embedding is not a finite vector");
    }
    // Shifting by the maximum keeps exp() from overflowing; the softmax is unchanged.
    double total = 0;
    for (double similarity : similarities) {
      total += Math.exp((similarity - similarities[best]) / TEMPERATURE);
    }
    var label = codebook.labels().get(best).name();
    return new Labeled(new TeacherLabel(label, 1.0 / total, null, 0.0, 0, 0));
  }

  /** One unit vector per label, in the codebook's order. */
  private static float[][] prototypes(Codebook codebook, TextEncoder encoder) {
    var labels = codebook.labels();
    var texts = new ArrayList<String>();
    for (var label : labels) {
      texts.add(label.name() + ": " + label.definition());
    }
    for (var example : codebook.examples()) {
      texts.add(example.text());
    }
    float[][] embedded = encoder.embed(texts);
    var prototypes = new float[labels.size()][];
    for (int l = 0; l < labels.size(); l++) {
      var name = labels.get(l).name();
      var examples = new ArrayList<float[]>();
      for (int e = 0; e < codebook.examples().size(); e++) {
        if (codebook.examples().get(e).label().equals(name)) {
          examples.add(embedded[labels.size() + e]);
        }
      }
      prototypes[l] =
          examples.isEmpty() ? embedded[l] : normalised(sum(embedded[l], 1.0, mean(examples), 1.0));
    }
    return prototypes;
  }

  private static float[] mean(List<float[]> vectors) {
    var mean = new float[vectors.get(0).length];
    for (var vector : vectors) {
      mean = sum(mean, 1.0, vector, 1.0 / vectors.size());
    }
    return mean;
  }

  private static float[] sum(float[] a, double wa, float[] b, double wb) {
    var sum = new float[a.length];
    for (int d = 0; d < a.length; d++) {
      sum[d] = (float) (wa * a[d] + wb * b[d]);
    }
    return sum;
  }

  private static float[] normalised(float[] vector) {
    double norm = Math.sqrt(dot(vector, vector));
    var unit = new float[vector.length];
    for (int d = 0; d < vector.length; d++) {
      unit[d] = (float) (vector[d] / norm);
    }
    return unit;
  }

  private static double dot(float[] a, float[] b) {
    double dot = 0;
    for (int d = 0; d < a.length; d++) {
      dot += a[d] * b[d];
    }
    return dot;
  }
}
