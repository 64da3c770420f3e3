package io.sigkit.junit;

import io.sigkit.catalog.Level;
import io.sigkit.check.RequirementResult;
import io.sigkit.cleanup.CleanupItem;
import io.sigkit.run.RunResult;
import io.sigkit.text.SafeText;
import io.sigkit.waiver.Waiver;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.function.Executable;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

/**
 * The test of one requirement: replays the certification's result for it as a JUnit outcome.
 * <ul>
 *   <li>PASS passes (its warnings, evidence and timings are report entries);</li>
 *   <li>FAIL of a REQUIRED requirement, or of a RECOMMENDED one under {@code sigkit.strict}, fails with an
 *       {@link AssertionFailedError} carrying the kit's message and expected/actual;</li>
 *   <li>FAIL of a RECOMMENDED requirement otherwise is aborted, with the kit's message: not met, not fatal, and
 *       never shown as a pass;</li>
 *   <li>WAIVED (a FAIL that an applied {@code sigkit.waivers} waiver accepts) is aborted, with the waiver (who
 *       approved it, until when, why) and then the kit's message, expected and actual: not met, accepted, and never
 *       shown as a pass;</li>
 *   <li>ERROR fails with a {@link RequirementEvaluationException};</li>
 *   <li>SKIPPED (a prerequisite did not pass) and NOT_VERIFIED (a tier or hook was not enabled) are aborted with
 *       their reason.</li>
 * </ul>
 */
record RequirementCheck(RequirementResult result, boolean strict, Waiver waiver) implements Executable {

    /** CLI options in the kit's "enable with" texts, and the settings that do the same here. */
    private static final Map<String, String> ENABLERS = Map.of(
            "--allow-clock-set", Setting.ALLOW_CLOCK_SET.key() + "=true",
            "--allow-destructive", Setting.ALLOW_DESTRUCTIVE.key() + "=true",
            "--include", Setting.INCLUDE.key(),
            "--exclude", Setting.EXCLUDE.key());

    RequirementCheck {
        Objects.requireNonNull(result, "result");
    }

    /** The check of a result no waiver applies to. */
    RequirementCheck(RequirementResult result, boolean strict) {
        this(result, strict, null);
    }

    /** One dynamic test per result, in catalog order, then one for the cleanup of the payload. */
    static List<DynamicTest> dynamicTests(RunResult run) {
        List<DynamicTest> tests = new ArrayList<>();
        for (RequirementResult r : run.results()) {
            tests.add(DynamicTest.dynamicTest(displayName(r), new RequirementCheck(r, run.strict(),
                    run.waiverOf(r.id()).orElse(null))));
        }
        tests.add(DynamicTest.dynamicTest("sigkit removed everything it created on the payload",
                () -> assertCleanedUp(run)));
        return List.copyOf(tests);
    }

    /** {@code SIG-CONF-001 [REQUIRED] configure accepts the documented invocation and exits 0 for a valid window}. */
    static String displayName(RequirementResult r) {
        return r.id() + " [" + r.level() + "] " + r.title();
    }

    @Override
    public void execute() {
        switch (result.outcome()) {
            case PASS -> {
                // passed, with evidence: published by the extension as report entries
            }
            case FAIL -> {
                if (result.level() == Level.REQUIRED || strict) {
                    throw failure();
                }
                throw new TestAbortedException(result.id() + " is " + result.level() + " and not met; it does not fail"
                        + " the suite unless " + Setting.STRICT.key() + "=true. " + message() + expectedActual());
            }
            case WAIVED -> throw new TestAbortedException(result.id() + " failed and is WAIVED ("
                    + (waiver == null ? "by a waiver" : SafeText.escapeText(waiver.describe())) + "); it does not fail"
                    + " the suite. " + message() + expectedActual());
            case ERROR -> throw new RequirementEvaluationException(result.id(), message());
            case SKIPPED -> throw new TestAbortedException(message());
            case NOT_VERIFIED -> throw new TestAbortedException(message() + junitEnabler());
        }
    }

    /**
     * The result's message, control characters escaped: it may quote payload output, and test runners print it on a
     * terminal (the expected and actual values stay as they are, for the IDE's comparison).
     */
    private String message() {
        return SafeText.escapeText(result.message());
    }

    private AssertionFailedError failure() {
        if (result.expected() == null && result.actual() == null) {
            return new AssertionFailedError(message());
        }
        return new AssertionFailedError(message(), result.expected(), result.actual());
    }

    private String expectedActual() {
        if (result.expected() == null && result.actual() == null) {
            return "";
        }
        return SafeText.escapeText(" Expected: " + result.expected() + "; actual: " + result.actual() + ".");
    }

    private String junitEnabler() {
        String enabledBy = result.enabledBy() == null ? "" : result.enabledBy();
        for (Map.Entry<String, String> e : ENABLERS.entrySet()) {
            if (enabledBy.contains(e.getKey())) {
                return " In this JUnit suite: " + e.getValue() + ".";
            }
        }
        if (enabledBy.contains("hook")) {
            return " In this JUnit suite: override customize(RunOptions.Builder) in your SignalingApiConformanceTests"
                    + " subclass and set linkControl(...).";
        }
        return "";
    }

    private static void assertCleanedUp(RunResult run) {
        List<CleanupItem> left = run.cleanup().stream()
                .filter(item -> !item.removed() && item.kind() != CleanupItem.Kind.DIRECTORY)
                .toList();
        if (!left.isEmpty()) {
            throw new AssertionFailedError("sigkit left " + left.size() + " thing(s) on payload " + run.target().address()
                    + ": " + left.stream().map(i -> i.kind() + " " + i.target() + " (" + i.note() + ")")
                    .collect(Collectors.joining("; ")));
        }
    }
}
