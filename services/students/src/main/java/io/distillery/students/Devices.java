package io.distillery.students;

import ai.djl.Device;
import ai.djl.engine.Engine;

/** The device students train on: the first GPU when DJL's PyTorch engine sees one, else the CPU. */
public final class Devices {

  static {
    DjlEnvironment.offline();
  }

  /**
   * @param device the device
   * @param reason why, in words for logs and model versions
   */
  public record Choice(Device device, String reason) {

    /** {@code "gpu(0) (DJL sees 1 GPU(s))"}: the device and why, as model versions carry it. */
    public String describe() {
      return device + " (" + reason + ")";
    }
  }

  private Devices() {}

  /** The device to train on, and why. */
  public static Choice choose() {
    int gpus = Engine.getEngine("PyTorch").getGpuCount();
    return gpus > 0
        ? new Choice(Device.gpu(), "DJL sees " + gpus + " GPU(s)")
        : new Choice(Device.cpu(), "DJL sees no GPU");
  }
}
