package io.sigkit.testcontainers;

import static org.assertj.core.api.Assertions.assertThat;

import io.sigkit.check.Outcome;
import io.sigkit.check.RequirementResult;
import io.sigkit.run.Certification;
import io.sigkit.run.RunResult;
import io.sigkit.run.Verdict;
import java.time.Duration;
import org.junit.jupiter.api.Test;

@RequiresContainerEngine
class ReferenceImageContainerTests {

    @Test
    void reference_image_is_conformant_with_every_tier_and_its_shutdown_stops_the_container() {
        // GIVEN a container of the reference image, with link control
        try (SignalingPayloadContainer payload = new SignalingPayloadContainer(Images.reference()).withLinkControl()) {
            payload.start();

            // WHEN it is certified with both opt-in tiers
            RunResult result = Certification.run(payload.runOptions().windowLength(Duration.ofSeconds(3))
                    .allowClockSet(true).allowDestructive(true).build());

            // THEN every requirement passes, SIG-START-006 (the link cut) and SIG-END-001 (the shutdown) included
            assertThat(result.results()).filteredOn(r -> r.outcome() != Outcome.PASS)
                    .extracting(RequirementResult::id, RequirementResult::outcome, RequirementResult::message)
                    .isEmpty();
            assertThat(result.verdict()).isEqualTo(Verdict.CONFORMANT);
            // AND the shutdown stopped the container, the clock set was only recorded
            assertThat(payload.isRunning()).isFalse();
            assertThat(payload.recordedCalls()).anyMatch(l -> l.contains("\tdate "))
                    .anyMatch(l -> l.contains("\tshutdown -h now"));
        }
    }
}
