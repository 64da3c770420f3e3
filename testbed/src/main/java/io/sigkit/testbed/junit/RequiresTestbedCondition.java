package io.sigkit.testbed.junit;

import io.sigkit.testbed.Testbed;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;

/** Backs {@link RequiresTestbed} and {@link Payload}: enabled where the testbed runs, else skipped, or failed on CI. */
final class RequiresTestbedCondition implements ExecutionCondition {

    private final Supplier<String> unavailableReason;
    private final Function<String, String> environment;

    RequiresTestbedCondition() {
        this(Testbed::unavailableReason, System::getenv);
    }

    RequiresTestbedCondition(Supplier<String> unavailableReason, Function<String, String> environment) {
        this.unavailableReason = unavailableReason;
        this.environment = environment;
    }

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        String reason = unavailableReason.get();
        if (reason.isEmpty()) {
            return ConditionEvaluationResult.enabled("the testbed can run here");
        }
        if (onCi()) {
            throw new ExtensionConfigurationException("the testbed cannot run here, and CI=true forbids skipping "
                    + context.getDisplayName() + ": " + reason);
        }
        return ConditionEvaluationResult.disabled("the testbed cannot run here: " + reason
                + " (with CI=true this is a failure)");
    }

    private boolean onCi() {
        return Optional.ofNullable(environment.apply("CI")).map(value -> value.trim().equalsIgnoreCase("true"))
                .orElse(false);
    }
}
