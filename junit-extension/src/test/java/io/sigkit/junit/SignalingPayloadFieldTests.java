package io.sigkit.junit;

import static org.assertj.core.api.Assertions.assertThat;

import io.sigkit.junit.fixtures.PayloadFieldTestCases;
import io.sigkit.testbed.junit.RequiresTestbed;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.platform.testkit.engine.EngineExecutionResults;

/** A payload declared in a {@link SignalingPayload} field: started and stopped with its class; misuse named. */
class SignalingPayloadFieldTests {

    @Test
    @RequiresTestbed
    void the_field_is_started_before_the_first_test_connected_to_and_stopped_after_the_last() {
        // GIVEN a class with a @SignalingPayload field and no target, key or known_hosts setting anywhere
        PayloadFieldTestCases.Declared.payload.events.clear();
        PayloadFieldTestCases.Declared.connectedTo.clear();

        // WHEN it runs
        EngineExecutionResults results = Engine.run(PayloadFieldTestCases.Declared.class, Map.of());

        // THEN its test passed, connected to the field's payload, which was started once and stopped once
        assertThat(results.testEvents().succeeded().count()).as("%s", results.allEvents().failed().list()).isEqualTo(1);
        assertThat(PayloadFieldTestCases.Declared.payload.events).containsExactly("start", "stop");
        assertThat(PayloadFieldTestCases.Declared.connectedTo).singleElement().satisfies(address ->
                assertThat(PayloadFieldTestCases.Declared.payload.target()).endsWith(address));
    }

    @Test
    void a_field_that_is_not_static_fails_the_class_naming_it() {
        assertThat(classFailure(PayloadFieldTestCases.NotStatic.class))
                .hasMessageContaining("@SignalingPayload field NotStatic.payload must be static");
    }

    @Test
    void a_field_of_another_type_fails_the_class_naming_the_type() {
        assertThat(classFailure(PayloadFieldTestCases.WrongType.class))
                .hasMessageContaining("@SignalingPayload field WrongType.payload is a java.lang.String, not a "
                        + "io.sigkit.junit.PayloadUnderTest");
    }

    @Test
    void a_null_field_fails_the_class() {
        assertThat(classFailure(PayloadFieldTestCases.Null.class))
                .hasMessageContaining("@SignalingPayload field Null.payload is null");
    }

    private static Throwable classFailure(Class<?> testClass) {
        // GIVEN a wrongly declared @SignalingPayload field; WHEN its class runs
        EngineExecutionResults results = Engine.run(testClass, Map.of());
        // THEN no test starts and the class fails with an ExtensionConfigurationException
        assertThat(results.testEvents().started().count()).as("tests started").isZero();
        assertThat(results.containerEvents().failed().count()).as("failed containers").isEqualTo(1);
        Throwable failure = Engine.throwable(results.containerEvents().failed().stream().findFirst().orElseThrow());
        assertThat(failure).isInstanceOf(ExtensionConfigurationException.class);
        return failure;
    }
}
