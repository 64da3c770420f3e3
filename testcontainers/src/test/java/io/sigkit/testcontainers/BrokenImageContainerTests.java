package io.sigkit.testcontainers;

import static org.assertj.core.api.Assertions.assertThat;

import io.sigkit.check.Outcome;
import io.sigkit.check.RequirementResult;
import io.sigkit.run.Certification;
import io.sigkit.run.RunResult;
import io.sigkit.run.Verdict;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

@RequiresContainerEngine
class BrokenImageContainerTests {

    @Test
    void broken_variant_image_is_not_conformant_with_its_own_requirement_id() {
        // GIVEN a container of the configure-exit-1 variant's image (payload_exec configure exits 1: SIG-CONF-001)
        try (SignalingPayloadContainer payload = new SignalingPayloadContainer(Images.variant("configure-exit-1"))) {
            payload.start();

            // WHEN it is certified
            RunResult result = Certification.run(payload.runOptions().build());

            // THEN the verdict is NOT_CONFORMANT and SIG-CONF-001 fails, naming the exit status
            assertThat(result.verdict()).isEqualTo(Verdict.NOT_CONFORMANT);
            RequirementResult conf001 = result.results().stream().filter(r -> r.id().equals("SIG-CONF-001"))
                    .findFirst().orElseThrow();
            assertThat(conf001.outcome()).isEqualTo(Outcome.FAIL);
            assertThat(conf001.message()).contains("exit");
        }
    }

    @Test
    void with_payload_exec_certifies_a_local_build_of_payload_exec_against_the_image() {
        // GIVEN the reference image, with a local payload_exec build whose configure exits 1
        Path broken = Path.of(System.getProperty("sigkit.repo.dir"), "testbed/payloads/variants/configure-exit-1/payload_exec");
        try (SignalingPayloadContainer payload = new SignalingPayloadContainer(Images.reference())
                .withPayloadExec(broken)) {
            payload.start();

            // WHEN SIG-CONF-001 is certified
            RunResult result = Certification.run(payload.runOptions().include("SIG-CONF-001").build());

            // THEN it fails: the container ran the given payload_exec, not the image's
            assertThat(result.results()).filteredOn(r -> r.id().equals("SIG-CONF-001"))
                    .extracting(RequirementResult::outcome).containsExactly(Outcome.FAIL);
        }
    }

    @Test
    void a_signaling_user_the_image_lacks_fails_the_start_naming_the_user() {
        // GIVEN the reference image and a signaling user it does not have
        try (SignalingPayloadContainer payload = new SignalingPayloadContainer(Images.reference())
                .withSignalingUser("flightsw")) {
            // WHEN it starts, THEN the start fails with the lab's message naming the user
            org.assertj.core.api.Assertions.assertThatThrownBy(payload::start)
                    .hasStackTraceContaining("no signaling user 'flightsw'");
        }
    }
}
