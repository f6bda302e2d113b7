package io.distillery.app.review;

import io.distillery.schema.ReviewRequest;
import io.distillery.schema.ReviewVerdict;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The review requests nobody has labeled yet, and what each reviewer did with them: plain,
 * thread-safe state, fed by the requests and verdicts topics and by answers given on the page.
 *
 * <p>An item leaves the queue once as many people as its request asks for (one, or two for the
 * double-review share) have labeled it, and is never served again to someone who labeled it; a skip
 * hides it from that reviewer only. Undo withdraws the reviewer's last answer and puts the item
 * back at the head of their queue. Days are UTC days.
 *
 * <p>Who labeled and who skipped is remembered for at most {@code maxAnswered} items (by default
 * {@value #MAX_ANSWERED}, about 400 bytes each, some 40 MB), the least recently answered forgotten
 * first, never one still pending: the last {@code maxAnswered} items answered are never served
 * again to someone who labeled them, nor, while done, to anyone. A forgotten item is like one never
 * answered: its request, read again from the topic when the queue is rebuilt at a start (verdicts
 * are read in step with the requests, or ahead while the queue is full), puts it back on the queue
 * for everyone, and a label given then counts as that reviewer's later answer. Only items answered
 * before the last {@code maxAnswered} can come back this way. Today's counts hold one UTC day.
 */
public final class PendingReviews {

  /** How many answers per reviewer undo can walk back. */
  static final int UNDO_DEPTH = 100;

  /** How many answered items are remembered unless told otherwise. */
  static final int MAX_ANSWERED = 100_000;

  /** Who labeled an item and who skipped it on this page. */
  private static final class Answers {
    final Set<String> labeledBy = new HashSet<>(4);
    final Set<String> skippedBy = new HashSet<>(4);
  }

  private final int capacity;
  private final int maxAnswered;
  private final Map<String, ReviewRequest> pending = new LinkedHashMap<>();
  // By item, the least recently answered first: touch() moves an item to the end.
  private final Map<String, Answers> answers = new LinkedHashMap<>();
  private final Map<String, Deque<ReviewRequest>> history = new HashMap<>();
  private final Map<String, Deque<String>> front = new HashMap<>();
  private final Map<String, Set<String>> labeledToday = new HashMap<>();
  private LocalDate today;

  /**
   * @param capacity the most pending items held; the caller stops offering when {@link #full()}
   */
  public PendingReviews(int capacity) {
    this(capacity, MAX_ANSWERED);
  }

  /**
   * @param capacity the most pending items held; the caller stops offering when {@link #full()}
   * @param maxAnswered the most answered items whose reviewers are remembered, besides those still
   *     pending
   */
  public PendingReviews(int capacity, int maxAnswered) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be positive, got " + capacity);
    }
    if (maxAnswered < 1) {
      throw new IllegalArgumentException("maxAnswered must be positive, got " + maxAnswered);
    }
    this.capacity = capacity;
    this.maxAnswered = maxAnswered;
  }

  /** Adds a request unless it is pending already or enough people labeled it. */
  public synchronized void offer(ReviewRequest request) {
    if (done(request)) {
      return;
    }
    pending.putIfAbsent(request.getId(), request);
  }

  /** Whether as many people as {@code request} asks for have labeled it. */
  private boolean done(ReviewRequest request) {
    var answered = answers.get(request.getId());
    return answered != null && answered.labeledBy.size() >= Math.max(1, request.getReviewers());
  }

  /** Whether {@code reviewer} may be served the pending item {@code id}. */
  private boolean servable(String id, String reviewer) {
    var answered = answers.get(id);
    return answered == null
        || !(answered.labeledBy.contains(reviewer) || answered.skippedBy.contains(reviewer));
  }

  /** Whether the queue holds as many items as it may. */
  public synchronized boolean full() {
    return pending.size() >= capacity;
  }

  /** The next item for {@code reviewer}: one they put back by undo first, then the oldest. */
  public synchronized Optional<ReviewRequest> next(String reviewer) {
    var mine = front.getOrDefault(reviewer, new ArrayDeque<>());
    while (!mine.isEmpty()) {
      var request = pending.get(mine.peekFirst());
      if (request != null && servable(request.getId(), reviewer)) {
        return Optional.of(request);
      }
      mine.removeFirst();
    }
    return pending.values().stream().filter(r -> servable(r.getId(), reviewer)).findFirst();
  }

  /** How many pending items {@code reviewer} has neither skipped nor labeled. */
  public synchronized int queueLength(String reviewer) {
    return (int) pending.keySet().stream().filter(id -> servable(id, reviewer)).count();
  }

  /** How many items {@code reviewer} labeled today and has not withdrawn. */
  public synchronized int reviewedToday(String reviewer, LocalDate day) {
    rollOver(day);
    return labeledToday.getOrDefault(reviewer, Set.of()).size();
  }

  /**
   * Records an answer given on the page: remembered for undo, a skip hides the item from this
   * reviewer, a label takes it off the queue.
   */
  public synchronized void answer(ReviewVerdict verdict) {
    var reviewer = verdict.getReviewer();
    var request = pending.get(verdict.getId());
    if (request != null) {
      var past = history.computeIfAbsent(reviewer, r -> new ArrayDeque<>());
      past.addFirst(request);
      while (past.size() > UNDO_DEPTH) {
        past.removeLast();
      }
    }
    var mine = front.get(reviewer);
    if (mine != null) {
      mine.remove(verdict.getId());
    }
    if (verdict.getSkipped()) {
      touch(verdict.getId()).skippedBy.add(reviewer);
    }
    apply(verdict);
  }

  /**
   * Withdraws {@code reviewer}'s last answer given here and puts its item back at the head of their
   * queue.
   *
   * @return the item whose answer is withdrawn; empty when there is nothing to undo
   */
  public synchronized Optional<ReviewRequest> undo(String reviewer) {
    var past = history.get(reviewer);
    if (past == null || past.isEmpty()) {
      return Optional.empty();
    }
    var request = past.removeFirst();
    var id = request.getId();
    var answered = answers.get(id);
    if (answered != null) {
      answered.skippedBy.remove(reviewer);
    }
    withdraw(id, reviewer);
    if (!done(request)) {
      pending.putIfAbsent(id, request);
    }
    front.computeIfAbsent(reviewer, r -> new ArrayDeque<>()).addFirst(id);
    return Optional.of(request);
  }

  /**
   * Applies a verdict read from the topic (from any tool): a label counts towards the people the
   * item needs and takes it off the queue once they are all there; a skip withdraws that reviewer's
   * label (the auditor reads a skip as withdrawal).
   */
  public synchronized void apply(ReviewVerdict verdict) {
    var id = verdict.getId();
    var reviewer = verdict.getReviewer();
    var day = LocalDate.ofInstant(verdict.getDecidedAt(), ZoneOffset.UTC);
    rollOver(day);
    if (verdict.getSkipped()) {
      withdraw(id, reviewer);
      return;
    }
    touch(id).labeledBy.add(reviewer);
    var request = pending.get(id);
    if (request != null && done(request)) {
      pending.remove(id);
    }
    if (day.equals(today)) {
      labeledToday.computeIfAbsent(reviewer, r -> new HashSet<>()).add(id);
    }
  }

  private void withdraw(String id, String reviewer) {
    var answered = answers.get(id);
    if (answered != null) {
      answered.labeledBy.remove(reviewer);
      if (answered.labeledBy.isEmpty() && answered.skippedBy.isEmpty()) {
        answers.remove(id);
      }
    }
    var counted = labeledToday.get(reviewer);
    if (counted != null) {
      counted.remove(id);
    }
  }

  /** The answers of item {@code id}, now the most recently answered. */
  private Answers touch(String id) {
    var answered = answers.remove(id);
    if (answered == null) {
      answered = new Answers();
      forgetOldest(maxAnswered - 1);
    }
    answers.put(id, answered);
    return answered;
  }

  /**
   * Forgets the least recently answered items beyond {@code keep}; a pending one is kept, moved to
   * the end, since who labeled or skipped it still decides whom it is served to.
   */
  private void forgetOldest(int keep) {
    var kept = new LinkedHashMap<String, Answers>();
    var oldest = answers.entrySet().iterator();
    while (answers.size() + kept.size() > keep && oldest.hasNext()) {
      var entry = oldest.next();
      if (pending.containsKey(entry.getKey())) {
        kept.put(entry.getKey(), entry.getValue());
      }
      oldest.remove();
    }
    answers.putAll(kept);
  }

  /** Starts a new day's counts when {@code day} is later than the current one. */
  private void rollOver(LocalDate day) {
    if (today == null || day.isAfter(today)) {
      today = day;
      labeledToday.clear();
    }
  }
}
