package io.distillery.app;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready only when every role this process runs is processing; each role is listed with its state.
 */
@Readiness
@ApplicationScoped
public class RolesHealthCheck implements HealthCheck {

  private final RoleSupervisor supervisor;

  RolesHealthCheck(RoleSupervisor supervisor) {
    this.supervisor = supervisor;
  }

  @Override
  public HealthCheckResponse call() {
    var builder = HealthCheckResponse.named("distillery-roles");
    boolean up = !supervisor.roles().isEmpty();
    for (var role : supervisor.roles()) {
      var health = role.health();
      up &= health.ready();
      builder.withData(role.name(), (health.ready() ? "ready: " : "not ready: ") + health.detail());
    }
    return builder.status(up).build();
  }
}
