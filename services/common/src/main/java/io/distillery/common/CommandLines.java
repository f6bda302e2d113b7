package io.distillery.common;

import java.io.PrintStream;
import java.util.Optional;
import picocli.CommandLine;

/**
 * How every command-line tool reads its arguments: into a picocli {@code @Command} object (options,
 * parameters, types, {@code --help}), with one way to report a wrong command line. Settings that
 * are not arguments (the cluster, the registry, the teacher) come from {@link ToolSettings}, the
 * {@code @ConfigMapping} types the app reads.
 */
public final class CommandLines {

  private CommandLines() {}

  /** {@code -h} and {@code --help}, for a tool's {@code @Command} class as a {@code @Mixin}. */
  public static final class Help {
    @CommandLine.Option(
        names = {"-h", "--help"},
        usageHelp = true,
        description = "Shows this help and exits.")
    boolean help;
  }

  /**
   * Fills {@code command}'s annotated fields from {@code args}.
   *
   * @return {@code command}, or empty when {@code --help} was asked for
   * @throws IllegalArgumentException with picocli's message when the arguments are wrong (an
   *     unknown option, a missing value, a value of the wrong type)
   */
  public static <T> Optional<T> parse(T command, String... args) {
    var line = new CommandLine(command);
    try {
      line.parseArgs(args);
    } catch (CommandLine.ParameterException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
    return line.isUsageHelpRequested() ? Optional.empty() : Optional.of(command);
  }

  /**
   * {@link #parse} for a tool's {@code main}: on {@code --help} prints the usage to {@code out} and
   * exits 0; on wrong arguments prints what is wrong and the usage to {@code err} and exits 2.
   */
  public static <T> T parseOrExit(T command, String[] args, PrintStream out, PrintStream err) {
    try {
      var parsed = parse(command, args);
      if (parsed.isEmpty()) {
        new CommandLine(command).usage(out);
        System.exit(0);
      }
      return parsed.get();
    } catch (IllegalArgumentException e) {
      err.println(e.getMessage());
      new CommandLine(command).usage(err);
      System.exit(2);
      throw e;
    }
  }

  /** The usage text of {@code command}. */
  public static String usage(Object command) {
    return new CommandLine(command).getUsageMessage();
  }
}
