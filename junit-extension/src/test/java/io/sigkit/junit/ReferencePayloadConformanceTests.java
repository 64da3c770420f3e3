package io.sigkit.junit;

import static org.assertj.core.api.Assertions.assertThat;

import io.sigkit.catalog.Level;
import io.sigkit.catalog.Requirement;
import io.sigkit.junit.fixtures.ConformanceTestCase;
import io.sigkit.run.LinkControl;
import io.sigkit.testbed.junit.Payload;
import io.sigkit.testbed.PayloadSpec;
import io.sigkit.testbed.junit.RequiresTestbed;
import io.sigkit.testbed.RunningPayload;
import io.sigkit.testbed.Testbed;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestExecutionResult.Status;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.Event;

/** The catalog as tests of a user's suite, run on the testbed's reference payload. */
@RequiresTestbed
class ReferencePayloadConformanceTests {

    private static final List<Requirement> CATALOG = Results.CATALOG.requirements();

    @AfterEach
    void noLink() {
        ConformanceTestCase.link = null;
    }

    @Test
    void every_requirement_is_its_own_passing_test_when_every_tier_and_hook_is_enabled() {
        // GIVEN the reference payload on its own link, halting on shutdown, and every tier enabled
        try (RunningPayload payload = Testbed.start(PayloadSpec.reference().withNetns().withHaltOnShutdown())) {
            Map<String, String> settings = Engine.settingsFor(payload);
            settings.put("sigkit.allowClockSet", "true");
            settings.put("sigkit.allowDestructive", "true");
            ConformanceTestCase.link = LinkControl.of(payload::linkDown, payload::linkUp);

            // WHEN the user's SignalingApiConformanceTests subclass runs
            EngineExecutionResults results = Engine.run(ConformanceTestCase.class, settings);

            // THEN each requirement is one test named by ID, level and title, and every one passes
            List<String> names = results.testEvents().started().stream()
                    .map(e -> e.getTestDescriptor().getDisplayName()).toList();
            assertThat(names).hasSize(CATALOG.size() + 1)
                    .startsWith(CATALOG.stream().map(Requirement::displayName).toArray(String[]::new))
                    .contains("SIG-CONF-002 [RECOMMENDED] configure completes within 15 seconds")
                    .endsWith("sigkit removed everything it created on the payload");
            assertThat(results.testEvents().succeeded().count()).as(describe(results)).isEqualTo(CATALOG.size() + 1);

            // AND the timings and evidence of each reached the report, and the run's verdict the factory's
            Map<String, String> conf002 = Engine.reportEntries(results,
                    "SIG-CONF-002 [RECOMMENDED] configure completes within 15 seconds");
            assertThat(conf002).containsEntry("sigkit.outcome", "PASS").containsEntry("sigkit.level", "RECOMMENDED");
            assertThat(conf002.keySet()).filteredOn(k -> k.startsWith("sigkit.timing.")).hasSizeGreaterThanOrEqualTo(3);
            assertThat(conf002.keySet()).anyMatch(k -> k.startsWith("sigkit.evidence."));
            assertThat(Engine.reportEntries(results, "Payload Signaling API v1.0 conformance (sigkit)"))
                    .containsEntry("sigkit.verdict", "CONFORMANT")
                    .containsEntry("sigkit.target", payload.user() + "@127.0.0.1:" + payload.port());

            // AND the destructive tier really shut the payload down, through the bus's command
            assertThat(payload.isRunning()).isFalse();
        }
    }

    @Test
    void tiers_and_hooks_not_enabled_are_aborted_with_how_to_enable_them(@Payload RunningPayload payload) {
        // GIVEN the reference payload and only the default settings
        // WHEN the catalog runs as tests
        EngineExecutionResults results = Engine.run(ConformanceTestCase.class, Engine.settingsFor(payload));

        // THEN nothing fails; every REQUIRED requirement passes but the shutdown and the clock setting, which are
        // aborted saying which setting enables them, as is the link-down check
        assertThat(results.testEvents().failed().count()).as(describe(results)).isZero();
        for (Requirement r : CATALOG) {
            Event finished = Engine.finished(results, r.displayName()).orElseThrow();
            if (List.of("SIG-END-001", "SIG-TIME-002", "SIG-START-006").contains(r.id())) {
                assertThat(Engine.status(finished)).as(r.id()).isEqualTo(Status.ABORTED);
            } else if (r.level() == Level.REQUIRED) {
                assertThat(Engine.status(finished)).as(r.id()).isEqualTo(Status.SUCCESSFUL);
            }
        }
        assertThat(Engine.throwable(Engine.finished(results, displayName("SIG-END-001")).orElseThrow()))
                .hasMessageEndingWith("In this JUnit suite: sigkit.allowDestructive=true.");
        assertThat(Engine.throwable(Engine.finished(results, displayName("SIG-TIME-002")).orElseThrow()))
                .hasMessageEndingWith("In this JUnit suite: sigkit.allowClockSet=true.");
        assertThat(Engine.throwable(Engine.finished(results, displayName("SIG-START-006")).orElseThrow()))
                .hasMessageContaining("override customize(RunOptions.Builder)");
        // AND the payload's clock and power were never touched
        assertThat(payload.calls()).noneMatch(call -> call.startsWith("date -s") || call.startsWith("shutdown"));
    }

    static String displayName(String id) {
        return Results.CATALOG.get(id).displayName();
    }

    /** Every test's outcome and message, for the description of a failed assertion. */
    static String describe(EngineExecutionResults results) {
        StringBuilder sb = new StringBuilder();
        results.testEvents().finished().stream().forEach(e -> sb.append(String.format("%n  %s %s%s",
                Engine.status(e), e.getTestDescriptor().getDisplayName(),
                e.getPayload(org.junit.platform.engine.TestExecutionResult.class)
                        .flatMap(org.junit.platform.engine.TestExecutionResult::getThrowable)
                        .map(t -> ": " + t.getMessage()).orElse(""))));
        return sb.toString();
    }
}
