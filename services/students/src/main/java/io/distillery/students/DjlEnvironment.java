package io.distillery.students;

/**
 * Keeps DJL offline. DJL reports usage over HTTP and downloads natives on first use unless told not
 * to; both fail on a closed network and neither is wanted in production. Call {@link #offline()}
 * before any DJL class loads.
 */
public final class DjlEnvironment {

  private DjlEnvironment() {}

  /** Sets DJL's offline and no-tracking switches, unless the user set them already. */
  public static void offline() {
    if (System.getProperty("ai.djl.offline") == null) {
      System.setProperty("ai.djl.offline", "true");
    }
    if (System.getProperty("OPT_OUT_TRACKING") == null) {
      System.setProperty("OPT_OUT_TRACKING", "true");
    }
  }
}
