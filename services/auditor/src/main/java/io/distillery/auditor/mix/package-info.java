/**
 * The label-mix monitor: the teacher's and people's label shares per day against a reference
 * window, and the alerts when they drift apart.
 */
package io.distillery.auditor.mix;
