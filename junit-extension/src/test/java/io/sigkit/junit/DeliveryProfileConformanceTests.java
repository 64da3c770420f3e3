package io.sigkit.junit;

import static org.assertj.core.api.Assertions.assertThat;

import io.sigkit.junit.fixtures.ConformanceTestCase;
import io.sigkit.testbed.PayloadSpec;
import io.sigkit.testbed.junit.RequiresTestbed;
import io.sigkit.testbed.RunningPayload;
import io.sigkit.testbed.Testbed;
import io.sigkit.testbed.Variants;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestExecutionResult.Status;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.opentest4j.AssertionFailedError;

/** {@code sigkit.profile=delivery}: the SIG-DLV requirements become tests of the suite, as the CLI's --profile does. */
@RequiresTestbed
class DeliveryProfileConformanceTests {

    private static Map<String, String> delivery(RunningPayload payload) {
        Map<String, String> settings = Engine.settingsFor(payload);
        settings.put("sigkit.profile", "delivery");
        settings.put("sigkit.include", "environment,delivery");
        return settings;
    }

    @Test
    void the_reference_passes_sig_dlv001_and002() {
        // GIVEN the reference payload with its OORT agent
        try (RunningPayload payload = Testbed.start(PayloadSpec.reference().withNetns())) {
            // WHEN the catalog runs as tests with sigkit.profile=delivery
            EngineExecutionResults results = Engine.run(ConformanceTestCase.class, delivery(payload));

            // THEN SIG-DLV-001 and SIG-DLV-002 are tests, and they pass; nothing fails
            String all = ReferencePayloadConformanceTests.describe(results);
            for (String id : new String[] {"SIG-DLV-001", "SIG-DLV-002"}) {
                var finished = Engine.finished(results, ReferencePayloadConformanceTests.displayName(id));
                assertThat(finished).as("%s in%s", id, all).isPresent();
                assertThat(Engine.status(finished.get())).as(all).isEqualTo(Status.SUCCESSFUL);
            }
            assertThat(results.testEvents().failed().count()).as(all).isZero();
        }
    }

    @Test
    void without_the_agent_sig_dlv001_is_the_test_that_fails_naming_port2005() {
        // GIVEN a payload built without the OORT agent
        try (RunningPayload payload = Testbed.start(Variants.named("delivery-no-oort-agent").spec())) {
            // WHEN the catalog runs as tests with sigkit.profile=delivery
            EngineExecutionResults results = Engine.run(ConformanceTestCase.class, delivery(payload));

            // THEN SIG-DLV-001 is the one failure, naming the port
            assertThat(results.testEvents().failed().list()).as(ReferencePayloadConformanceTests.describe(results))
                    .extracting(e -> e.getTestDescriptor().getDisplayName())
                    .containsExactly(ReferencePayloadConformanceTests.displayName("SIG-DLV-001"));
            assertThat(Engine.throwable(results.testEvents().failed().list().get(0)))
                    .isInstanceOf(AssertionFailedError.class).hasMessageStartingWith("[SIG-DLV-001] ")
                    .hasMessageContaining("port 2005");
        }
    }

    @Test
    void the_default_profile_has_no_sig_dlv_test() {
        // GIVEN the reference payload with its OORT agent
        try (RunningPayload payload = Testbed.start(PayloadSpec.reference().withNetns())) {
            Map<String, String> settings = Engine.settingsFor(payload);
            settings.put("sigkit.include", "environment");
            // WHEN the catalog runs as tests without sigkit.profile
            EngineExecutionResults results = Engine.run(ConformanceTestCase.class, settings);

            // THEN no test is about SIG-DLV
            assertThat(results.testEvents().finished().stream().map(e -> e.getTestDescriptor().getDisplayName()))
                    .isNotEmpty().noneMatch(name -> name.startsWith("SIG-DLV-"));
        }
    }
}
