package io.sigkit.junit;

import static org.assertj.core.api.Assertions.assertThat;

import io.sigkit.junit.fixtures.FleetTestCase;
import io.sigkit.testbed.PayloadSpec;
import io.sigkit.testbed.RunningPayload;
import io.sigkit.testbed.Testbed;
import io.sigkit.testbed.Variant;
import io.sigkit.testbed.Variants;
import io.sigkit.testbed.junit.RequiresTestbed;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.engine.TestDescriptor;
import org.junit.platform.engine.TestExecutionResult.Status;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.Event;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

/**
 * The fleet mode on real payloads: an inventory of two reference payloads, a broken variant and a port nobody answers
 * at, certified as tests from one JVM, in parallel. Each target is a container named by it; the reference's
 * requirements pass (but those needing a tier or hook not enabled), the variant fails with the requirement it breaks,
 * the closed port's container says it is unreachable, naming it. A target's own setting (the second reference's
 * selection) applies to it, and an extension setting (an exclusion) to every target.
 */
@RequiresTestbed
class FleetOnTestbedConformanceTests {

    static RunningPayload reference1;
    static RunningPayload reference2;
    static RunningPayload broken;
    static Variant variant;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        variant = Variants.named("configure-exit-1");
        reference1 = Testbed.start(PayloadSpec.reference());
        reference2 = Testbed.start(PayloadSpec.reference());
        broken = Testbed.start(variant.spec());
    }

    @AfterAll
    static void stop() {
        for (RunningPayload p : new RunningPayload[] {reference1, reference2, broken}) {
            if (p != null) {
                p.close();
            }
        }
    }

    /** A loopback port nobody listens on (bound, then released). */
    private static int closedPort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The finished tests of each container, by the container's display name. */
    private static Map<String, List<Event>> testsByContainer(EngineExecutionResults results) {
        Map<String, List<Event>> byContainer = new LinkedHashMap<>();
        for (Event e : results.testEvents().finished().list()) {
            String container = e.getTestDescriptor().getParent().map(TestDescriptor::getDisplayName).orElse("?");
            byContainer.computeIfAbsent(container, k -> new java.util.ArrayList<>()).add(e);
        }
        return byContainer;
    }

    private static List<String> names(List<Event> events, Status status) {
        return events.stream().filter(e -> Engine.status(e) == status).map(e -> e.getTestDescriptor().getDisplayName())
                .toList();
    }

    @Test
    void each_target_is_a_container_with_its_own_verdict_and_a_closed_port_is_named_unreachable() throws Exception {
        // GIVEN an inventory: two reference payloads (the second certified only on its own selection), the variant
        // whose configure exits 1 (SIG-CONF-001) and a closed port, with 3 s windows
        int port = closedPort();
        Path inventory = Files.writeString(dir.resolve("fleet.yaml"), String.format("""
                defaults:
                  windowSeconds: 3
                targets:
                  - {name: fm-ref-1, target: "%s", identity: "%s", knownHosts: "%s"}
                  - {name: fm-ref-2, target: "%s", identity: "%s", knownHosts: "%s", include: [environment, SIG-FS-001]}
                  - {name: fm-broken, target: "%s", identity: "%s", knownHosts: "%s"}
                  - {name: fm-gone, target: "ssh://sigapi@127.0.0.1:%d", identity: "%s", knownHosts: "%s",
                     connectTimeout: 5}
                """, reference1.target(), reference1.identity(), reference1.knownHosts(),
                reference2.target(), reference2.identity(), reference2.knownHosts(),
                broken.target(), broken.identity(), broken.knownHosts(),
                port, reference1.identity(), reference1.knownHosts()));
        // AND an extension setting for every target: SIG-ENV-004 is not certified
        Map<String, String> parameters = Map.of("sigkit.inventory", inventory.toString(),
                "sigkit.exclude", "SIG-ENV-004");

        // WHEN the fleet class runs
        EngineExecutionResults results = Engine.run(FleetTestCase.class, parameters);
        Map<String, List<Event>> tests = testsByContainer(results);
        String all = ReferencePayloadConformanceTests.describe(results);

        // THEN there is one container per target, in the inventory's order, named by the target
        assertThat(tests.keySet()).as(all).containsExactly("fm-ref-1", "fm-ref-2", "fm-broken", "fm-gone");
        assertThat(results.containerEvents().failed().count()).as(all).isZero();

        // AND each certified target's tests are the catalog's, named by requirement ID as in the single-payload
        // class, then the cleanup's
        for (String name : List.of("fm-ref-1", "fm-ref-2", "fm-broken")) {
            assertThat(tests.get(name)).as(name).hasSize(Results.CATALOG.requirements().size() + 1);
            assertThat(tests.get(name).get(tests.get(name).size() - 1).getTestDescriptor().getDisplayName())
                    .isEqualTo("sigkit removed everything it created on the payload");
        }

        // AND each certified target's container carries its run's report entry: its own verdict and target
        assertThat(Engine.reportEntries(results, "fm-ref-1")).containsEntry("sigkit.verdict", "INCOMPLETE")
                .containsEntry("sigkit.target", reference1.target().replaceFirst("^ssh://", ""));
        assertThat(Engine.reportEntries(results, "fm-broken")).containsEntry("sigkit.verdict", "NOT_CONFORMANT");

        // AND on the first reference every requirement passes but those that need a tier or hook not enabled here,
        // and the one the extension's setting excluded, which are aborted
        assertThat(names(tests.get("fm-ref-1"), Status.FAILED)).as(all).isEmpty();
        assertThat(names(tests.get("fm-ref-1"), Status.ABORTED)).as(all).containsExactlyInAnyOrder(
                displayName("SIG-ENV-004"), displayName("SIG-START-006"), displayName("SIG-TIME-002"),
                displayName("SIG-END-001"));
        Event excluded = find(tests.get("fm-ref-1"), displayName("SIG-ENV-004"));
        assertThat(Engine.throwable(excluded)).isInstanceOf(TestAbortedException.class)
                .hasMessageContaining("not selected for this run");

        // AND the second reference is certified on its own selection only
        assertThat(names(tests.get("fm-ref-2"), Status.FAILED)).as(all).isEmpty();
        assertThat(names(tests.get("fm-ref-2"), Status.SUCCESSFUL)).as(all).contains(displayName("SIG-ENV-002"),
                displayName("SIG-FS-001")).doesNotContain(displayName("SIG-CONF-001"), displayName("SIG-ENV-004"));

        // AND on the broken variant exactly its requirement fails, with the kit's message naming the ID
        assertThat(names(tests.get("fm-broken"), Status.FAILED)).as(all)
                .containsExactly(displayName(variant.requirement()));
        assertThat(Engine.throwable(find(tests.get("fm-broken"), displayName(variant.requirement()))))
                .isInstanceOf(AssertionFailedError.class).hasMessageStartingWith("[" + variant.requirement() + "] ");

        // AND the closed port's container is one failed test naming the target, its address and the inventory
        assertThat(tests.get("fm-gone")).hasSize(1);
        Event gone = tests.get("fm-gone").get(0);
        assertThat(gone.getTestDescriptor().getDisplayName()).isEqualTo("sigkit connects to fm-gone");
        assertThat(Engine.status(gone)).isEqualTo(Status.FAILED);
        assertThat(Engine.throwable(gone)).hasMessageStartingWith("sigkit: fm-gone (ssh://sigapi@127.0.0.1:" + port
                + ", inventory " + inventory + " /targets/3) is unreachable: ").hasMessageNotContaining("\n");
    }

    private static String displayName(String id) {
        return ReferencePayloadConformanceTests.displayName(id);
    }

    private static Event find(List<Event> events, String displayName) {
        return events.stream().filter(e -> e.getTestDescriptor().getDisplayName().equals(displayName)).findFirst()
                .orElseThrow(() -> new AssertionError("no test " + displayName));
    }
}
