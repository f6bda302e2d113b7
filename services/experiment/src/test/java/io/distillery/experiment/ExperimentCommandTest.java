package io.distillery.experiment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Locale;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command end to end on css-semeval-stance (435 rows, 3 labels, recorded gpt-3.5 labels) with
 * the hashed-linear student: files, ranges, JSON against Markdown, reproducibility; and on small
 * made-up data for the paths the real set does not take.
 */
class ExperimentCommandTest {

  private static final Path DATA =
      Path.of(System.getProperty("distillery.datasets", "../../../shared/datasets"))
          .resolve("css-semeval-stance")
          .resolve("data.jsonl");

  /** The application's price of gpt-4o-mini, as the launcher would read it. */
  private static final Map<String, String> PRICES =
      Map.of(
          "distillery.teacher.model", "gpt-4o-mini",
          "distillery.teacher.prices.\"gpt-4o-mini\".input", "0.15",
          "distillery.teacher.prices.\"gpt-4o-mini\".output", "0.60");

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path dir;
  private static JsonNode results;
  private static String report;
  private static String progress;

  @BeforeAll
  static void runOnce() throws Exception {
    var terminal = new ByteArrayOutputStream();
    ExperimentCommand.run(options(dir.resolve("first")), PRICES, new PrintStream(terminal, true));
    progress = terminal.toString(StandardCharsets.UTF_8);
    results = JSON.readTree(dir.resolve("first").resolve("results.json").toFile());
    report = Files.readString(dir.resolve("first").resolve("report.md"));
  }

  private static ExperimentOptions options(Path out) {
    return ExperimentOptions.parse(
        "--data",
        DATA.toString(),
        "--out",
        out.toString(),
        "--students",
        "hashed-linear",
        "--seeds",
        "2",
        "--noise",
        "0,0.2",
        "--sizes",
        "100,1000");
  }

  @Test
  void shouldWriteTheReportTheJsonAndThreeWellFormedPlots() throws Exception {
    var out = dir.resolve("first");
    for (var name : new String[] {"report.md", "results.json"}) {
      assertThat(out.resolve(name)).isNotEmptyFile();
    }
    var factory = DocumentBuilderFactory.newInstance();
    // No DTD is fetched, from anywhere: a file that names one fails here instead.
    factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
    var xml = factory.newDocumentBuilder();
    for (var plot : new String[] {"f1-by-condition", "noise", "sample-size"}) {
      var svg = xml.parse(out.resolve(plot + ".svg").toFile());
      assertThat(svg.getDocumentElement().getTagName()).isEqualTo("svg");
      assertThat(svg.getElementsByTagName("text").getLength())
          .as("titles, axes and legends are drawn")
          .isGreaterThan(5);
      var png = javax.imageio.ImageIO.read(out.resolve(plot + ".png").toFile());
      assertThat(png.getWidth()).isEqualTo(860);
      assertThat(png.getHeight()).isEqualTo(440);
    }
    assertThat(report)
        .contains("](f1-by-condition.png)", "](noise.png)", "](sample-size.png)")
        .contains("](f1-by-condition.svg)");
  }

  @Test
  void shouldShowProgressOnTheTerminal() {
    assertThat(progress)
        .contains("teacher labels: 435/435")
        .contains("[1/8] hashed-linear on teacher labels")
        .contains("[8/8]")
        .contains("gate INSUFFICIENT_DATA");
  }

  @Test
  void shouldMeasureTheTeacherOnTheTestSplitWithIntervalsAndTheGate() {
    var teacher = results.get("teacher");
    assertThat(teacher.get("split").asText()).isEqualTo("test");
    assertThat(teacher.get("labelled").asInt()).isEqualTo(103);
    var score = teacher.get("score");
    // The recorded gpt-3.5 labels agree with people on 70 of the 103 test tweets.
    assertThat(score.get("accuracy").asDouble()).isCloseTo(70.0 / 103, within(1e-12));
    for (var metric : new String[] {"accuracy", "macroF1", "kappa"}) {
      var interval = teacher.get(metric + "Interval");
      double value = score.get(metric).asDouble();
      assertThat(interval.get("lower").asDouble()).isLessThanOrEqualTo(value);
      assertThat(interval.get("upper").asDouble()).isGreaterThanOrEqualTo(value);
    }
    // 103 texts are fewer than the auditor's 250; on the numbers alone macro-F1 0.684 < 0.7 fails.
    assertThat(teacher.at("/gate/status").asText()).isEqualTo("INSUFFICIENT_DATA");
    assertThat(teacher.at("/gate/qualityStatus").asText()).isEqualTo("FAIL");
    assertThat(teacher.at("/gate/qualityReason").asText())
        .contains("macro-F1 0.684 is below 0.700");
    assertThat(teacher.at("/gate/pass").asBoolean()).isFalse();
    assertThat(report).contains("**Do not distil this teacher**");
  }

  @Test
  void shouldKeepEveryScoreInsideItsRange() {
    var scores = new ArrayList<JsonNode>();
    results.findParents("macroF1").forEach(scores::add);
    assertThat(scores).hasSizeGreaterThan(10);
    for (var node : results.findParents("macroPrecision")) {
      if (node.get("accuracy").isNumber()) {
        for (var metric : new String[] {"accuracy", "macroF1", "macroPrecision", "macroRecall"}) {
          assertThat(node.get(metric).asDouble()).as(metric).isBetween(0.0, 1.0);
        }
        assertThat(node.get("kappa").asDouble()).isBetween(-1.0, 1.0);
      }
    }
    for (var spread : results.findParents("sd")) {
      assertThat(spread.get("lower").asDouble()).isLessThanOrEqualTo(spread.get("mean").asDouble());
      assertThat(spread.get("upper").asDouble())
          .isGreaterThanOrEqualTo(spread.get("mean").asDouble());
      assertThat(spread.get("sd").asDouble()).isGreaterThanOrEqualTo(0);
    }
  }

  @Test
  void shouldDeriveTheGapsSeedBySeed() {
    var student = results.get("students").get(0);
    var onTeacher = student.at("/teacherLabels/runs");
    var onHumans = student.at("/humanLabels/runs");
    double teacherF1 = results.at("/teacher/score/macroF1").asDouble();
    double gapHuman = 0;
    double gapTeacher = 0;
    for (int i = 0; i < 2; i++) {
      assertThat(onTeacher.get(i).get("seed").asLong()).isEqualTo(i + 1);
      double t = onTeacher.get(i).at("/score/macroF1").asDouble();
      gapHuman += (onHumans.get(i).at("/score/macroF1").asDouble() - t) / 2;
      gapTeacher += (t - teacherF1) / 2;
    }
    assertThat(student.at("/gapHumanMinusTeacherLabels/mean").asDouble())
        .isCloseTo(gapHuman, within(1e-12));
    assertThat(student.at("/gapStudentMinusTeacher/mean").asDouble())
        .isCloseTo(gapTeacher, within(1e-12));
    assertThat(student.get("trainSize").asInt()).isEqualTo(332);
  }

  @Test
  void shouldRunTheNoiseAndSampleSizeCurves() {
    var noise = results.get("noise");
    assertThat(noise).hasSize(2);
    assertThat(noise.get(0).get("flipped").asInt()).isZero();
    // round(0.2 · 332) labels flipped under each seed.
    assertThat(noise.get(1).get("flipped").asInt()).isEqualTo(66);
    assertThat(noise.get(1).get("runs")).hasSize(2);
    var sizes = results.get("sampleSizes");
    // 1000 is not below the 332 teacher labels there are: only 100 and all.
    assertThat(sizes).hasSize(2);
    assertThat(sizes.get(0).get("size").asInt()).isEqualTo(100);
    assertThat(sizes.get(0).at("/runs/0/trainSize").asInt()).isEqualTo(100);
    assertThat(sizes.get(1).get("all").asBoolean()).isTrue();
    assertThat(results.at("/timing/trainings").asInt()).isEqualTo(8);
  }

  @Test
  void shouldPriceTheTeacherAgainstTheSampleAndTheStudent() {
    var cost = results.get("cost");
    assertThat(cost.get("priced").asBoolean()).isTrue();
    assertThat(cost.get("teacherSample").asInt()).isEqualTo(332);
    var rows = cost.get("rows");
    assertThat(rows).hasSize(3);
    assertThat(rows.get(2).get("texts").asLong()).isEqualTo(6_200_000);
    for (var row : rows) {
      assertThat(row.get("mixedUsd").asDouble()).isLessThan(row.get("teacherAllUsd").asDouble());
      assertThat(row.get("savedShare").asDouble()).isBetween(0.0, 1.0);
    }
    // Teacher for all scales with the stream: 6.2 M texts cost 620 times 10 k.
    assertThat(rows.get(2).get("teacherAllUsd").asDouble())
        .isCloseTo(620 * rows.get(0).get("teacherAllUsd").asDouble(), within(1e-6));
    assertThat(cost.at("/throughput/hashed-linear").asDouble()).isPositive();
  }

  @Test
  void shouldPrintInTheReportTheNumbersOfTheJson() {
    var teacher = results.at("/teacher/score");
    assertThat(row("| macro-F1 |")).contains(f(teacher.get("macroF1")));
    assertThat(row("| accuracy |")).contains(f(teacher.get("accuracy")));
    assertThat(row("| Cohen's κ |")).contains(f(teacher.get("kappa")));
    var student = results.get("students").get(0);
    assertThat(row("| hashed-linear | teacher labels | 0"))
        .contains(f(student.at("/teacherLabels/summary/macroF1/mean")))
        .contains(f(student.at("/teacherLabels/summary/macroPrecision/mean")))
        .contains(f(student.at("/teacherLabels/summary/macroRecall/mean")));
    assertThat(row("| hashed-linear | human labels | 0"))
        .contains(f(student.at("/humanLabels/summary/macroF1/mean")));
    assertThat(
            row("| hashed-linear | +").isEmpty()
                ? row("| hashed-linear | -")
                : row("| hashed-linear | +"))
        .contains(signed(student.at("/gapHumanMinusTeacherLabels/mean")))
        .contains(signed(student.at("/gapStudentMinusTeacher/mean")));
    assertThat(row("| hashed-linear | 20.0 % | 66 |"))
        .contains(f(results.at("/noise/1/summary/macroF1/mean")));
    assertThat(row("| hashed-linear | 100 |"))
        .contains(f(results.at("/sampleSizes/0/summary/macroF1/mean")));
  }

  @Test
  void shouldSummariseTheResultsOneRowPerDatasetAndStudentWithTheReportsNumbers() throws Exception {
    var read = SummaryTable.read(dir.resolve("first"));

    var table = SummaryTable.render(java.util.List.of(read));

    assertThat(JSON.readTree(JSON.writeValueAsString(read))).isEqualTo(results);
    var row =
        table.lines().filter(l -> l.startsWith("| css-semeval-stance | hashed-linear |")).toList();
    assertThat(row).hasSize(2);
    assertThat(row.get(0))
        .contains("| 332 | test (103) |")
        .contains(f(results.at("/teacher/score/macroF1")))
        .contains(f(results.at("/students/0/teacherLabels/summary/macroF1/mean")))
        .contains(f(results.at("/students/0/humanLabels/summary/macroF1/mean")))
        .contains(signed(results.at("/students/0/gapHumanMinusTeacherLabels/mean")))
        .contains("INSUFFICIENT_DATA; on the numbers alone FAIL")
        .endsWith("| **no** |");
    assertThat(row.get(1))
        .contains("0 %: " + f(results.at("/noise/0/summary/macroF1/mean")))
        .contains("20 %: " + f(results.at("/noise/1/summary/macroF1/mean")))
        .contains("all 332: " + f(results.at("/sampleSizes/1/summary/macroF1/mean")));
  }

  @Test
  void shouldGiveTheSameNumbersForTheSameSeeds() throws Exception {
    ExperimentCommand.run(
        options(dir.resolve("second")), PRICES, new PrintStream(new ByteArrayOutputStream()));
    var again = JSON.readTree(dir.resolve("second").resolve("results.json").toFile());

    assertThat(withoutMeasuredTimes(again)).isEqualTo(withoutMeasuredTimes(results));
  }

  @Test
  void shouldMeasureTheTeacherOnTrainWhenTheTestSplitHasNoTeacherLabels(@TempDir Path tmp)
      throws Exception {
    // Made-up reviews, test split without recorded labels (as movie-review-polarity), one train
    // text the teacher could not label, and no meta.json: the labels come from the data.
    var lines = new ArrayList<String>();
    String[] good = {"great", "lovely", "superb", "wonderful", "fine"};
    String[] bad = {"awful", "dull", "boring", "terrible", "weak"};
    for (int i = 0; i < 120; i++) {
      boolean positive = i % 2 == 0;
      var word = (positive ? good : bad)[i % 5];
      var split = i < 80 ? "train" : "test";
      var llm =
          split.equals("test") || i == 3
              ? "null"
              : (i % 10 == 4 ? "\"neg\"" : positive ? "\"pos\"" : "\"neg\"");
      lines.add(
          String.format(
              Locale.ROOT,
              "{\"id\": \"r%d\", \"text\": \"a %s film number %d\", \"human_label\": \"%s\","
                  + " \"llm_label\": %s, \"split\": \"%s\"}",
              i,
              word,
              i,
              positive ? "pos" : "neg",
              llm,
              split));
    }
    var data = Files.write(tmp.resolve("reviews.jsonl"), lines);
    var out = tmp.resolve("out");

    var result =
        ExperimentCommand.run(
            ExperimentOptions.parse(
                "--data",
                data.toString(),
                "--out",
                out.toString(),
                "--students",
                "hashed-linear",
                "--seeds",
                "1",
                "--noise",
                "0",
                "--sizes",
                "40"),
            PRICES,
            new PrintStream(new ByteArrayOutputStream()));

    assertThat(result.dataset().name()).isEqualTo("reviews");
    assertThat(result.dataset().labels()).containsExactly("neg", "pos");
    assertThat(result.teacher().split()).isEqualTo("train");
    assertThat(result.teacher().labelled()).isEqualTo(79);
    assertThat(result.teacher().failed()).isEqualTo(41);
    // Every tenth text from i = 4 is a positive one the teacher called negative: 8 of 79 wrong.
    assertThat(result.teacher().score().accuracy()).isCloseTo(71.0 / 79, within(1e-12));
    assertThat(result.dataset().trainTeacherLabelled()).isEqualTo(79);
    assertThat(Files.readString(out.resolve("report.md")))
        .contains("the train split: the teacher labelled no test text");
  }

  @Test
  void shouldFailAtOnceWithWhatToSetWhenTheOpenAiTeacherHasNoKey(@TempDir Path tmp) {
    assumeTrue(
        System.getenv("OPENAI_API_KEY") == null && System.getenv("OPENAI_BASE_URL") == null,
        "a key or server is configured in this environment");

    assertThatThrownBy(
            () ->
                ExperimentCommand.run(
                    ExperimentOptions.parse(
                        "--data",
                        DATA.toString(),
                        "--out",
                        tmp.resolve("o").toString(),
                        "--teacher",
                        "openai",
                        "--students",
                        "hashed-linear"),
                    Map.of(),
                    new PrintStream(new ByteArrayOutputStream())))
        .isInstanceOf(TeacherRun.TeacherFailure.class)
        .hasMessageContaining("OPENAI_API_KEY")
        .hasMessageContaining("nothing was sent");
    assertThat(tmp.resolve("o")).doesNotExist();
  }

  private static ObjectNode withoutMeasuredTimes(JsonNode node) {
    var copy = (ObjectNode) node.deepCopy();
    copy.remove("timing");
    copy.remove("cost");
    return copy;
  }

  /** The first line of the report that starts with {@code prefix}, or "". */
  private static String row(String prefix) {
    return row("", prefix);
  }

  /**
   * The first line that starts with {@code prefix} after the one that starts with {@code after}.
   */
  private static String row(String after, String prefix) {
    var lines = report.lines().toList();
    int from = 0;
    while (from < lines.size() && !lines.get(from).startsWith(after)) {
      from++;
    }
    return lines.subList(Math.min(from, lines.size()), lines.size()).stream()
        .filter(l -> l.startsWith(prefix))
        .findFirst()
        .orElse("");
  }

  private static String f(JsonNode value) {
    return String.format(Locale.ROOT, "%.3f", value.asDouble());
  }

  private static String signed(JsonNode value) {
    return String.format(Locale.ROOT, "%+.3f", value.asDouble());
  }
}
