package io.distillery.students;

/**
 * What a training run produced.
 *
 * @param student the trained student, ready to score
 * @param device the device it trained on, as DJL names it
 * @param deviceReason why that device
 * @param trainingMillis wall time of the training loop
 * @param examples training examples used
 * @param finalLoss mean weighted loss of the last epoch
 */
public record TrainingResult(
    HashedLinearStudent student,
    String device,
    String deviceReason,
    long trainingMillis,
    int examples,
    double finalLoss) {}
