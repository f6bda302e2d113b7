package io.distillery.bench.chaos;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * One process of the chaos run (a role, the broker, the registry) that can be started, killed with
 * SIGKILL, stopped with SIGTERM and started again with the same command, environment and ports.
 * Each start writes its own log, {@code <name>-<start>.log}, so a crash's last lines are kept.
 */
final class ChildProcess {

  private final String name;
  private final List<String> command;
  private final Map<String, String> environment;
  private final Path logs;
  private final Predicate<ChildProcess> ready;
  private Process process;
  private int starts;

  /**
   * @param name how the run names it
   * @param command the command line
   * @param environment added to this JVM's environment
   * @param logs where the logs go
   * @param ready whether the started process serves (polled)
   */
  ChildProcess(
      String name,
      List<String> command,
      Map<String, String> environment,
      Path logs,
      Predicate<ChildProcess> ready) {
    this.name = name;
    this.command = List.copyOf(command);
    this.environment = Map.copyOf(environment);
    this.logs = logs;
    this.ready = ready;
  }

  String name() {
    return name;
  }

  /** Starts the process; it is not ready yet. */
  synchronized void start() throws IOException {
    if (process != null && process.isAlive()) {
      throw new IllegalStateException(name + " is running already");
    }
    Files.createDirectories(logs);
    starts++;
    var builder =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log().toFile());
    builder.environment().putAll(environment);
    builder.environment().remove("OPENAI_API_KEY");
    process = builder.start();
  }

  /** The log of the latest start. */
  synchronized Path log() {
    return logs.resolve(name + "-" + starts + ".log");
  }

  /** Whether the process runs. */
  synchronized boolean alive() {
    return process != null && process.isAlive();
  }

  /** The process id of the latest start, or -1 before the first. */
  synchronized long pid() {
    return process == null ? -1 : process.pid();
  }

  /** The exit code of a process that ended, or -1. */
  synchronized int exitCode() {
    return process == null || process.isAlive() ? -1 : process.exitValue();
  }

  /** Waits until the process is ready; fails when it exits or {@code timeout} passes. */
  void awaitReady(Duration timeout) throws InterruptedException {
    var deadline = System.nanoTime() + timeout.toNanos();
    while (!ready.test(this)) {
      if (!alive()) {
        throw new IllegalStateException(
            name + " exited with " + exitCode() + " while starting; see " + log());
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            name + " was not ready in " + timeout.toSeconds() + " s; see " + log());
      }
      Thread.sleep(250);
    }
  }

  /** SIGKILL: the process gets no chance to commit, close or flush. */
  void kill() throws InterruptedException {
    Process current;
    synchronized (this) {
      current = process;
    }
    if (current != null) {
      current.destroyForcibly();
      current.waitFor(30, TimeUnit.SECONDS);
    }
  }

  /** SIGTERM, then SIGKILL after {@code grace}. */
  void stop(Duration grace) throws InterruptedException {
    Process current;
    synchronized (this) {
      current = process;
    }
    if (current != null && current.isAlive()) {
      current.destroy();
      if (!current.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
        current.destroyForcibly();
        current.waitFor(30, TimeUnit.SECONDS);
      }
    }
  }
}
