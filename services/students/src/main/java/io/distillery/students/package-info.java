/**
 * The students: featurizers, training with DJL, inference, and the artifact format. Both the
 * trainer (which trains and saves) and the classifier (which loads and scores) use this module, so
 * a model is read exactly as it was written.
 */
package io.distillery.students;
