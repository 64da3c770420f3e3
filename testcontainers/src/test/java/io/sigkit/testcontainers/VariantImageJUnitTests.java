package io.sigkit.testcontainers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import io.sigkit.testcontainers.fixtures.VariantImageConformanceTestCase;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;

@RequiresContainerEngine
class VariantImageJUnitTests {

    @Test
    void a_conformance_class_on_a_broken_variant_image_fails_exactly_its_requirement_test() {
        // GIVEN a user's SignalingApiConformanceTests class whose @SignalingPayload is the configure-exit-1 image
        System.setProperty("sigkit.test.image", Images.variant("configure-exit-1"));
        try {
            // WHEN JUnit runs it
            EngineExecutionResults results = EngineTestKit.engine("junit-jupiter")
                    .selectors(selectClass(VariantImageConformanceTestCase.class)).execute();

            // THEN the one failed test is SIG-CONF-001's, named by its ID
            List<String> failed = results.testEvents().failed().stream()
                    .map(e -> e.getTestDescriptor().getDisplayName()).toList();
            assertThat(failed).singleElement().asString().startsWith("SIG-CONF-001 [REQUIRED] ");
            assertThat(results.testEvents().succeeded().count()).as("requirement tests passed").isPositive();
            assertThat(results.containerEvents().failed().count()).as("failed classes").isZero();
        } finally {
            System.clearProperty("sigkit.test.image");
        }
    }
}
