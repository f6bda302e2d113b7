package io.distillery.common;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.jboss.logging.Logger;

/**
 * Creates topics explicitly and waits until every partition answers a list-offsets request.
 * Producing right after creation can otherwise loop on OUT_OF_ORDER_SEQUENCE_NUMBER and lose
 * records (DESIGN.md, Pitfalls; KAFKA-14359).
 */
public final class TopicAdmin {

  private static final Logger LOG = Logger.getLogger(TopicAdmin.class);

  private TopicAdmin() {}

  /** Admin client properties for a cluster. */
  public static Properties adminProperties(String bootstrapServers) {
    var props = new Properties();
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(AdminClientConfig.CLIENT_ID_CONFIG, "distillery-admin");
    return props;
  }

  /**
   * Creates the topics that do not exist yet, then waits for every partition of all of them to be
   * ready.
   */
  public static void ensureTopics(
      String bootstrapServers, Collection<NewTopic> topics, Duration timeout) {
    try (var admin = Admin.create(adminProperties(bootstrapServers))) {
      // One request for all of them: each topic's answer (created, or there already) comes apart.
      var created = admin.createTopics(topics).values();
      for (var topic : topics) {
        try {
          created.get(topic.name()).get();
          LOG.infof("created topic %s (%d partitions)", topic.name(), topic.numPartitions());
        } catch (ExecutionException e) {
          if (!(e.getCause() instanceof TopicExistsException)) {
            throw new IllegalStateException(
                "cannot create topic " + topic.name() + ": " + e.getCause(), e.getCause());
          }
        }
      }
      awaitPartitionsReady(admin, topics, timeout);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while creating topics", e);
    }
  }

  private static void awaitPartitionsReady(
      Admin admin, Collection<NewTopic> topics, Duration timeout) throws InterruptedException {
    var deadline = System.nanoTime() + timeout.toNanos();
    Exception last = null;
    while (System.nanoTime() < deadline) {
      try {
        var names = topics.stream().map(NewTopic::name).toList();
        var descriptions = admin.describeTopics(names).allTopicNames().get();
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        descriptions.forEach(
            (name, description) ->
                description
                    .partitions()
                    .forEach(
                        p ->
                            request.put(
                                new TopicPartition(name, p.partition()), OffsetSpec.latest())));
        admin.listOffsets(request).all().get();
        return;
      } catch (ExecutionException e) {
        last = e;
        Thread.sleep(200);
      }
    }
    throw new IllegalStateException("topics not ready after " + timeout, last);
  }
}
