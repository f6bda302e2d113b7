package io.distillery.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The README and docs/operations.md say what the deploy files do, with the same names and tags. */
class DocsTest {

  @Test
  void theReadmeHasARunOnAClusterSectionWithTheScalingStory() {
    var readme = Repo.read("README.md");
    assertThat(readme).contains("## Run on a cluster").contains("docs/operations.md");
    for (var role : Manifests.ROLES) {
      assertThat(readme).containsPattern("(?m)^\\| " + role + " \\| ");
    }
    assertThat(readme)
        .contains("kubectl apply -k k8s/overlays/local")
        .contains("kubectl apply -k k8s/overlays/prod")
        .contains("-Pcontainers");
  }

  @Test
  void everyImageTheDocsBuildHasTheTagTheManifestsUse() {
    var build = Pattern.compile("docker build -f (deploy/Dockerfile\\.\\w+) -t (\\S+)");
    for (var doc : new String[] {"README.md", "docs/operations.md"}) {
      var matcher = build.matcher(Repo.read(doc));
      int found = 0;
      while (matcher.find()) {
        found++;
        Repo.file(matcher.group(1));
        assertThat(matcher.group(2)).as(doc).endsWith(":" + Repo.imageTag());
      }
      assertThat(found).as(doc + " builds the three images").isEqualTo(3);
    }
  }

  @Test
  void theOperationsGuideCoversWhatTheIssueAsked() {
    var guide = Repo.read("docs/operations.md");
    assertThat(guide)
        .contains("## Deploy")
        .contains("## Scale each role")
        .contains("## Roll a new codebook")
        .contains("## Promote or roll back a model")
        .contains("## Rotate the LLM API key")
        .contains("## Alerts: what each means");
  }
}
