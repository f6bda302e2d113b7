package io.distillery.labeler.openai;

import com.fasterxml.jackson.databind.node.ArrayNode;
import io.distillery.common.Codebook;
import io.distillery.labeler.Teacher;
import io.distillery.labeler.TeacherConfig;
import io.distillery.labeler.TeacherKind;
import io.distillery.labeler.openai.ResilientChat.Answered;
import io.distillery.labeler.openai.ResilientChat.Rejected;
import io.distillery.labeler.openai.ResilientChat.Unusable;
import io.distillery.schema.TeacherIdentity;
import io.distillery.schema.TextEvent;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.jboss.logging.Logger;

/**
 * A teacher behind any OpenAI-compatible chat-completions API.
 *
 * <p>Each text is asked for {@code samples} answers ({@code n} in one call; one call per answer for
 * servers that ignore {@code n}); the label is the majority answer (ties go to the label listed
 * first in the codebook), its consistency the share of samples that agree, its confidence the
 * probability the model gave the label's tokens (see {@link LogprobConfidence}), averaged over the
 * agreeing samples. With one sample there is no consistency.
 *
 * <p>Several texts go in one call, answered as a list matched by id. A batch answer that is
 * unusable as a whole (not JSON, ids missing, unknown or repeated) is split: every text is asked
 * again alone. A text whose label in a batch answer is outside the label set is asked again alone.
 * A single answer that is invalid (not JSON, outside the label set, a refusal) is sent back once
 * with the allowed labels; if it is still invalid the text fails with the reason, and goes to the
 * dead-letter topic. Transient faults and an unavailable teacher never fail a text: they throw
 * {@link Teacher.TeacherUnavailableException} and the batch waits.
 *
 * <p>Thread-safe: the labeler calls {@link #label} from several threads; the HTTP client, the rate
 * limiter, the circuit breaker and the {@link TeacherStats} are shared.
 */
public final class OpenAiTeacher implements Teacher {

  /** Completion tokens expected per answer to one text, for the rate limiter's estimate. */
  private static final long COMPLETION_TOKENS_PER_ANSWER = 16;

  /** Event ids used as they are in the prompt; others are replaced by positions. */
  private static final Pattern PLAIN_ID = Pattern.compile("[A-Za-z0-9._:\\-]{1,64}");

  private final TeacherIdentity identity;
  private final List<String> labelOrder;
  private final PromptBuilder prompts;
  private final AnswerParser parser;
  private final ChatClient client;
  private final ResilientChat chat;
  private final TeacherStats stats = new TeacherStats();
  private final int samples;
  private final double temperature;
  private final AtomicBoolean nIgnored = new AtomicBoolean();
  private final Logger log;

  /** A teacher on the system clock that really sleeps between attempts. */
  public OpenAiTeacher(Codebook codebook, TeacherConfig config) {
    this(codebook, config, Clock.systemUTC(), Sleeper.SYSTEM);
  }

  /**
   * @param clock for the circuit breaker, the rate limiter and HTTP-date {@code Retry-After}s
   * @param sleeper how backoffs and rate-limit waits are spent
   */
  public OpenAiTeacher(Codebook codebook, TeacherConfig config, Clock clock, Sleeper sleeper) {
    this(codebook, config, clock, sleeper, Logger.getLogger(OpenAiTeacher.class));
  }

  /**
   * @param log where retries, fallbacks, an open circuit and the budget are reported (a test
   *     captures it to prove no secret is ever logged, whatever logging backend the JVM has)
   */
  OpenAiTeacher(Codebook codebook, TeacherConfig config, Clock clock, Sleeper sleeper, Logger log) {
    this.log = log;
    if (config.samples() < 1) {
      throw new IllegalArgumentException(
          "distillery.teacher.samples must be at least 1, not " + config.samples());
    }
    this.identity =
        new TeacherIdentity(TeacherKind.OPENAI.id(), config.model(), codebook.promptVersion());
    this.labelOrder = codebook.labelNames();
    UnaryOperator<String> redact =
        config.redactPii() ? PiiRedactor::redact : UnaryOperator.identity();
    this.prompts = new PromptBuilder(codebook, config.model(), config.logprobs(), redact);
    this.parser = new AnswerParser(labelOrder);
    this.samples = config.samples();
    this.temperature = samples > 1 ? config.samplesTemperature() : config.temperature();
    this.client =
        new ChatClient(
            config.baseUrl(),
            ApiKey.from(config),
            config.connectTimeout(),
            config.readTimeout(),
            config.maxInFlight());
    this.chat =
        new ResilientChat(
            client,
            new RetryPolicy(
                config.maxAttempts(),
                config.initialBackoff(),
                config.maxBackoff(),
                clock,
                () -> ThreadLocalRandom.current().nextDouble()),
            new CircuitBreaker(config.circuitFailureThreshold(), config.circuitOpenFor(), clock),
            new RateLimiter(config.requestsPerMinute(), config.tokensPerMinute(), clock, sleeper),
            Pricing.of(config),
            config.budgetUsd(),
            stats,
            sleeper,
            log);
  }

  @Override
  public boolean paid() {
    return true;
  }

  @Override
  public TeacherIdentity identity() {
    return identity;
  }

  /** Running totals: calls, retries, tokens, cost, failures. */
  public TeacherStats stats() {
    return stats;
  }

  @Override
  public List<Outcome> label(List<TextEvent> events) {
    if (events.isEmpty()) {
      return List.of();
    }
    var ids = promptIds(events);
    var texts = new ArrayList<PromptText>(events.size());
    var spends = new Spend[events.size()];
    for (int i = 0; i < events.size(); i++) {
      texts.add(prompts.prepare(ids.get(i), events.get(i).getText()));
      spends[i] = new Spend();
    }
    var outcomes =
        texts.size() == 1 ? List.of(labelOne(texts.get(0), spends[0])) : labelBatch(texts, spends);
    for (var outcome : outcomes) {
      if (outcome instanceof Labeled) {
        stats.labeled();
      } else {
        stats.failed();
      }
    }
    return outcomes;
  }

  @Override
  public void close() {
    client.close();
  }

  private Outcome labelOne(PromptText text, Spend spend) {
    var messages = prompts.messages(List.of(text));
    var replies = ask(messages, List.of(), samples, spend);
    if (replies.rejected() != null) {
      return new Failed("the teacher rejected the request: " + replies.rejected());
    }
    var votes = new ArrayList<Vote>();
    String problem = null;
    for (var reply : replies.replies()) {
      var parsed = parseSingle(reply);
      if (!parsed.valid()) {
        stats.correctiveRetry();
        var retry =
            reply.unusable() != null
                ? messages
                : prompts.correction(messages, reply.choice().content(), parsed.problem());
        var again = ask(retry, List.of(), 1, spend);
        if (again.rejected() != null) {
          problem = "the teacher rejected the corrective request: " + again.rejected();
          continue;
        }
        reply = again.replies().get(0);
        parsed = parseSingle(reply);
        if (!parsed.valid()) {
          problem = parsed.problem();
          continue;
        }
      }
      votes.add(new Vote(parsed.label(), confidence(reply.choice(), parsed)));
    }
    if (votes.isEmpty()) {
      return new Failed("no valid label after a corrective retry: " + problem);
    }
    return new Labeled(decide(votes, spend));
  }

  private List<Outcome> labelBatch(List<PromptText> texts, Spend[] spends) {
    var ids = texts.stream().map(PromptText::id).toList();
    var replies = ask(prompts.messages(texts), ids, samples, spends);
    var votes = new LinkedHashMap<String, List<Vote>>();
    ids.forEach(id -> votes.put(id, new ArrayList<>()));
    var alone = new TreeSet<Integer>();
    String broken = replies.rejected();
    for (var reply : replies.replies()) {
      if (broken != null) {
        break;
      }
      if (reply.unusable() != null) {
        broken = reply.unusable();
        break;
      }
      var batch = parser.batch(reply.choice().content(), ids);
      if (batch.problem() != null) {
        broken = batch.problem();
        break;
      }
      for (int i = 0; i < ids.size(); i++) {
        var parsed = batch.answers().get(ids.get(i));
        if (parsed.valid()) {
          votes.get(ids.get(i)).add(new Vote(parsed.label(), confidence(reply.choice(), parsed)));
        } else {
          alone.add(i);
        }
      }
    }
    if (broken != null) {
      log.debugf("Unusable batch answer (%s); asking each of %d texts alone", broken, ids.size());
      IntStream.range(0, ids.size()).forEach(alone::add);
    }
    if (!alone.isEmpty()) {
      stats.splitBatch();
    }
    var outcomes = new ArrayList<Outcome>(texts.size());
    for (int i = 0; i < texts.size(); i++) {
      outcomes.add(
          alone.contains(i)
              ? labelOne(texts.get(i), spends[i])
              : new Labeled(decide(votes.get(ids.get(i)), spends[i])));
    }
    return outcomes;
  }

  /**
   * {@code k} replies to {@code messages} ({@code n} at once, or one call each where the server
   * ignores {@code n}), each call's cost shared evenly by {@code payers}; stops at a rejection.
   */
  private Replies ask(ArrayNode messages, List<String> batchIds, int k, Spend... payers) {
    var replies = new ArrayList<Reply>(k);
    while (replies.size() < k) {
      final int n = nIgnored.get() ? 1 : k - replies.size();
      long expected = COMPLETION_TOKENS_PER_ANSWER * n * Math.max(1, batchIds.size());
      var result =
          chat.call(
              format -> prompts.request(messages, format, batchIds, n, temperature), expected);
      if (result instanceof Rejected rejected) {
        return new Replies(replies, rejected.reason());
      }
      if (result instanceof Unusable unusable) {
        replies.add(new Reply(null, unusable.problem()));
        continue;
      }
      var answered = (Answered) result;
      share(answered, payers);
      var choices = answered.completion().choices();
      if (n > 1 && choices.size() == 1 && nIgnored.compareAndSet(false, true)) {
        log.infof("The teacher server ignores n: drawing each of %d samples in its own call", k);
      }
      for (int i = 0; i < choices.size() && replies.size() < k; i++) {
        replies.add(new Reply(choices.get(i), null));
      }
    }
    return new Replies(replies, null);
  }

  private AnswerParser.Parsed parseSingle(Reply reply) {
    return reply.unusable() != null
        ? AnswerParser.Parsed.invalid(reply.unusable())
        : parser.single(reply.choice().content(), reply.choice().refusal());
  }

  private static Double confidence(Completion.Choice choice, AnswerParser.Parsed parsed) {
    return LogprobConfidence.of(choice.content(), parsed.start(), parsed.end(), choice.tokens());
  }

  /** The majority label; ties go to the label the codebook lists first. */
  private TeacherLabel decide(List<Vote> votes, Spend spend) {
    var counts = new HashMap<String, Integer>();
    votes.forEach(v -> counts.merge(v.label(), 1, Integer::sum));
    String best = null;
    for (var label : labelOrder) {
      if (counts.containsKey(label) && (best == null || counts.get(label) > counts.get(best))) {
        best = label;
      }
    }
    final String winner = best;
    var confidences =
        votes.stream()
            .filter(v -> v.label().equals(winner) && v.confidence() != null)
            .mapToDouble(Vote::confidence)
            .toArray();
    Double confidence =
        confidences.length == 0 ? null : Arrays.stream(confidences).average().orElseThrow();
    Double consistency = samples > 1 ? counts.get(winner) / (double) samples : null;
    return new TeacherLabel(
        winner, confidence, consistency, spend.cost, spend.promptTokens, spend.completionTokens);
  }

  /** Splits a call's tokens and cost evenly; leftover tokens go to the first texts. */
  private static void share(Answered answered, Spend[] payers) {
    int n = payers.length;
    var completion = answered.completion();
    for (int i = 0; i < n; i++) {
      payers[i].promptTokens +=
          completion.promptTokens() / n + (i < completion.promptTokens() % n ? 1 : 0);
      payers[i].completionTokens +=
          completion.completionTokens() / n + (i < completion.completionTokens() % n ? 1 : 0);
      payers[i].cost += answered.costUsd() / n;
    }
  }

  /** The events' ids when they are unique and plain, else {@code text-1}, {@code text-2}, ... */
  private static List<String> promptIds(List<TextEvent> events) {
    var ids = events.stream().map(TextEvent::getId).toList();
    boolean plain =
        new HashSet<>(ids).size() == ids.size()
            && ids.stream().allMatch(id -> id != null && PLAIN_ID.matcher(id).matches());
    return plain ? ids : IntStream.rangeClosed(1, ids.size()).mapToObj(i -> "text-" + i).toList();
  }

  /** What one text's calls cost, its share of batch calls included. */
  private static final class Spend {
    long promptTokens;
    long completionTokens;
    double cost;
  }

  /**
   * @param choice an answer, or null when the response was unusable
   * @param unusable what was wrong with the response, or null
   */
  private record Reply(Completion.Choice choice, String unusable) {}

  /**
   * @param rejected why the server refused the request, or null
   */
  private record Replies(List<Reply> replies, String rejected) {}

  private record Vote(String label, Double confidence) {}
}
