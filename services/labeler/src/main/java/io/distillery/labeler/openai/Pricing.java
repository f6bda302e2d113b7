package io.distillery.labeler.openai;

import io.distillery.labeler.TeacherConfig;

/**
 * What a call cost: tokens times the configured price of the model, per million tokens. A model
 * without a price costs 0 (a local server, or prices not configured).
 *
 * @param inputPerMillion US dollars per million prompt tokens
 * @param outputPerMillion US dollars per million completion tokens
 */
record Pricing(double inputPerMillion, double outputPerMillion) {

  static final Pricing FREE = new Pricing(0, 0);

  /** The price of {@code config.model()} in {@code config.prices()}. */
  static Pricing of(TeacherConfig config) {
    var prices = config.prices();
    var price = prices == null ? null : prices.get(config.model());
    if (price == null && config.budgetUsd() > 0) {
      // An unpriced model would cost $0 a call and the budget would never stop anything.
      throw new IllegalArgumentException(
          "distillery.teacher.budget-usd is set but model '"
              + config.model()
              + "' has no price: set distillery.teacher.prices.\""
              + config.model()
              + "\".input and .output");
    }
    return price == null ? FREE : new Pricing(price.input(), price.output());
  }

  double cost(long promptTokens, long completionTokens) {
    return (promptTokens * inputPerMillion + completionTokens * outputPerMillion) / 1_000_000.0;
  }
}
