package io.distillery.experiment;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.distillery.auditor.AuditorConfig;
import io.distillery.auditor.agreement.Agreement;
import io.distillery.auditor.agreement.Bootstrap;
import io.distillery.common.ToolSettings;
import io.distillery.experiment.ExperimentOptions.UsageException;
import io.distillery.labeler.TeacherConfig;
import io.distillery.labeler.TeacherKind;
import io.distillery.students.DjlEnvironment;
import io.distillery.students.LabelledDataset.Row;
import io.distillery.students.StudentKind;
import io.distillery.students.StudentKinds;
import io.distillery.students.TransformerFinetuneKind;
import io.distillery.students.TransformerSettings;
import io.distillery.students.TransformerStudent;
import io.distillery.students.minilm.MiniLmHeadKind;
import io.distillery.students.minilm.MiniLmHeadSettings;
import io.distillery.students.minilm.MiniLmHeadStudent;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code ./distillery experiment --data FILE.jsonl --out DIR [...]} (see {@link
 * ExperimentOptions#USAGE}): runs the experiment and writes {@code report.md}, {@code results.json}
 * and three SVG plots into {@code DIR}, with progress on standard error and the verdict on standard
 * output. Exit status 2 for wrong arguments, 1 when the data, the teacher or a student fails, each
 * with the reason.
 */
public final class ExperimentCommand {

  /** DJL's setting of PyTorch's intra-op threads. */
  static final String TORCH_THREADS = "ai.djl.pytorch.num_threads";

  static {
    DjlEnvironment.offline();
    // One intra-op thread unless the user says otherwise: the run is many small trainings in a
    // row, and PyTorch's threads wait on each other whenever another process holds a core. On this
    // 2-core machine, with another process busy, css-implicit-hate with 2 seeds took 28.7 s with
    // two threads and 12.7 s with one (the same numbers either way); all 5 seeds with
    // OMP_NUM_THREADS=2 took 558 s against 24 s.
    if (System.getProperty(TORCH_THREADS) == null && System.getenv("OMP_NUM_THREADS") == null) {
      System.setProperty(TORCH_THREADS, "1");
    }
  }

  /** File names in the output directory. */
  static final String REPORT = "report.md";

  static final String RESULTS = "results.json";

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private ExperimentCommand() {}

  public static void main(String[] args) {
    ExperimentOptions options;
    try {
      var parsed = ExperimentOptions.parseOrHelp(args);
      if (parsed.isEmpty()) {
        System.out.print(ExperimentOptions.USAGE);
        return;
      }
      options = parsed.get();
    } catch (UsageException e) {
      System.err.println("error: " + e.getMessage());
      System.err.print(ExperimentOptions.USAGE);
      System.exit(2);
      return;
    }
    try {
      var result = run(options, Map.of(), System.err);
      System.out.print(verdict(MarkdownReport.render(result)));
      System.out.println("written to " + options.out().toAbsolutePath());
    } catch (UsageException e) {
      System.err.println("error: " + e.getMessage());
      System.exit(2);
    } catch (IOException | RuntimeException e) {
      System.err.println("error: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
      System.exit(1);
    }
  }

  /**
   * Runs the experiment and writes its files.
   *
   * @param settings teacher and auditor settings ({@code distillery.teacher.model=…}) above every
   *     other source
   * @param terminal where progress goes
   */
  public static ExperimentResult run(
      ExperimentOptions options, Map<String, String> settings, PrintStream terminal)
      throws IOException {
    var progress = new Progress(terminal);
    var startedAt = Instant.now();
    var data = ExperimentData.load(options.data(), options.codebook());
    var overrides = new HashMap<>(settings);
    overrides.put("distillery.teacher.kind", options.teacher());
    // The roles' own settings, read the way the roles read them, so the experiment measures what
    // the running system would do; the command's own choices above every other source.
    var config = ToolSettings.load(overrides, TeacherConfig.class, AuditorConfig.class);
    var teacherConfig = config.getConfigMapping(TeacherConfig.class);
    var auditorConfig = config.getConfigMapping(AuditorConfig.class);
    var kinds =
        kinds(
            options.students(),
            options.temperature(),
            options.encoder(),
            (int) data.rows().stream().map(Row::text).distinct().count(),
            CorrectedVariant.audit(data.split("train"), options.audit()));
    var plan =
        new Experiment.Plan(
            kinds,
            options.seedList(),
            options.noise(),
            options.sizes(),
            Bootstrap.of(auditorConfig),
            Agreement.Gate.of(auditorConfig));
    progress.say(
        "%s: %d train and %d test rows, labels %s; teacher %s; students %s",
        data.name(),
        data.split("train").size(),
        data.split("test").size(),
        data.labels(),
        options.teacher(),
        kinds.stream().map(StudentKind::name).toList());

    TeacherRun.Labels labels;
    io.distillery.schema.TeacherIdentity identity;
    try (var teacher = TeacherRun.create(options.teacherKind(), data.codebook(), teacherConfig)) {
      identity = teacher.identity();
      boolean remote = options.teacherKind() == TeacherKind.OPENAI;
      labels =
          TeacherRun.label(
              teacher,
              data.rows(),
              data.name(),
              remote ? teacherConfig.batchSize() : 256,
              remote ? teacherConfig.maxInFlight() : 1,
              progress);
    }
    double teacherSeconds = progress.seconds();
    var teacher =
        Experiment.teacher(
            data, labels, options.teacher(), identity, plan.bootstrap(), plan.gate());
    progress.say(
        "teacher against people (%s split, %d texts): accuracy %.3f, macro-F1 %.3f, kappa %.3f;"
            + " gate %s",
        teacher.split(),
        teacher.labelled(),
        teacher.score().accuracy(),
        teacher.score().macroF1(),
        teacher.score().kappa(),
        teacher.gate().status());

    var students = Experiment.students(data, labels, teacher.score().macroF1(), plan, progress);
    double trainingSeconds = progress.seconds() - teacherSeconds;
    var trainTexts =
        data.split("train").stream()
            .filter(r -> labels.byId().containsKey(r.id()))
            .map(Row::text)
            .toList();
    var cost =
        Costs.table(
            data.codebook(),
            trainTexts,
            teacherConfig,
            options.latencySeconds(),
            trainTexts.size(),
            options.studentUsdPerHour(),
            students.throughput());
    var result =
        new ExperimentResult(
            new ExperimentResult.DatasetInfo(
                data.name(),
                data.file().toString(),
                data.codebookSource(),
                data.labels(),
                data.split("train").size(),
                data.split("test").size(),
                trainTexts.size()),
            new ExperimentResult.Settings(
                options.teacher(),
                kinds.stream().map(StudentKind::name).toList(),
                options.seedList(),
                options.noise(),
                options.sizes(),
                options.temperature(),
                options.encoder(),
                options.audit(),
                plan.bootstrap().resamples(),
                plan.bootstrap().seed(),
                plan.gate()),
            teacher,
            students.students(),
            students.noise(),
            students.sizes(),
            cost,
            new ExperimentResult.Timing(
                startedAt.toString(),
                teacherSeconds,
                trainingSeconds,
                progress.seconds(),
                students.trainings()));
    write(options.out(), result);
    progress.say("wrote %s", options.out().toAbsolutePath());
    return result;
  }

  /** Writes the report, the JSON and the plots into {@code dir}, made if missing. */
  static void write(Path dir, ExperimentResult result) throws IOException {
    Files.createDirectories(dir);
    Files.writeString(dir.resolve(REPORT), MarkdownReport.render(result), StandardCharsets.UTF_8);
    Files.writeString(
        dir.resolve(RESULTS), JSON.writeValueAsString(result) + "\n", StandardCharsets.UTF_8);
    Plots.write(Charts.f1ByCondition(result), dir, MarkdownReport.F1_PLOT);
    Plots.write(Charts.noise(result), dir, MarkdownReport.NOISE_PLOT);
    Plots.write(Charts.sampleSize(result), dir, MarkdownReport.SIZE_PLOT);
  }

  /**
   * The student kinds named, from every kind this build ships, and {@code
   * transformer-finetune+soft} ({@link SoftVariant}) at {@code temperature}; with none named, those
   * of {@link ExperimentOptions#DEFAULT_STUDENTS} that exist.
   *
   * @throws UsageException for a kind this build does not have
   */
  static List<StudentKind> kinds(List<String> names, double temperature) {
    return kinds(names, temperature, TransformerSettings.DEFAULT.pretrained());
  }

  /**
   * As {@link #kinds(List, double)}, the {@code transformer-finetune} students fine-tuning the
   * shipped {@code encoder}.
   */
  static List<StudentKind> kinds(List<String> names, double temperature, String encoder) {
    return kinds(names, temperature, encoder, 0);
  }

  /**
   * As {@link #kinds(List, double, String)}; {@code minilm-head} on an encoder that caches the
   * vectors of all {@code texts} distinct texts of the run, so each is embedded once.
   */
  static List<StudentKind> kinds(
      List<String> names, double temperature, String encoder, int texts) {
    return kinds(names, temperature, encoder, texts, Map.of());
  }

  /**
   * As {@link #kinds(List, double, String, int)}; a name ending in {@code +corrected} is that kind
   * corrected by people's labels of the {@code audit} texts ({@link CorrectedVariant}).
   */
  static List<StudentKind> kinds(
      List<String> names,
      double temperature,
      String encoder,
      int texts,
      Map<String, String> audit) {
    var builtIn = StudentKinds.builtIn();
    var chosen =
        names.isEmpty()
            ? ExperimentOptions.DEFAULT_STUDENTS.stream().filter(builtIn.names()::contains).toList()
            : names;
    var kinds = new ArrayList<StudentKind>();
    for (var name : chosen) {
      if (name.endsWith(CorrectedVariant.SUFFIX)) {
        var base = name.substring(0, name.length() - CorrectedVariant.SUFFIX.length());
        for (var kind : kinds(List.of(base), temperature, encoder, texts, audit)) {
          kinds.add(new CorrectedVariant(kind, audit));
        }
        continue;
      }
      if (name.endsWith(AuditedVariant.SUFFIX)) {
        var base = name.substring(0, name.length() - AuditedVariant.SUFFIX.length());
        var learner =
            base.equals(SoftVariant.base())
                ? List.<StudentKind>of(new SoftVariant(1, encoder))
                : kinds(List.of(base), temperature, encoder, texts, audit);
        for (var kind : learner) {
          kinds.add(new AuditedVariant(base, kind, audit));
        }
        continue;
      }
      if (name.endsWith(SoftVariant.SUFFIX)) {
        if (!name.equals(SoftVariant.base() + SoftVariant.SUFFIX)) {
          throw new UsageException(
              "--students: only "
                  + SoftVariant.base()
                  + " learns soft targets ('"
                  + SoftVariant.SUFFIX
                  + "'), not "
                  + name.substring(0, name.length() - SoftVariant.SUFFIX.length()));
        }
        kinds.add(new SoftVariant(temperature, encoder));
        continue;
      }
      if (name.equals(MiniLmHeadStudent.KIND) && texts > 0) {
        kinds.add(MiniLmHeadKind.cachingAll(MiniLmHeadSettings.DEFAULT, texts));
        continue;
      }
      if (name.equals(TransformerStudent.KIND)) {
        kinds.add(new TransformerFinetuneKind(TransformerSettings.DEFAULT.withPretrained(encoder)));
        continue;
      }
      try {
        kinds.add(builtIn.forName(name));
      } catch (IllegalArgumentException e) {
        throw new UsageException("--students: " + e.getMessage());
      }
    }
    return List.copyOf(kinds);
  }

  /** The report's verdict section, for the terminal. */
  static String verdict(String report) {
    int from = report.indexOf("## Verdict");
    int to = report.indexOf("\n## ", from + 1);
    return from < 0 ? "" : report.substring(from, to < 0 ? report.length() : to + 1);
  }
}
