package io.distillery.students;

/**
 * One training or evaluation text with its label.
 *
 * @param text the text
 * @param label its label
 */
public record LabeledExample(String text, String label) {}
