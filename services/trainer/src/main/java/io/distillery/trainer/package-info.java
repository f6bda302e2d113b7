/**
 * The trainer role: keeps the latest teacher label per text and the human verdicts, and every N new
 * labels distils them into a student, evaluates it on human-verified texts it never trained on,
 * stores the artifact and publishes the model version.
 */
package io.distillery.trainer;
