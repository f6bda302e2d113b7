package io.distillery.classifier;

import io.distillery.common.AvroSerdes;
import io.distillery.common.Codebook;
import io.distillery.common.Topics;
import java.util.List;

/**
 * A classifier in a JVM of its own, for the crash test: runs until killed. Arguments: bootstrap
 * servers, registry URL, topic prefix, state directory.
 */
public final class ClassifierProcess {

  private ClassifierProcess() {}

  public static void main(String[] args) throws Exception {
    var topics = Topics.create(args[2], new AvroSerdes(args[1]));
    var classifier = ClassifierOnBrokerTest.classifier(args[0], args[1], args[3], topics);
    classifier.start();
    System.out.println("started");
    Thread.sleep(Long.MAX_VALUE);
  }

  static Codebook codebook() {
    return new Codebook(
        TestFixtures.TASK,
        "Opinion of a film",
        List.of(
            new Codebook.Label("negative", "A negative opinion."),
            new Codebook.Label("positive", "A positive opinion.")),
        "",
        List.of());
  }
}
