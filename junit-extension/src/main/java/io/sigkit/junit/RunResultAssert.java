package io.sigkit.junit;

import io.sigkit.check.Outcome;
import io.sigkit.check.RequirementResult;
import io.sigkit.run.RunResult;
import io.sigkit.run.Verdict;
import io.sigkit.text.SafeText;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.assertj.core.api.AbstractAssert;

/**
 * Assertions on a whole certification run. Obtain with {@link SigkitAssertions#assertThat(RunResult)}.
 */
public final class RunResultAssert extends AbstractAssert<RunResultAssert, RunResult> {

    RunResultAssert(RunResult actual) {
        super(actual, RunResultAssert.class);
    }

    /**
     * Verifies the verdict is CONFORMANT; the failure lists every requirement that stands in the way, with its message.
     *
     * @return this assertion
     */
    public RunResultAssert isConformant() {
        return hasVerdict(Verdict.CONFORMANT);
    }

    /**
     * Verifies the verdict.
     *
     * @param verdict the expected verdict
     * @return this assertion
     */
    public RunResultAssert hasVerdict(Verdict verdict) {
        Objects.requireNonNull(verdict, "verdict");
        isNotNull();
        if (actual.verdict() != verdict) {
            List<String> reasons = actual.results().stream()
                    .filter(r -> r.isFailure(actual.strict()) || (r.level() == io.sigkit.catalog.Level.REQUIRED
                            && r.outcome() != Outcome.PASS))
                    .map(r -> r.outcome() + " " + SafeText.escapeText(r.message()))
                    .toList();
            failWithMessage("%nExpecting payload %s to be %s to the Payload Signaling API v%s%nbut the verdict was %s%s",
                    actual.target().address(), verdict, actual.specVersion(), actual.verdict(),
                    reasons.isEmpty() ? "" : String.format(":%n  %s", String.join(String.format("%n  "), reasons)));
        }
        return this;
    }

    /**
     * Verifies the run has a result for the requirement and returns assertions on it.
     *
     * @param requirementId e.g. {@code SIG-CONF-002}
     * @return assertions on that requirement's result
     */
    public RequirementResultAssert hasResult(String requirementId) {
        Objects.requireNonNull(requirementId, "requirementId");
        isNotNull();
        Optional<RequirementResult> result = actual.result(requirementId);
        if (result.isEmpty()) {
            failWithMessage("%nExpecting the run against %s to have a result for%n  %s%nbut it has results only for%n  %s",
                    actual.target().address(), requirementId,
                    actual.results().stream().map(RequirementResult::id).toList());
        }
        return new RequirementResultAssert(result.orElseThrow());
    }
}
