package io.sigkit.junit;

import static org.assertj.core.api.Assertions.assertThat;

import io.sigkit.catalog.Level;
import io.sigkit.catalog.Requirement;
import io.sigkit.junit.example.MyPayloadBusTest;
import io.sigkit.junit.example.MyPayloadConformanceTest;
import io.sigkit.testbed.junit.Payload;
import io.sigkit.testbed.junit.RequiresTestbed;
import io.sigkit.testbed.RunningPayload;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.engine.TestExecutionResult.Status;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.Event;

/**
 * The documented example ({@code io.sigkit.junit.example}, README's "Using sigkit in your JUnit suite") as a user runs
 * it: with the settings as configuration parameters, against the testbed's reference payload, and against a payload
 * that does not answer.
 */
class ExamplePayloadRunsTests {

    /** Not verifiable with the example's settings: the two opt-in tiers, and the link hook it does not set. */
    private static final List<String> NOT_ENABLED = List.of("SIG-END-001", "SIG-TIME-002", "SIG-START-006");

    @Test
    @RequiresTestbed
    void example_conformance_class_certifies_the_reference_payload(@Payload RunningPayload payload) {
        // GIVEN the reference payload, named only by the settings
        // WHEN the example SignalingApiConformanceTests subclass runs
        EngineExecutionResults results = Engine.run(MyPayloadConformanceTest.class, Engine.settingsFor(payload));

        // THEN nothing fails: every requirement its default tiers can verify passes, the others are aborted
        String outcomes = ReferencePayloadConformanceTests.describe(results);
        assertThat(results.testEvents().failed().count()).as(outcomes).isZero();
        for (Requirement r : Results.CATALOG.requirements()) {
            Event finished = Engine.finished(results, r.displayName()).orElseThrow();
            Status expected = NOT_ENABLED.contains(r.id()) ? Status.ABORTED : Status.SUCCESSFUL;
            assertThat(Engine.status(finished)).as("%s%s", r.id(), outcomes).isEqualTo(expected);
            if (r.level() == Level.REQUIRED && !NOT_ENABLED.contains(r.id())) {
                assertThat(Engine.reportEntries(results, r.displayName())).as(r.id())
                        .containsEntry("sigkit.outcome", "PASS");
            }
        }

        // AND the example's own test of the same run passed, and so did the cleanup check
        assertThat(Engine.status(Engine.finished(results, "configure_is_well_inside_its_budget(RunResult)").orElseThrow()))
                .isEqualTo(Status.SUCCESSFUL);
        assertThat(Engine.status(Engine.finished(results, "sigkit removed everything it created on the payload")
                .orElseThrow())).isEqualTo(Status.SUCCESSFUL);

        // AND its annotation and customize() hook reached the run: its windows belong to ops-team, and the mission
        // file was the one uplinked (under the kit's name prefix) and taken by payload_exec
        String conf001 = ReferencePayloadConformanceTests.displayName("SIG-CONF-001");
        assertThat(Engine.reportEntries(results, conf001).get("sigkit.evidence.command")).contains("-u ops-team -e -w");
        String conf003 = ReferencePayloadConformanceTests.displayName("SIG-CONF-003");
        assertThat(Engine.reportEntries(results, conf003).get("sigkit.evidence.uplinked"))
                .containsPattern("/signaling/inbox/ops-team/sigkit-[0-9a-f]+-1-observation-plan\\.json: no longer in the inbox");
        assertThat(Engine.reportEntries(results, "Payload Signaling API v1.0 conformance (sigkit)"))
                .containsEntry("sigkit.verdict", "INCOMPLETE");
    }

    @Test
    @RequiresTestbed
    void example_bus_tests_pass_on_the_reference_payload_and_leave_nothing(@Payload RunningPayload payload) {
        // GIVEN the reference payload
        // WHEN the example's own tests of the payload run
        EngineExecutionResults results = Engine.run(MyPayloadBusTest.class, Engine.settingsFor(payload));

        // THEN all three pass
        assertThat(results.testEvents().succeeded().count()).as(ReferencePayloadConformanceTests.describe(results))
                .isEqualTo(3);
        assertThat(results.testEvents().failed().count()).isZero();

        // AND no window config, inbox file or payload_exec of a reserved window is left
        assertThat(payload.execShell("ls /signaling/window_configs/ /signaling/inbox/").stdout())
                .doesNotContain(".json").doesNotContain("ops-team");
        assertThat(payload.execShell("for p in /proc/[0-9]*; do tr '\\000' ' ' < $p/cmdline 2>/dev/null; echo; done")
                .stdout()).doesNotContain("-w 2100");
    }

    @Test
    void example_bus_tests_are_skipped_with_the_reason_when_the_payload_does_not_answer(@TempDir Path dir) {
        // GIVEN credentials, and a target where nothing listens
        TestKeys keys = TestKeys.in(dir);
        int port = closedPort();
        Map<String, String> settings = new HashMap<>();
        settings.put("sigkit.target", "sigapi@127.0.0.1:" + port);
        settings.put("sigkit.identity", keys.identity().toString());
        settings.put("sigkit.knownHosts", keys.knownHosts().toString());

        // WHEN the example's own tests run (their class sets disabledWhenUnreachable = true)
        EngineExecutionResults results = Engine.run(MyPayloadBusTest.class, settings);

        // THEN the class is skipped with the reason, nothing fails
        assertThat(results.testEvents().started().count()).isZero();
        assertThat(results.containerEvents().failed().count()).isZero();
        Event skipped = results.containerEvents().skipped().stream().findFirst().orElseThrow();
        assertThat(skipped.getPayload(String.class)).hasValueSatisfying(reason -> assertThat(reason)
                .startsWith("sigkit: payload ssh://sigapi@127.0.0.1:" + port + " is unreachable")
                .endsWith("sigkit.disabledWhenUnreachable is true"));
    }

    /** A loopback port nobody listens on (bound, then released). */
    private static int closedPort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
