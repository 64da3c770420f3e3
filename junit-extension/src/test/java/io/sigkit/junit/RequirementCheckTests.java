package io.sigkit.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sigkit.check.RequirementResult;
import io.sigkit.cleanup.CleanupItem;
import io.sigkit.run.RunResult;
import java.util.List;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

/** How each outcome of the kit becomes a JUnit outcome. No payload needed. */
class RequirementCheckTests {

    @Test
    void required_failure_fails_with_the_kits_message_and_expected_actual_as_fields() {
        // GIVEN a REQUIRED requirement that failed
        RequirementResult failed = Results.of("SIG-CONF-001").fail(
                "configure for window 2100000017 gave no exit status within 20 s", "exit status 0", "none within 20 s");

        // WHEN / THEN its test fails with an AssertionFailedError carrying both
        assertThatThrownBy(() -> new RequirementCheck(failed, false).execute())
                .isInstanceOfSatisfying(AssertionFailedError.class, e -> {
                    assertThat(e.getMessage()).startsWith("[SIG-CONF-001] configure for window 2100000017 gave no exit status")
                            .contains("If this fails, check:");
                    assertThat(e.getExpected().getValue()).isEqualTo("exit status 0");
                    assertThat(e.getActual().getValue()).isEqualTo("none within 20 s");
                });
    }

    @Test
    void payload_output_in_the_message_is_shown_escaped_not_raw() {
        // GIVEN a failure and an error whose messages quote payload stderr holding terminal control sequences
        String hostile = "up\u001b[1A erase\u001b[2K \u001b[31mred osc\u001b]52;c;aGVsbG8=\u0007 cr\rover rlo\u202eevil";
        RequirementResult failed = Results.of("SIG-CONF-001").fail("configure exited 1 (stderr: " + hostile + ")",
                "exit status 0", "exit status 1");
        RequirementResult error = Results.of("SIG-START-003").error("the session broke: " + hostile);

        // WHEN / THEN the messages a test runner prints show them escaped, with no raw control character
        String shown = "up\\x1b[1A erase\\x1b[2K \\x1b[31mred osc\\x1b]52;c;aGVsbG8=\\x07 cr\\rover rlo\\u202eevil";
        for (RequirementResult r : List.of(failed, error)) {
            assertThatThrownBy(() -> new RequirementCheck(r, false).execute()).satisfies(e -> {
                assertThat(e.getMessage()).contains(shown);
                assertThat(e.getMessage().chars().filter(c -> c != '\n' && (c < 0x20 || c == 0x202e))).isEmpty();
            });
        }
    }

    @Test
    void a_waived_failure_is_aborted_with_the_waiver_then_the_kits_message() {
        // GIVEN a REQUIRED requirement whose FAIL an applied waiver accepted
        RequirementResult failed = Results.of("SIG-CFG-003").fail("configure exited 1 for an unknown key",
                "exit status 0", "exit status 1");
        RequirementResult waived = new RequirementResult(failed.id(), failed.level(), failed.title(),
                io.sigkit.check.Outcome.WAIVED, failed.message(), failed.expected(), failed.actual(), null, null,
                List.of(), failed.evidence(), List.of());
        io.sigkit.waiver.Waiver waiver = new io.sigkit.waiver.Waiver("SIG-CFG-003", "fixed in build 42",
                "J. Doe", java.time.LocalDate.of(2027, 1, 31), null);

        // WHEN / THEN its test is aborted (neither a pass nor a failure), the waiver first, then what was seen
        assertThatThrownBy(() -> new RequirementCheck(waived, false, waiver).execute())
                .isInstanceOf(TestAbortedException.class)
                .hasMessage("SIG-CFG-003 failed and is WAIVED (approved by J. Doe, until 2027-01-31: fixed in build 42);"
                        + " it does not fail the suite. " + failed.message()
                        + " Expected: exit status 0; actual: exit status 1.");
    }

    @Test
    void recommended_miss_is_aborted_unless_strict() {
        // GIVEN a RECOMMENDED requirement that failed
        RequirementResult missed = Results.of("SIG-FS-006").fail("/usr/bin/payload_exec is 0777", "not world-writable",
                "0777 root:root");

        // WHEN not strict, THEN aborted (never a pass), saying why it does not fail and what was seen
        assertThatThrownBy(() -> new RequirementCheck(missed, false).execute())
                .isInstanceOf(TestAbortedException.class)
                .hasMessageStartingWith("SIG-FS-006 is RECOMMENDED and not met; it does not fail the suite unless"
                        + " sigkit.strict=true. [SIG-FS-006] /usr/bin/payload_exec is 0777")
                .hasMessageEndingWith("Expected: not world-writable; actual: 0777 root:root.");

        // AND when strict, a failure
        assertThatThrownBy(() -> new RequirementCheck(missed, true).execute())
                .isInstanceOf(AssertionFailedError.class)
                .hasMessageStartingWith("[SIG-FS-006] /usr/bin/payload_exec is 0777");
    }

    @Test
    void skipped_and_not_verified_are_aborted_with_their_reason() {
        RequirementResult blocked = Results.of("SIG-CONF-001").skipped("SIG-FS-002", "SIG-FS-002 is FAIL");
        RequirementResult clock = Results.of("SIG-TIME-002").notVerified("--allow-clock-set",
                "setting the clock is in the reversible tier, which was not enabled");
        RequirementResult link = Results.of("SIG-START-006").notVerified("a link-down hook", "no way to cut the link");

        assertThatThrownBy(() -> new RequirementCheck(blocked, false).execute())
                .isInstanceOf(TestAbortedException.class)
                .hasMessage("[SIG-CONF-001] blocked by SIG-FS-002: SIG-FS-002 is FAIL");
        assertThatThrownBy(() -> new RequirementCheck(clock, false).execute())
                .isInstanceOf(TestAbortedException.class)
                .hasMessageContaining("(enable with --allow-clock-set)")
                .hasMessageEndingWith("In this JUnit suite: sigkit.allowClockSet=true.");
        assertThatThrownBy(() -> new RequirementCheck(link, false).execute())
                .isInstanceOf(TestAbortedException.class)
                .hasMessageContaining("override customize(RunOptions.Builder)");
    }

    @Test
    void error_fails_without_claiming_an_assertion() {
        RequirementResult error = Results.of("SIG-START-002").error("the connection was lost while listing processes");

        assertThatThrownBy(() -> new RequirementCheck(error, false).execute())
                .isInstanceOfSatisfying(RequirementEvaluationException.class,
                        e -> assertThat(e.requirementId()).isEqualTo("SIG-START-002"))
                .isNotInstanceOf(AssertionError.class)
                .hasMessage("[SIG-START-002] the connection was lost while listing processes");
    }

    @Test
    void pass_passes() {
        assertThatCode(() -> new RequirementCheck(Results.pass("SIG-CONF-002"), true).execute())
                .doesNotThrowAnyException();
    }

    @Test
    void one_test_per_result_in_catalog_order_then_the_cleanup() throws Throwable {
        // GIVEN a run with three results and a file it could not remove
        RunResult run = Results.run(false, List.of(Results.pass("SIG-ENV-001"), Results.pass("SIG-CONF-002"),
                        Results.pass("SIG-TIME-001")),
                List.of(new CleanupItem(CleanupItem.Kind.WINDOW_CONFIG, "/signaling/window_configs/2100000001.json",
                                "this run", false, "could not be removed"),
                        new CleanupItem(CleanupItem.Kind.DIRECTORY, "/signaling/inbox/sigkit", "this run", false,
                                "not removed: the directory is not empty (the payload put files in it)")));

        // WHEN turned into tests
        List<DynamicTest> tests = RequirementCheck.dynamicTests(run);

        // THEN one per requirement, named by ID, level and title, then the cleanup test, which fails on the file only
        assertThat(tests).extracting(DynamicTest::getDisplayName).containsExactly(
                "SIG-ENV-001 [REQUIRED] the payload runs Linux",
                "SIG-CONF-002 [RECOMMENDED] configure completes within 15 seconds",
                "SIG-TIME-001 [RECOMMENDED] the payload clock is within 1 s of the kit's clock",
                "sigkit removed everything it created on the payload");
        assertThatThrownBy(() -> tests.get(3).getExecutable().execute())
                .isInstanceOf(AssertionFailedError.class)
                .hasMessage("sigkit left 1 thing(s) on payload 127.0.0.1:2201: WINDOW_CONFIG"
                        + " /signaling/window_configs/2100000001.json (could not be removed)");
    }
}
