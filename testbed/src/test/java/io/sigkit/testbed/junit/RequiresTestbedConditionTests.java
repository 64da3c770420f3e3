package io.sigkit.testbed.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Proxy;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;

/** Skipped with the reason on a laptop, failed on CI, run where the testbed works. */
class RequiresTestbedConditionTests {

    private static final ExtensionContext CONTEXT = (ExtensionContext) Proxy.newProxyInstance(
            ExtensionContext.class.getClassLoader(), new Class<?>[] {ExtensionContext.class},
            (proxy, method, args) -> method.getName().equals("getDisplayName") ? "someTest()" : null);

    @Test
    void where_the_testbed_runs_tests_run() {
        RequiresTestbedCondition condition = new RequiresTestbedCondition(() -> "", Map.of("CI", "true")::get);

        assertThat(condition.evaluateExecutionCondition(CONTEXT).isDisabled()).isFalse();
    }

    @Test
    void on_a_developers_machine_they_are_skipped_with_the_reason() {
        RequiresTestbedCondition condition = new RequiresTestbedCondition(
                () -> "the testbed needs root (this JVM runs as uid 1000)", Map.<String, String>of()::get);

        ConditionEvaluationResult result = condition.evaluateExecutionCondition(CONTEXT);

        assertThat(result.isDisabled()).isTrue();
        assertThat(result.getReason()).hasValueSatisfying(reason -> assertThat(reason)
                .contains("needs root (this JVM runs as uid 1000)").contains("CI=true"));
    }

    @Test
    void on_ci_they_fail_with_the_reason() {
        RequiresTestbedCondition condition = new RequiresTestbedCondition(
                () -> "missing dropbear: install the apt package(s) dropbear-bin", Map.of("CI", "true")::get);

        assertThatThrownBy(() -> condition.evaluateExecutionCondition(CONTEXT))
                .isInstanceOf(ExtensionConfigurationException.class)
                .hasMessageContaining("CI=true").hasMessageContaining("someTest()")
                .hasMessageContaining("dropbear-bin");
    }

    @Test
    void ci_must_say_true_to_fail() {
        RequiresTestbedCondition condition = new RequiresTestbedCondition(() -> "not Linux", Map.of("CI", "0")::get);

        assertThat(condition.evaluateExecutionCondition(CONTEXT).isDisabled()).isTrue();
    }
}
