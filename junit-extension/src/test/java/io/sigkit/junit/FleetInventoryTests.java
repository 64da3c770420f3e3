package io.sigkit.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.sigkit.junit.fixtures.FleetTestCase;
import io.sigkit.schemas.SchemaId;
import io.sigkit.schemas.SchemaValidator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.engine.TestExecutionResult.Status;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.Event;
import org.opentest4j.AssertionFailedError;

/**
 * The fleet mode ({@code SignalingApiFleetConformanceTests}, {@code sigkit.inventory}) where no payload is needed:
 * inventories that are wrong fail the class with one line naming the file and where in it; a target whose settings
 * are wrong, or that nobody answers at, is one failing test in its own container and stops no other; and how the
 * inventory's settings and the extension's combine.
 */
class FleetInventoryTests {

    @TempDir
    Path dir;

    private TestKeys keys;
    private final Map<String, String> parameters = new HashMap<>();

    @BeforeEach
    void keys() {
        keys = TestKeys.in(dir);
    }

    /** A loopback port nobody listens on (bound, then released). */
    private static int closedPort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Path write(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text);
    }

    private EngineExecutionResults run(Path inventory) {
        parameters.put("sigkit.inventory", inventory.toString());
        return Engine.run(FleetTestCase.class, parameters);
    }

    /** The class failed before any test, with one line; returns it. */
    private static String classFailure(EngineExecutionResults results) {
        assertThat(results.testEvents().started().count()).as("tests started").isZero();
        List<Event> failed = results.containerEvents().failed().list();
        assertThat(failed).as("failed containers").hasSize(1);
        Throwable failure = Engine.throwable(failed.get(0));
        assertThat(failure).isInstanceOf(ExtensionConfigurationException.class);
        assertThat(failure.getMessage()).doesNotContain("\n").startsWith("sigkit: ");
        return failure.getMessage();
    }

    @Test
    void json_that_does_not_parse_fails_the_class_naming_the_file_line_and_column() throws Exception {
        // GIVEN an inventory with a missing comma on line 2
        Path inv = write("fleet.json", "{\"targets\": [\n {\"name\": \"a\" \"target\": \"ssh://u@h\"}]}\n");
        // WHEN the fleet class runs
        EngineExecutionResults results = run(inv);
        // THEN it fails before any test, naming file:line: and the setting it came from
        assertThat(classFailure(results)).contains("invalid inventory " + inv + ":2:")
                .contains("sigkit.inventory from configuration parameter or system property sigkit.inventory");
    }

    @Test
    void a_schema_error_in_yaml_names_the_file_and_the_json_pointer() throws Exception {
        // GIVEN a YAML inventory whose second target misspells a setting
        Path inv = write("fleet.yaml", """
                targets:
                  - name: fm-001
                    target: ssh://sigapi@10.0.0.2
                  - name: fm-002
                    target: ssh://sigapi@10.0.0.3
                    identty: keys/bus
                """);
        // WHEN the fleet class runs, THEN one line names the file and /targets/1/identty
        assertThat(classFailure(run(inv))).contains("invalid inventory " + inv).contains("/targets/1/identty");
    }

    @Test
    void yaml_that_does_not_parse_is_still_one_line() throws Exception {
        // GIVEN a YAML inventory with an unclosed flow mapping
        Path inv = write("fleet.yaml", "targets:\n  - {name: a, target: ssh://u@h\n");
        // WHEN the fleet class runs, THEN one line names the file and says it is not YAML
        assertThat(classFailure(run(inv))).contains("invalid inventory " + inv + ":").contains("not valid YAML");
    }

    @Test
    void a_missing_inventory_file_or_none_set_fails_the_class_saying_which() {
        // GIVEN an inventory setting naming no file, and then none at all
        Path missing = dir.resolve("nowhere.yaml");
        // WHEN the fleet class runs with each
        String noFile = classFailure(run(missing));
        parameters.remove("sigkit.inventory");
        String unset = classFailure(Engine.run(FleetTestCase.class, parameters));
        // THEN each is one line saying what is missing and how to set it
        assertThat(noFile).contains("cannot read inventory " + missing + ": no such file");
        assertThat(unset).contains("no inventory of payloads to certify: set sigkit.inventory")
                .contains("SIGKIT_INVENTORY");
    }

    @Test
    void names_that_clash_ignoring_case_or_with_a_summary_file_are_refused() throws Exception {
        // GIVEN two targets named alike but for case, and a target named like a fleet summary file
        Path dup = write("d.yaml", "targets:\n  - {name: FM-1, target: ssh://u@a}\n  - {name: fm-1, target: ssh://u@b}\n");
        Path reserved = write("r.yaml", "targets:\n  - {name: Index.html, target: ssh://u@a}\n");
        // WHEN the fleet class runs with each, THEN each is refused naming the name's pointer
        assertThat(classFailure(run(dup))).contains("/targets/1/name").contains("already the name of /targets/0");
        assertThat(classFailure(run(reserved))).contains("/targets/0/name").contains("fleet summary file");
    }

    @Test
    void a_parallel_setting_out_of_range_fails_the_class_naming_it() throws Exception {
        // GIVEN a valid inventory and sigkit.parallel=0
        Path inv = write("fleet.yaml", "targets:\n  - {name: a, target: ssh://u@h}\n");
        parameters.put("sigkit.parallel", "0");
        // WHEN the fleet class runs, THEN it fails naming the setting and its range
        assertThat(classFailure(run(inv))).contains("sigkit.parallel = '0'").contains("it must be 1 to 32");
    }

    @Test
    void a_wrong_target_and_an_unreachable_one_each_fail_their_own_container_and_stop_nothing_else() throws Exception {
        // GIVEN three targets: one whose key file does not exist, one using a setting the extension does not have,
        // and one nobody answers at
        int port = closedPort();
        Path inv = write("fleet.yaml", String.format("""
                defaults:
                  identity: %s
                  knownHosts: %s
                  connectTimeout: 5
                targets:
                  - {name: fm-nokey, target: "ssh://sigapi@127.0.0.1:%d", identity: missing-key}
                  - {name: fm-jump, target: "ssh://sigapi@127.0.0.1:%d", jump: bastion}
                  - {name: fm-gone, target: "ssh://sigapi@127.0.0.1:%d"}
                """, keys.identity(), keys.knownHosts(), port, port, port));
        // WHEN the fleet class runs
        EngineExecutionResults results = run(inv);
        // THEN there is one container per target, named by it, each finished
        for (String name : List.of("fm-nokey", "fm-jump", "fm-gone")) {
            assertThat(Engine.finished(results, name)).as(name).isPresent();
        }
        // AND each target's container holds one failed test, whose one line names the inventory, the target and why
        assertThat(results.testEvents().failed().count()).as(ReferencePayloadConformanceTests.describe(results))
                .isEqualTo(3);
        Throwable noKey = Engine.throwable(Engine.finished(results, "sigkit settings of fm-nokey").orElseThrow());
        assertThat(noKey).isInstanceOf(ExtensionConfigurationException.class)
                .hasMessageContaining("inventory " + inv + " /targets/0 (fm-nokey)")
                .hasMessageContaining("inventory " + inv + " /targets/0/identity")
                .hasMessageContaining(dir.resolve("missing-key") + " does not exist");
        Throwable jump = Engine.throwable(Engine.finished(results, "sigkit settings of fm-jump").orElseThrow());
        assertThat(jump).hasMessageContaining("inventory " + inv + " /targets/1 (fm-jump): /targets/1/jump: 'jump' is not a setting of"
                + " the JUnit extension");
        Throwable gone = Engine.throwable(Engine.finished(results, "sigkit connects to fm-gone").orElseThrow());
        assertThat(gone).isInstanceOf(AssertionFailedError.class)
                .hasMessageStartingWith("sigkit: fm-gone (ssh://sigapi@127.0.0.1:" + port + ", inventory " + inv
                        + " /targets/2) is unreachable: ")
                .hasMessageContaining("(nothing was certified)");
        for (Throwable t : List.of(noKey, jump, gone)) {
            assertThat(t.getMessage()).doesNotContain("\n");
        }
    }

    @Test
    void with_disabled_when_unreachable_an_unreachable_target_is_aborted_with_the_reason() throws Exception {
        // GIVEN a target nobody answers at, and sigkit.disabledWhenUnreachable=true from the extension's settings
        int port = closedPort();
        Path inv = write("fleet.json", String.format("""
                {"defaults": {"identity": "%s", "knownHosts": "%s"},
                 "targets": [{"name": "fm-gone", "target": "ssh://sigapi@127.0.0.1:%d"}]}
                """, keys.identity(), keys.knownHosts(), port));
        parameters.put("sigkit.disabledWhenUnreachable", "true");
        // WHEN the fleet class runs
        EngineExecutionResults results = run(inv);
        // THEN its one test is aborted, naming the target and the setting; nothing fails
        Event connects = Engine.finished(results, "sigkit connects to fm-gone").orElseThrow();
        assertThat(Engine.status(connects)).isEqualTo(Status.ABORTED);
        assertThat(Engine.throwable(connects)).hasMessageContaining("fm-gone (ssh://sigapi@127.0.0.1:" + port)
                .hasMessageEndingWith("and sigkit.disabledWhenUnreachable is true");
        assertThat(results.allEvents().failed().count()).isZero();
    }

    @Test
    void targets_are_certified_at_the_same_time_but_never_more_than_sigkit_parallel() throws Exception {
        // GIVEN four targets at a server that accepts connections and never answers (each certification waits there
        // for its 2 s connect timeout), counting how many connections it holds at once
        try (SilentServer server = new SilentServer()) {
            StringBuilder targets = new StringBuilder();
            for (int i = 1; i <= 4; i++) {
                targets.append(String.format("  - {name: fm-%d, target: \"ssh://sigapi@127.0.0.1:%d\"}%n", i,
                        server.port()));
            }
            Path inv = write("fleet.yaml", String.format("defaults: {identity: %s, knownHosts: %s, connectTimeout: 2}%n"
                    + "targets:%n%s", keys.identity(), keys.knownHosts(), targets));

            // WHEN the fleet class runs with every target at once (the default), then two at a time
            EngineExecutionResults all = run(inv);
            int allAtOnce = server.maxHeld();
            server.reset();
            parameters.put("sigkit.parallel", "2");
            EngineExecutionResults two = run(inv);

            // THEN every target's container says it is unreachable, both times
            for (EngineExecutionResults results : List.of(all, two)) {
                assertThat(results.testEvents().failed().stream().map(e -> e.getTestDescriptor().getDisplayName()))
                        .containsExactly("sigkit connects to fm-1", "sigkit connects to fm-2", "sigkit connects to fm-3",
                                "sigkit connects to fm-4");
            }
            // AND by default the four waited at the same time; with sigkit.parallel=2, never more than two did
            assertThat(allAtOnce).as("connections held at once, all targets at a time").isEqualTo(4);
            assertThat(server.maxHeld()).as("connections held at once, sigkit.parallel=2").isEqualTo(2);
        }
    }

    /** A loopback server that accepts connections, never writes, and counts how many it holds at once. */
    private static final class SilentServer implements AutoCloseable {
        private final ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        private final java.util.concurrent.atomic.AtomicInteger held = new java.util.concurrent.atomic.AtomicInteger();
        private final java.util.concurrent.atomic.AtomicInteger max = new java.util.concurrent.atomic.AtomicInteger();
        private final Thread acceptor = new Thread(this::accept, "silent-server");

        SilentServer() throws IOException {
            acceptor.setDaemon(true);
            acceptor.start();
        }

        int port() {
            return socket.getLocalPort();
        }

        int maxHeld() {
            return max.get();
        }

        /** Waits (up to 10 s) until the connections of the last run are closed, and counts afresh. */
        void reset() throws InterruptedException {
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (held.get() > 0 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(held.get()).as("connections still held by the last run").isZero();
            max.set(0);
        }

        private void accept() {
            while (!socket.isClosed()) {
                try {
                    java.net.Socket client = socket.accept();
                    max.accumulateAndGet(held.incrementAndGet(), Math::max);
                    Thread reader = new Thread(() -> {
                        try (client; java.io.InputStream in = client.getInputStream()) {
                            while (in.read() >= 0) {
                                // the client's banner and nothing more: held until the client closes
                            }
                        } catch (IOException e) {
                            // the client reset the connection: it is gone all the same
                        } finally {
                            held.decrementAndGet();
                        }
                    }, "silent-server-client");
                    reader.setDaemon(true);
                    reader.start();
                } catch (IOException e) {
                    return; // closed
                }
            }
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    @Test
    void the_targets_settings_replace_the_defaults_and_the_extensions_replace_both() throws Exception {
        // GIVEN defaults, a target that replaces some, files relative to the inventory, and extension settings
        write("params.json", "{\"mode\": \"survey\"}");
        Path inv = write("fleet.yaml", String.format("""
                defaults:
                  identity: %s
                  knownHosts: %s
                  windowSeconds: 3
                  taskingUser: ops
                  tiers: [reversible]
                targets:
                  - {name: a, target: "ssh://sigapi@10.0.0.2:2201", taskingUser: night, include: [environment],
                     taskingParameters: params.json, acceptNewHostKey: true, uplink: [plan.json]}
                  - {name: b, target: "ssh://sigapi@10.0.0.3", tiers: [reversible, destructive], repetitions: 5}
                """, keys.identity(), keys.knownHosts()));
        Map<String, Optional<String>> extension = Map.of("sigkit.windowSeconds", Optional.of("7"),
                "sigkit.target", Optional.of("ssh://other@10.9.9.9"), "sigkit.strict", Optional.of("true"));
        // WHEN the fleet's settings are resolved
        FleetSession fleet = FleetSession.of(resolver(extension, null), layer -> resolver(extension, layer));
        List<FleetSession.Member> members = fleet.members();
        // THEN each target is its own, with its own settings over the defaults, and the extension's over both
        assertThat(members).extracting(m -> m.problem()).containsOnlyNulls();
        SigkitSettings a = members.get(0).settings();
        SigkitSettings b = members.get(1).settings();
        assertThat(a.target()).isEqualTo(new io.sigkit.transport.SshTarget("sigapi", "10.0.0.2", 2201));
        assertThat(b.target()).isEqualTo(new io.sigkit.transport.SshTarget("sigapi", "10.0.0.3", 22));
        assertThat(a.targetSource()).isEqualTo("inventory " + inv + " /targets/0/target");
        assertThat(a.taskingUser()).isEqualTo("night");
        assertThat(b.taskingUser()).isEqualTo("ops");
        assertThat(a.windowLength()).contains(Duration.ofSeconds(7));
        assertThat(b.windowLength()).contains(Duration.ofSeconds(7));
        assertThat(a.strict()).isTrue();
        assertThat(a.include()).containsExactly("environment");
        assertThat(b.include()).isEmpty();
        assertThat(a.allowClockSet()).isTrue();
        assertThat(a.allowDestructive()).isFalse();
        assertThat(b.allowDestructive()).isTrue();
        assertThat(b.repetitions()).contains(5);
        assertThat(a.hostKeyPolicy()).isEqualTo(io.sigkit.transport.HostKeyPolicy.ACCEPT_NEW);
        assertThat(a.taskingParameters()).hasValueSatisfying(p -> assertThat(p.get("mode").asText()).isEqualTo("survey"));
        assertThat(a.identities()).containsExactly(keys.identity());
        assertThat(members.get(0).uplinks()).containsExactly(dir.resolve("plan.json"));
    }

    @Test
    void a_customize_hook_that_throws_for_one_target_fails_that_targets_container_only() throws Exception {
        // GIVEN two targets and a class whose customize hook throws for the first
        Path inv = write("fleet.yaml", String.format("""
                defaults: {identity: %s, knownHosts: %s}
                targets:
                  - {name: fm-bad-hook, target: "ssh://sigapi@127.0.0.1:%d"}
                  - {name: fm-other, target: "ssh://sigapi@127.0.0.1:%d"}
                """, keys.identity(), keys.knownHosts(), closedPort(), closedPort()));
        Map<String, Optional<String>> extension = Map.of("sigkit.inventory", Optional.of(inv.toString()));
        try (FleetSession fleet = FleetSession.of(resolver(extension, null), layer -> resolver(extension, layer))) {
            // WHEN its containers are made and the first one's test runs
            List<DynamicContainer> containers = fleet.containers((name, options) -> {
                if (name.equals("fm-bad-hook")) {
                    throw new IllegalArgumentException("no link hook for " + name);
                }
                return options;
            });
            List<? extends DynamicNode> bad = containers.get(0).getChildren().toList();
            // THEN it is one test that fails naming the inventory, the target and what the hook threw
            assertThat(bad).singleElement().extracting(DynamicNode::getDisplayName)
                    .isEqualTo("sigkit certifies fm-bad-hook");
            DynamicTest test = (DynamicTest) bad.get(0);
            assertThatThrownBy(() -> test.getExecutable().execute())
                    .isInstanceOf(AssertionFailedError.class)
                    .hasMessage("sigkit: inventory " + inv + " /targets/0 (fm-bad-hook): its run options are invalid:"
                            + " IllegalArgumentException: no link hook for fm-bad-hook");
            // AND the other target was certified all the same (nobody answers there: it says so)
            assertThat(containers.get(1).getChildren().map(DynamicNode::getDisplayName))
                    .containsExactly("sigkit connects to fm-other");
        }
    }

    @Test
    void every_setting_of_inventory_v1_is_taken_or_refused_by_name() {
        // GIVEN the settings inventory.v1 allows
        JsonNode schema = SchemaValidator.of(SchemaId.INVENTORY_V1).schemaDocument();
        List<String> inSchema = new ArrayList<>();
        schema.at("/$defs/settings/properties").fieldNames().forEachRemaining(inSchema::add);
        inSchema.add("target");
        // THEN the extension maps each, or refuses it by name (a target using it fails its container), or passes it
        // to the run's options
        Set<String> known = new HashSet<>(InventorySettings.SETTINGS.keySet());
        known.addAll(InventorySettings.UNSUPPORTED);
        known.addAll(InventorySettings.RUN_OPTIONS);
        assertThat(known).containsExactlyInAnyOrderElementsOf(inSchema);
    }

    /** A resolver over {@code extension} as configuration parameters, no environment, and the inventory's layer. */
    private SettingsResolver resolver(Map<String, Optional<String>> extension, InventorySettings layer) {
        parameters.clear();
        return new SettingsResolver(Optional.empty(), "FleetTestCase", k -> k.equals("sigkit.inventory")
                ? Optional.of(dir.resolve("fleet.yaml").toString()) : extension.getOrDefault(k, Optional.empty()),
                v -> null, dir, layer);
    }
}
