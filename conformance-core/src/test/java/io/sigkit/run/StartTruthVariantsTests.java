package io.sigkit.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.sigkit.check.Outcome;
import io.sigkit.check.RequirementResult;
import io.sigkit.testbed.junit.RequiresTestbed;
import io.sigkit.testbed.RunningPayload;
import io.sigkit.testbed.Testbed;
import io.sigkit.testbed.Variant;
import io.sigkit.testbed.Variants;
import org.junit.jupiter.api.Test;

/**
 * Verdict truth (issue 10), the false-FAIL family: conformant payloads that are unusual in ways the kit once mistook for
 * violations. Each must fail no requirement; where the kit cannot see the window's work, it says NOT_VERIFIED (or
 * warns) instead of guessing. (The false-PASS family, broken truth-* variants, runs in {@link BrokenVariantsTests};
 * conformant variants that name a requirement the kit once failed, in {@link TruthVariantsTests}.)
 */
@RequiresTestbed
class StartTruthVariantsTests {

    private static RunResult certify(RunningPayload payload) {
        return Certification.run(CertificationOnTestbedTests.options(payload).build());
    }

    @Test
    void a_seven_second_configure_inside_the_budget_fails_no_start_requirement() {
        // GIVEN a payload whose configure warms its instrument up for 7 s (the budget is 15 s)
        Variant variant = Variants.named("truth-configure-7s");
        assertThat(variant.conformant()).isTrue();
        try (RunningPayload payload = Testbed.start(variant.spec())) {
            // WHEN the kit certifies it
            RunResult r = certify(payload);
            String all = CertificationOnTestbedTests.describe(r);

            // THEN nothing fails: the diagnostic windows waited for configure before they started, and were read
            // relative to their own end time
            assertThat(r.results()).as(all).filteredOn(x -> x.outcome() == Outcome.FAIL || x.outcome() == Outcome.ERROR)
                    .isEmpty();
            // AND the window's work was seen and timed, and the messages say what was seen
            RequirementResult runs = r.result("SIG-START-002").orElseThrow();
            assertThat(runs.outcome()).as(all).isEqualTo(Outcome.PASS);
            assertThat(runs.message()).contains("-w 21");
            assertThat(r.result("SIG-START-004").orElseThrow().outcome()).as(all).isEqualTo(Outcome.PASS);
            assertThat(r.result("SIG-START-005").orElseThrow().outcome()).as(all).isEqualTo(Outcome.PASS);
            assertThat(r.cleanupComplete()).as("cleanup %s", r.cleanup()).isTrue();
        }
    }

    @Test
    void work_handed_to_a_resident_daemon_is_neither_failed_nor_passed_on_a_guess() {
        // GIVEN a payload whose start queues the window for a daemon that was running since boot, and exits 0
        Variant variant = Variants.named("truth-daemon-handoff");
        assertThat(variant.conformant()).isTrue();
        try (RunningPayload payload = Testbed.start(variant.spec())) {
            // WHEN the kit certifies it
            RunResult r = certify(payload);
            String all = CertificationOnTestbedTests.describe(r);

            // THEN no requirement fails: the start exits 0 and the payload's own evidence is out of the kit's sight
            assertThat(r.results()).as(all).filteredOn(x -> x.outcome() == Outcome.FAIL || x.outcome() == Outcome.ERROR)
                    .isEmpty();
            RequirementResult runs = r.result("SIG-START-002").orElseThrow();
            assertThat(runs.outcome()).as(all).isEqualTo(Outcome.PASS);
            // AND what depends on seeing the work is not verified, or passes only on what the kit did see
            for (String id : new String[] {"SIG-START-003", "SIG-START-004", "SIG-START-005"}) {
                RequirementResult x = r.result(id).orElseThrow();
                assertThat(x.outcome()).as(all).isIn(Outcome.PASS, Outcome.NOT_VERIFIED);
                if (x.outcome() == Outcome.NOT_VERIFIED) {
                    assertThat(x.message()).as(id).contains("daemon");
                }
            }
            // AND where no process of the window was seen, the report says so rather than claiming the work ran
            if (!runs.message().contains("payload_exec process")) {
                assertThat(runs.warnings()).as(all).anyMatch(w -> w.contains("daemon"));
            }
            assertThat(r.verdict()).isNotEqualTo(Verdict.NOT_CONFORMANT);
            assertThat(r.cleanupComplete()).as("cleanup %s", r.cleanup()).isTrue();
        }
    }
}
