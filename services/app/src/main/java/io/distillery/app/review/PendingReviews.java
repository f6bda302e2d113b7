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
 */
public final class PendingReviews {

  /** How many answers per reviewer undo can walk back. */
  static final int UNDO_DEPTH = 100;

  private final int capacity;
  private final Map<String, ReviewRequest> pending = new LinkedHashMap<>();
  private final Map<String, Set<String>> labeledBy = new HashMap<>();
  private final Map<String, Set<String>> skipped = new HashMap<>();
  private final Map<String, Deque<ReviewRequest>> history = new HashMap<>();
  private final Map<String, Deque<String>> front = new HashMap<>();
  private final Map<String, Set<String>> labeledToday = new HashMap<>();
  private LocalDate today;

  /**
   * @param capacity the most pending items held; the caller stops offering when {@link #full()}
   */
  public PendingReviews(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be positive, got " + capacity);
    }
    this.capacity = capacity;
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
    return labeledBy.getOrDefault(request.getId(), Set.of()).size()
        >= Math.max(1, request.getReviewers());
  }

  /** Whether {@code reviewer} may be served the pending item {@code id}. */
  private boolean servable(String id, String reviewer) {
    return !labeledBy.getOrDefault(id, Set.of()).contains(reviewer)
        && !skipped.getOrDefault(reviewer, Set.of()).contains(id);
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
      skipped.computeIfAbsent(reviewer, r -> new HashSet<>()).add(verdict.getId());
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
    var hidden = skipped.get(reviewer);
    if (hidden != null) {
      hidden.remove(id);
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
    labeledBy.computeIfAbsent(id, i -> new HashSet<>()).add(reviewer);
    var request = pending.get(id);
    if (request != null && done(request)) {
      pending.remove(id);
    }
    if (day.equals(today)) {
      labeledToday.computeIfAbsent(reviewer, r -> new HashSet<>()).add(id);
    }
  }

  private void withdraw(String id, String reviewer) {
    var by = labeledBy.get(id);
    if (by != null) {
      by.remove(reviewer);
      if (by.isEmpty()) {
        labeledBy.remove(id);
      }
    }
    var counted = labeledToday.get(reviewer);
    if (counted != null) {
      counted.remove(id);
    }
  }

  /** Starts a new day's counts when {@code day} is later than the current one. */
  private void rollOver(LocalDate day) {
    if (today == null || day.isAfter(today)) {
      today = day;
      labeledToday.clear();
    }
  }
}
