package io.distillery.students;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Training targets that say what people would answer, from the teacher's label, the teacher's
 * stated confidence in it and what the audit measured of both. {@link TeacherCorrection} maps a
 * student's answer through {@code P(person | teacher)} after training; this goes one step further
 * and earlier: it learns from the audit how often people agree with the teacher <em>at each stated
 * confidence</em>, and trains the student on that distribution, so the student learns {@code
 * p(person | text)} directly (Hendrycks et al. 2018, "Using Trusted Data to Train Deep Networks on
 * Labels Corrupted by Severe Noise", with the teacher's confidence as side information).
 *
 * <p>Why the confidence: an LLM's stated confidence ranks its errors well and states their rate
 * badly. On climate stance GPT-4o is right on 94 % of the train sentences it calls "agrees" at
 * 0.95, and on 40 % of those it calls "agrees" at 0.8: a one-hot target, or the stated 0.8, teaches
 * the student the wrong thing about the second kind. The audit fixes the scale per teacher label:
 *
 * <pre>P(person = j | teacher = j, confidence s) = σ(a_j + b_j · (logit s − mean_j)),  b_j ≥ 0
 * </pre>
 *
 * fitted by penalised maximum likelihood on the audited texts whose teacher label is {@code j}
 * (Platt scaling per label, centred; a Gaussian prior of variance 1 pulls {@code a_j} towards the
 * label's smoothed agreement and {@code b_j} towards 0, so a label with few or no audited texts
 * falls back to {@link TeacherCorrection}'s column). The mass people give other labels is shared as
 * that column shares it. A label the teacher gave without a confidence gets the column itself. The
 * logistic fit is two parameters by Newton's method, written here rather than pulled from a
 * statistics library for one 2×2 solve.
 *
 * <p>The audited texts must be chosen independently of how hard they are (the auditor's uniform and
 * stratified samples), as for {@link TeacherCorrection}.
 */
public final class AuditedTargets {

  /** Prior precision on both parameters of each label's fit. */
  private static final double PRIOR = 1.0;

  /** Stated confidences are clamped into this range before their logit. */
  private static final double EDGE = 0.005;

  private final TeacherCorrection column;
  private final double[] intercept;
  private final double[] slope;
  private final double[] centre;

  /** One audited text: people's label, the teacher's, and its stated confidence (or null). */
  public record Review(String person, String teacher, Double confidence) {}

  private AuditedTargets(TeacherCorrection column, double[] intercept, double[] slope, double[] c) {
    this.column = column;
    this.intercept = intercept;
    this.slope = slope;
    this.centre = c;
  }

  /**
   * Fits the targets on {@code reviews}.
   *
   * @param labels the label set, in the students' output order
   * @throws IllegalArgumentException when a review names a label not in {@code labels}
   */
  public static AuditedTargets fit(List<String> labels, List<Review> reviews) {
    var counts = new TreeMap<String, Map<String, Long>>();
    for (var review : reviews) {
      counts
          .computeIfAbsent(review.person(), p -> new TreeMap<>())
          .merge(review.teacher(), 1L, Long::sum);
    }
    var column = TeacherCorrection.of(labels, counts);
    int k = labels.size();
    var intercept = new double[k];
    var slope = new double[k];
    var centre = new double[k];
    for (int j = 0; j < k; j++) {
      var label = labels.get(j);
      var z = new ArrayList<Double>();
      var agreed = new ArrayList<Boolean>();
      for (var review : reviews) {
        if (review.teacher().equals(label) && usable(review.confidence())) {
          z.add(logit(review.confidence()));
          agreed.add(review.person().equals(label));
        }
      }
      double mean = z.stream().mapToDouble(Double::doubleValue).average().orElse(0);
      centre[j] = mean;
      double prior = logit(column.probability(label, label));
      var fitted = fitOne(z, agreed, mean, prior);
      intercept[j] = fitted[0];
      slope[j] = fitted[1];
    }
    return new AuditedTargets(column, intercept, slope, centre);
  }

  /** The label set, in output order. */
  public List<String> labels() {
    return column.labels();
  }

  /** What the audit counted, without the confidences: the correction these targets refine. */
  public TeacherCorrection correction() {
    return column;
  }

  /**
   * {@code P(person = label | teacher = label, confidence)}: how often people agree with the
   * teacher's label at that stated confidence; the label's smoothed agreement without one.
   */
  public double agreement(String teacher, Double confidence) {
    int j = index(teacher);
    if (!usable(confidence)) {
      return column.probability(teacher, teacher);
    }
    return sigmoid(intercept[j] + slope[j] * (logit(confidence) - centre[j]));
  }

  /** People's distribution over the labels, in their order, for a text the teacher labelled so. */
  public double[] target(String teacher, Double confidence) {
    var labels = column.labels();
    int j = index(teacher);
    double agree = agreement(teacher, confidence);
    double otherMass = 0;
    for (int i = 0; i < labels.size(); i++) {
      if (i != j) {
        otherMass += column.probability(labels.get(i), teacher);
      }
    }
    var out = new double[labels.size()];
    for (int i = 0; i < labels.size(); i++) {
      out[i] =
          i == j
              ? agree
              : (1 - agree)
                  * column.probability(labels.get(i), teacher)
                  / Math.max(1e-12, otherMass);
    }
    return out;
  }

  /**
   * {@code example} relabelled with people's expected answer: its distribution the {@link #target},
   * its label that distribution's most likely one. The teacher's confidence is read from the
   * example's distribution (its probability of its own label).
   */
  public LabeledExample relabel(LabeledExample example) {
    var target = target(example.label(), confidenceOf(example));
    var labels = column.labels();
    var distribution = new LinkedHashMap<String, Double>();
    int best = 0;
    for (int i = 0; i < target.length; i++) {
      distribution.put(labels.get(i), target[i]);
      if (target[i] > target[best]) {
        best = i;
      }
    }
    return new LabeledExample(example.text(), labels.get(best), distribution);
  }

  /** The teacher's stated confidence in its label, from a distribution; null without one. */
  public static Double confidenceOf(LabeledExample example) {
    return example.distribution() == null ? null : example.distribution().get(example.label());
  }

  // Penalised logistic regression of agreed on (z - mean): {a, b}, with b >= 0.
  private static double[] fitOne(List<Double> z, List<Boolean> agreed, double mean, double prior) {
    var both = newton(z, agreed, mean, prior, true);
    // More stated confidence never means less agreement: where the fit says so, the slope is 0.
    return both[1] >= 0 ? both : newton(z, agreed, mean, prior, false);
  }

  private static double[] newton(
      List<Double> z, List<Boolean> agreed, double mean, double prior, boolean withSlope) {
    double a = prior;
    double b = 0;
    for (int iteration = 0; iteration < 100; iteration++) {
      // Gradient and Hessian of the negative log-posterior.
      double ga = PRIOR * (a - prior);
      double gb = PRIOR * b;
      double haa = PRIOR;
      double hab = 0;
      double hbb = PRIOR;
      for (int n = 0; n < z.size(); n++) {
        double x = z.get(n) - mean;
        double p = sigmoid(a + b * x);
        double residual = p - (agreed.get(n) ? 1 : 0);
        double w = p * (1 - p);
        ga += residual;
        gb += residual * x;
        haa += w;
        hab += w * x;
        hbb += w * x * x;
      }
      double da;
      double db;
      if (withSlope) {
        double det = haa * hbb - hab * hab;
        da = (hbb * ga - hab * gb) / det;
        db = (haa * gb - hab * ga) / det;
      } else {
        da = ga / haa;
        db = 0;
      }
      a -= da;
      b -= db;
      if (Math.abs(da) < 1e-10 && Math.abs(db) < 1e-10) {
        break;
      }
    }
    return new double[] {a, b};
  }

  private static boolean usable(Double confidence) {
    return confidence != null && confidence > 0 && confidence <= 1;
  }

  private static double logit(double p) {
    double q = Math.min(1 - EDGE, Math.max(EDGE, p));
    return Math.log(q / (1 - q));
  }

  private static double sigmoid(double x) {
    return 1 / (1 + Math.exp(-x));
  }

  private int index(String label) {
    int i = column.labels().indexOf(label);
    if (i < 0) {
      throw new IllegalArgumentException("'" + label + "' is not one of " + column.labels());
    }
    return i;
  }

  @Override
  public String toString() {
    return "AuditedTargets over " + column.labels() + " from " + column.pairs() + " reviews";
  }
}
