package io.distillery.app;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

/**
 * Down when a role has stopped for good (a fenced producer, a Streams thread in ERROR), so the
 * orchestrator restarts the process instead of leaving a live pod that does nothing.
 */
@Liveness
@ApplicationScoped
public class RolesLivenessCheck implements HealthCheck {

  private final RoleSupervisor supervisor;

  RolesLivenessCheck(RoleSupervisor supervisor) {
    this.supervisor = supervisor;
  }

  @Override
  public HealthCheckResponse call() {
    var builder = HealthCheckResponse.named("distillery-roles-alive");
    boolean alive = true;
    for (var role : supervisor.roles()) {
      if (role.failed()) {
        alive = false;
        builder.withData(role.name(), "stopped: " + role.health().detail());
      }
    }
    return builder.status(alive).build();
  }
}
