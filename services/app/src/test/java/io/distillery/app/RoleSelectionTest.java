package io.distillery.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import io.distillery.common.RoleName;
import java.util.List;
import org.junit.jupiter.api.Test;

class RoleSelectionTest {

  @Test
  void shouldRunTheRolesNamedInPipelineOrderWhateverTheCaseOrOrder() {
    assertThat(RoleSupervisor.selected(List.of("all")))
        .containsExactly(RoleName.LABELER, RoleName.AUDITOR, RoleName.TRAINER, RoleName.CLASSIFIER);
    assertThat(RoleSupervisor.selected(List.of(" Trainer", "labeler", "")))
        .containsExactly(RoleName.LABELER, RoleName.TRAINER);
  }

  @Test
  void shouldRefuseAnUnknownRoleNamingTheKnownOnes() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> RoleSupervisor.selected(List.of("trainer", "scorer")))
        .withMessageContaining("unknown role(s) [scorer]")
        .withMessageContaining("[labeler, auditor, trainer, classifier]");
  }
}
