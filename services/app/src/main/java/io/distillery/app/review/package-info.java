/**
 * The blind review page ({@code /review}): pending review requests held in memory, served one at a
 * time to each reviewer, with their answers (and undos) written to the verdicts topic.
 */
package io.distillery.app.review;
