package io.distillery.app.review;

import static org.assertj.core.api.Assertions.assertThat;

import io.distillery.schema.ReviewRequest;
import io.distillery.schema.ReviewVerdict;
import io.distillery.schema.SampleReason;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class PendingReviewsTest {

  private static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");
  private static final LocalDate TODAY = LocalDate.ofInstant(NOW, ZoneOffset.UTC);

  private final PendingReviews queue = new PendingReviews(3);

  @Test
  void shouldServeOldestFirstAndDropAnItemOnceLabeled() {
    queue.offer(request("a"));
    queue.offer(request("b"));
    queue.offer(request("a"));
    assertThat(queue.queueLength("ann")).isEqualTo(2);
    assertThat(queue.next("ann")).map(ReviewRequest::getId).contains("a");

    queue.answer(label("a", "ann"));

    assertThat(queue.next("ann")).map(ReviewRequest::getId).contains("b");
    assertThat(queue.next("bob")).map(ReviewRequest::getId).contains("b");
    assertThat(queue.reviewedToday("ann", TODAY)).isEqualTo(1);
    assertThat(queue.reviewedToday("bob", TODAY)).isZero();
  }

  @Test
  void shouldHideASkippedItemFromThatReviewerOnly() {
    queue.offer(request("a"));
    queue.answer(skip("a", "ann"));
    assertThat(queue.next("ann")).isEmpty();
    assertThat(queue.queueLength("ann")).isZero();
    assertThat(queue.next("bob")).map(ReviewRequest::getId).contains("a");
    assertThat(queue.reviewedToday("ann", TODAY)).isZero();
  }

  @Test
  void shouldPutAnUndoneItemBackAtTheHeadOfThatReviewersQueue() {
    queue.offer(request("a"));
    queue.offer(request("b"));
    queue.answer(label("a", "ann"));
    queue.answer(skip("b", "ann"));

    assertThat(queue.undo("ann")).map(ReviewRequest::getId).contains("b");
    assertThat(queue.next("ann")).map(ReviewRequest::getId).contains("b");
    queue.answer(label("b", "ann"));
    assertThat(queue.undo("ann")).map(ReviewRequest::getId).contains("b");
    assertThat(queue.undo("ann")).map(ReviewRequest::getId).contains("a");
    assertThat(queue.reviewedToday("ann", TODAY)).isZero();
    assertThat(queue.next("ann")).map(ReviewRequest::getId).contains("a");
    assertThat(queue.next("bob")).map(ReviewRequest::getId).contains("b");
    assertThat(queue.undo("ann")).isEmpty();
    assertThat(queue.undo("bob")).isEmpty();
  }

  @Test
  void shouldKeepAnItemAnsweredElsewhereOffTheQueueAndReadASkipAsWithdrawal() {
    queue.apply(label("a", "bob"));
    queue.offer(request("a"));
    assertThat(queue.next("ann")).isEmpty();
    assertThat(queue.reviewedToday("bob", TODAY)).isEqualTo(1);

    queue.apply(skip("a", "bob"));
    assertThat(queue.reviewedToday("bob", TODAY)).isZero();
    queue.offer(request("a"));
    assertThat(queue.next("ann")).map(ReviewRequest::getId).contains("a");
  }

  @Test
  void shouldReportFullAtCapacityAndStartANewDaysCount() {
    queue.offer(request("a"));
    queue.offer(request("b"));
    assertThat(queue.full()).isFalse();
    queue.offer(request("c"));
    assertThat(queue.full()).isTrue();
    queue.answer(label("a", "ann"));
    assertThat(queue.full()).isFalse();
    assertThat(queue.reviewedToday("ann", TODAY)).isEqualTo(1);
    assertThat(queue.reviewedToday("ann", TODAY.plusDays(1))).isZero();
  }

  @Test
  void shouldServeAnItemForTwoReviewersToTwoDifferentPeople() {
    queue.offer(twice("a"));
    queue.offer(request("b"));

    queue.answer(label("a", "ann"));

    // ann never sees "a" again; bob still gets it, and it leaves the queue once he labels it.
    assertThat(queue.next("ann")).map(ReviewRequest::getId).contains("b");
    assertThat(queue.queueLength("ann")).isEqualTo(1);
    assertThat(queue.next("bob")).map(ReviewRequest::getId).contains("a");
    queue.answer(label("a", "bob"));
    assertThat(queue.next("cy")).map(ReviewRequest::getId).contains("b");
    assertThat(queue.queueLength("cy")).isEqualTo(1);

    // bob takes his answer back: "a" needs a second person again (bob first), and not ann.
    assertThat(queue.undo("bob")).map(ReviewRequest::getId).contains("a");
    assertThat(queue.next("bob")).map(ReviewRequest::getId).contains("a");
    assertThat(queue.queueLength("cy")).isEqualTo(2);
    assertThat(queue.queueLength("ann")).isEqualTo(1);
  }

  @Test
  void shouldNotOfferAnItemForTwoAgainOnceTwoPeopleLabeledItElsewhere() {
    queue.apply(label("a", "ann"));
    queue.offer(twice("a"));
    assertThat(queue.next("bob")).map(ReviewRequest::getId).contains("a");
    assertThat(queue.next("ann")).isEmpty();

    queue.apply(label("a", "bob"));
    assertThat(queue.next("cy")).isEmpty();
    queue.offer(twice("a"));
    assertThat(queue.next("cy")).isEmpty();
  }

  @Test
  void shouldForgetTheLeastRecentlyAnsweredItemsBeyondTheBound() {
    var bounded = new PendingReviews(3, 2);
    bounded.apply(label("a", "bob"));
    bounded.apply(label("b", "bob"));
    bounded.apply(label("c", "bob"));

    // "a", answered longest ago, is forgotten: offered again, it is served again.
    bounded.offer(request("a"));
    bounded.offer(request("b"));
    bounded.offer(request("c"));
    assertThat(bounded.queueLength("ann")).isEqualTo(1);
    assertThat(bounded.next("ann")).map(ReviewRequest::getId).contains("a");
  }

  @Test
  void shouldRememberWhoAnsweredAPendingItemWhateverTheBound() {
    var bounded = new PendingReviews(3, 1);
    bounded.offer(twice("a"));
    bounded.answer(label("a", "ann"));
    bounded.apply(label("x", "bob"));
    bounded.apply(label("y", "bob"));

    // "a" still waits for a second person: ann's label is kept, so she is not served it again.
    assertThat(bounded.next("ann")).isEmpty();
    assertThat(bounded.next("bob")).map(ReviewRequest::getId).contains("a");
    bounded.offer(request("x"));
    assertThat(bounded.queueLength("cy")).as("x was forgotten, y is remembered").isEqualTo(2);
  }

  private static ReviewRequest twice(String id) {
    var request = request(id);
    request.setReviewers(2);
    return request;
  }

  private static ReviewRequest request(String id) {
    return ReviewRequest.newBuilder()
        .setId(id)
        .setText("text " + id)
        .setTask("sentiment")
        .setPromptVersion("v1")
        .setReason(SampleReason.UNIFORM)
        .setRequestedAt(NOW)
        .build();
  }

  private static ReviewVerdict label(String id, String reviewer) {
    return verdict(id, reviewer, "positive", false);
  }

  private static ReviewVerdict skip(String id, String reviewer) {
    return verdict(id, reviewer, null, true);
  }

  private static ReviewVerdict verdict(String id, String reviewer, String label, boolean skipped) {
    return ReviewVerdict.newBuilder()
        .setId(id)
        .setTask("sentiment")
        .setLabel(label)
        .setSkipped(skipped)
        .setReviewer(reviewer)
        .setDecidedAt(NOW)
        .build();
  }
}
