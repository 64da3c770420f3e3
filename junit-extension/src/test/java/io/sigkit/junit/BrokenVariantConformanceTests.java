package io.sigkit.junit;

import static org.assertj.core.api.Assertions.assertThat;

import io.sigkit.junit.fixtures.ConformanceTestCase;
import io.sigkit.testbed.junit.RequiresTestbed;
import io.sigkit.testbed.RunningPayload;
import io.sigkit.testbed.Testbed;
import io.sigkit.testbed.Variant;
import io.sigkit.testbed.Variants;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.platform.engine.TestExecutionResult.Status;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.Event;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

/**
 * The catalog as tests on the testbed's deliberately broken payloads: the one requirement a variant violates is the
 * one test that fails, with the kit's message; what depends on it is aborted naming it.
 */
@RequiresTestbed
class BrokenVariantConformanceTests {

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"payload-exec-not-executable", "configure-exit-1"})
    void the_violated_requirement_is_the_test_that_fails(String name) {
        // GIVEN a payload that violates exactly one REQUIRED requirement
        Variant variant = Variants.named(name);
        try (RunningPayload payload = Testbed.start(variant.spec())) {

            // WHEN the catalog runs as tests
            EngineExecutionResults results = Engine.run(ConformanceTestCase.class, Engine.settingsFor(payload));

            // THEN exactly that requirement's test fails, with the kit's message naming the ID
            List<Event> failed = results.testEvents().failed().list();
            String displayName = ReferencePayloadConformanceTests.displayName(variant.requirement());
            assertThat(failed).as(ReferencePayloadConformanceTests.describe(results))
                    .extracting(e -> e.getTestDescriptor().getDisplayName()).containsExactly(displayName);
            Throwable failure = Engine.throwable(failed.get(0));
            assertThat(failure).isInstanceOf(AssertionFailedError.class)
                    .hasMessageStartingWith("[" + variant.requirement() + "] ")
                    .hasMessageContaining("If this fails, check:");

            // AND every test blocked by it is aborted naming it; nothing else is aborted but tiers not enabled
            List<String> blocked = results.testEvents().aborted().stream()
                    .map(Engine::throwable)
                    .map(Throwable::getMessage)
                    .filter(m -> m.contains("blocked by " + variant.requirement()))
                    .toList();
            assertThat(results.testEvents().aborted().stream().map(Engine::throwable))
                    .allSatisfy(t -> assertThat(t).isInstanceOf(TestAbortedException.class))
                    .allSatisfy(t -> assertThat(t.getMessage()).containsAnyOf("blocked by", "enable with"));
            assertThat(blocked).isNotEmpty();
        }
    }

    @Test
    void recommended_miss_is_aborted_unless_strict_then_it_fails() {
        // GIVEN a payload whose payload_exec is world-writable (SIG-FS-006, RECOMMENDED)
        Variant variant = Variants.named("payload-exec-world-writable");
        try (RunningPayload payload = Testbed.start(variant.spec())) {
            Map<String, String> settings = Engine.settingsFor(payload);
            // the filesystem requirements by ID (the tag "filesystem" also selects SIG-CONF-003 and SIG-START-005, whose
            // windows need configure requirements that would then not run)
            settings.put("sigkit.include", "SIG-FS-001,SIG-FS-002,SIG-FS-003,SIG-FS-004,SIG-FS-005,SIG-FS-006");
            String displayName = ReferencePayloadConformanceTests.displayName("SIG-FS-006");

            // WHEN the filesystem requirements run as tests, by default and then with sigkit.strict
            EngineExecutionResults lenient = Engine.run(ConformanceTestCase.class, settings);
            settings.put("sigkit.strict", "true");
            EngineExecutionResults strict = Engine.run(ConformanceTestCase.class, settings);

            // THEN by default it is aborted (neither a pass nor a failure) with the kit's message, nothing fails
            Event aborted = Engine.finished(lenient, displayName).orElseThrow();
            assertThat(Engine.status(aborted)).isEqualTo(Status.ABORTED);
            assertThat(Engine.throwable(aborted)).hasMessageStartingWith("SIG-FS-006 is RECOMMENDED and not met; it"
                    + " does not fail the suite unless sigkit.strict=true. [SIG-FS-006] ");
            assertThat(lenient.testEvents().failed().count()).as(ReferencePayloadConformanceTests.describe(lenient)).isZero();
            assertThat(Engine.reportEntries(lenient, "Payload Signaling API v1.0 conformance (sigkit)"))
                    .containsEntry("sigkit.strict", "false");

            // AND under strict it is the one failure
            assertThat(strict.testEvents().failed().list()).extracting(e -> e.getTestDescriptor().getDisplayName())
                    .containsExactly(displayName);
            assertThat(Engine.throwable(Engine.finished(strict, displayName).orElseThrow()))
                    .isInstanceOf(AssertionFailedError.class).hasMessageStartingWith("[SIG-FS-006] ");
            // AND requirements not selected are aborted as not verified, saying how to select them
            assertThat(Engine.throwable(Engine.finished(strict,
                    ReferencePayloadConformanceTests.displayName("SIG-CONF-001")).orElseThrow()))
                    .hasMessageContaining("not selected for this run")
                    .hasMessageEndingWith("In this JUnit suite: sigkit.include.");
        }
    }
}
