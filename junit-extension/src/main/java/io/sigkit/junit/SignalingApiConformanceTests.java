package io.sigkit.junit;

import io.sigkit.run.RunOptions;
import io.sigkit.run.RunResult;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The whole requirement catalog of the Payload Signaling API v1.0 as tests of your suite: extend this class, and each
 * requirement is a test named like {@code SIG-CONF-001 [REQUIRED] configure accepts the documented invocation and exits 0 for a valid window}.
 *
 * <pre>{@code
 * @SignalingConformance(disabledWhenUnreachable = true)   // settings as for any @SignalingConformance class
 * class OurPayloadConformanceTests extends SignalingApiConformanceTests {
 * }
 * }</pre>
 *
 * <p>The certification runs once per class, exactly as the {@code sigkit} command runs it (the same scenarios, in the
 * same order, against the same payload state); each requirement's test then reports its result:
 * <ul>
 *   <li>PASS passes; its timings, evidence and warnings are report entries ({@code sigkit.timing.*},
 *       {@code sigkit.evidence.*}), which reach Surefire's and Open Test Reporting's output;</li>
 *   <li>a REQUIRED requirement that is not met fails with the kit's message, expected and actual as fields of the
 *       {@link org.opentest4j.AssertionFailedError};</li>
 *   <li>a RECOMMENDED requirement that is not met is aborted (skipped) with the kit's message, or fails under
 *       {@code sigkit.strict=true};</li>
 *   <li>a requirement whose prerequisite did not pass (SKIPPED), or that needs a tier or hook not enabled here
 *       (NOT_VERIFIED: {@code sigkit.allowClockSet}, {@code sigkit.allowDestructive}, a link hook), is aborted with
 *       the reason;</li>
 *   <li>a requirement the kit could not evaluate fails with a {@link RequirementEvaluationException}.</li>
 * </ul>
 * A last test fails if the kit could not remove everything it created on the payload.
 */
@SignalingConformance
public abstract class SignalingApiConformanceTests {

    /**
     * One test per requirement, from one certification run.
     *
     * @param result the run, done once for this class
     * @return the tests, in catalog order
     */
    @TestFactory
    @DisplayName("Payload Signaling API v1.0 conformance (sigkit)")
    public final List<DynamicTest> signalingApiRequirements(RunResult result) {
        return RequirementCheck.dynamicTests(result);
    }

    /**
     * Changes the run's options before it starts, for what settings cannot say: files to uplink for SIG-CONF-003, a
     * {@link io.sigkit.run.LinkControl} for SIG-START-006, other budgets. The default changes nothing.
     *
     * @param options the options from the settings
     * @return the options to run with
     */
    protected RunOptions.Builder customize(RunOptions.Builder options) {
        return options;
    }
}
