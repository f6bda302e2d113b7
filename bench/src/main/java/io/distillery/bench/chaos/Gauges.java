package io.distillery.bench.chaos;

import io.distillery.common.TopicAdmin;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupListing;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/** What the soak samples: a process's resident memory, and every consumer group's lag. */
final class Gauges {

  private Gauges() {}

  /** Resident memory of process {@code pid} in MiB, from {@code /proc}; -1 where unreadable. */
  static long residentMiB(long pid) {
    try {
      for (var line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("\\D", "")) / 1024;
        }
      }
    } catch (IOException | NumberFormatException e) {
      // The process is gone or /proc is not Linux's: no figure.
    }
    return -1;
  }

  /**
   * Every consumer group's lag: records on its subscribed partitions past its committed offsets
   * (Kafka Streams applications are groups named by their application id).
   */
  static Map<String, Long> lag(String bootstrapServers)
      throws InterruptedException, ExecutionException {
    var out = new TreeMap<String, Long>();
    try (var admin = Admin.create(TopicAdmin.adminProperties(bootstrapServers))) {
      for (ConsumerGroupListing group : admin.listConsumerGroups().all().get()) {
        Map<TopicPartition, OffsetAndMetadata> committed =
            admin.listConsumerGroupOffsets(group.groupId()).partitionsToOffsetAndMetadata().get();
        if (committed.isEmpty()) {
          continue;
        }
        var request = new HashMap<TopicPartition, OffsetSpec>();
        committed.keySet().forEach(p -> request.put(p, OffsetSpec.latest()));
        var ends = admin.listOffsets(request).all().get();
        long lag = 0;
        for (var entry : committed.entrySet()) {
          if (entry.getValue() != null) {
            lag += Math.max(0, ends.get(entry.getKey()).offset() - entry.getValue().offset());
          }
        }
        out.put(group.groupId(), lag);
      }
    }
    return out;
  }
}
