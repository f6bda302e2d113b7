package io.distillery.students;

/**
 * What a training run produced.
 *
 * @param student the trained student, ready to score
 * @param device the device it trained on, as DJL names it
 * @param deviceReason why that device
 * @param trainingMillis wall time of the training
 * @param examples training examples used
 * @param finalLoss mean loss of the last epoch
 */
public record TrainedStudent(
    Student student,
    String device,
    String deviceReason,
    long trainingMillis,
    int examples,
    double finalLoss) {}
