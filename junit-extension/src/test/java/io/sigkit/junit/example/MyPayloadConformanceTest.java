package io.sigkit.junit.example;

// One static import serves sigkit's assertions and all of AssertJ's.
import static io.sigkit.junit.SigkitAssertions.assertThat;

import io.sigkit.check.Outcome;
import io.sigkit.junit.SignalingApiConformanceTests;
import io.sigkit.junit.SignalingConformance;
import io.sigkit.run.RunOptions;
import io.sigkit.run.RunResult;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Example: the whole Payload Signaling API v1.0 certification as tests of your own suite.
 *
 * <p>Extending {@link SignalingApiConformanceTests} is all it takes: the class gets one test per requirement of the
 * catalog, named like {@code SIG-CONF-002 [REQUIRED] configure completes within 15 seconds}, from one certification
 * run against your payload (the same checks, in the same order, as {@code sigkit certify}). What the outcomes become:
 * <ul>
 *   <li>PASS: the test passes; timings and evidence are report entries ({@code sigkit.timing.*},
 *       {@code sigkit.evidence.*});</li>
 *   <li>a REQUIRED requirement not met: the test fails with the kit's message (expected/actual as fields);</li>
 *   <li>a RECOMMENDED requirement not met: the test is aborted (skipped) with the message, unless {@code strict};</li>
 *   <li>SKIPPED (a prerequisite failed) and NOT_VERIFIED (a tier not enabled): aborted, with the reason.</li>
 * </ul>
 *
 * <p>Where the payload is comes from the settings, not from the code, so the same class runs against the lab payload
 * on a developer's machine and against the flight model in the checkout pipeline. E.g. in
 * {@code src/test/resources/junit-platform.properties}:
 * <pre>
 * sigkit.target=sigapi@payload-lab.example.org:22
 * sigkit.identity=~/.ssh/payload_lab_ed25519
 * sigkit.knownHosts=~/.ssh/known_hosts
 * </pre>
 * or as system properties ({@code -Dsigkit.target=...}) or environment variables ({@code SIGKIT_TARGET=...}) in CI.
 */
// taskingUser: the Tasking API user the kit's test windows belong to (their inbox is /signaling/inbox/ops-team/).
// Any other setting can be given here too; the annotation wins over properties and the environment.
@SignalingConformance(taskingUser = "ops-team")
public class MyPayloadConformanceTest extends SignalingApiConformanceTests {

    /**
     * What the settings cannot say, in code: here, uplink one of the mission's real files (instead of a small
     * kit-made one) when SIG-CONF-003 checks that configure works with uplinked files in the inbox. The same hook sets
     * a {@code LinkControl} for SIG-START-006 or changes a budget.
     */
    @Override
    protected RunOptions.Builder customize(RunOptions.Builder options) {
        // relative to the module directory, where Maven runs the tests
        return options.uplink(Path.of("src/test/resources/example/observation-plan.json"));
    }

    /**
     * Your own checks on the same certification run: a {@link RunResult} parameter is the class's one run (it is not
     * run a second time).
     */
    @Test
    void configure_is_well_inside_its_budget(RunResult certification) {
        assertThat(certification).hasResult("SIG-CONF-002").passed();
        assertThat(certification).hasResult("SIG-CONF-003").passed().hasMessageContaining("observation-plan.json");

        // Shutting the payload down (SIG-END-001) is the destructive tier: off unless sigkit.allowDestructive=true,
        // so the verdict stays INCOMPLETE here. On a payload you may shut down, enable both tiers
        // (allowClockSet, allowDestructive) and assert the verdict instead:
        //     assertThat(certification).isConformant();
        assertThat(certification).hasResult("SIG-END-001").hasOutcome(Outcome.NOT_VERIFIED);
    }
}
