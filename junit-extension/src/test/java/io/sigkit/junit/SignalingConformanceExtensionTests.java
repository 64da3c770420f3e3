package io.sigkit.junit;

import static org.assertj.core.api.Assertions.assertThat;

import io.sigkit.junit.fixtures.AnnotatedTargetTestCase;
import io.sigkit.junit.fixtures.ConfiguredElsewhereTestCase;
import io.sigkit.junit.fixtures.NoTargetTestCase;
import io.sigkit.junit.fixtures.SkipWhenUnreachableTestCase;
import io.sigkit.transport.TransportException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.Event;

/**
 * The extension in a real JUnit run (EngineTestKit), where no payload is needed: misconfiguration, an unreachable
 * target with and without the opt-in to skip, a target that answers but is no SSH server, and where settings come
 * from.
 */
class SignalingConformanceExtensionTests {

    @TempDir
    Path dir;

    private TestKeys keys;
    private final Map<String, String> parameters = new HashMap<>();

    @BeforeEach
    void credentials() {
        keys = TestKeys.in(dir);
        parameters.put("sigkit.identity", keys.identity().toString());
        parameters.put("sigkit.knownHosts", keys.knownHosts().toString());
    }

    /** A loopback port nobody listens on (bound, then released). */
    private static int closedPort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Event onlyFailedContainer(EngineExecutionResults results) {
        assertThat(results.testEvents().started().count()).as("tests started").isZero();
        assertThat(results.containerEvents().failed().count()).as("failed containers").isEqualTo(1);
        return results.containerEvents().failed().stream().findFirst().orElseThrow();
    }

    @Test
    void missing_target_fails_the_class_naming_the_setting() {
        // GIVEN a class whose annotation names no target, and no target anywhere else
        // WHEN it runs
        EngineExecutionResults results = Engine.run(NoTargetTestCase.class, parameters);

        // THEN the class fails with an ExtensionConfigurationException naming sigkit.target; no test runs
        Throwable failure = Engine.throwable(onlyFailedContainer(results));
        assertThat(failure).isInstanceOf(ExtensionConfigurationException.class)
                .hasMessageContaining("no payload to connect to: set sigkit.target")
                .hasMessageContaining("SIGKIT_TARGET");
    }

    @Test
    void malformed_setting_fails_the_class_naming_it() {
        parameters.put("sigkit.target", "sigkit@127.0.0.1:" + closedPort());
        parameters.put("sigkit.windowSeconds", "a minute");

        Throwable failure = Engine.throwable(onlyFailedContainer(Engine.run(ConfiguredElsewhereTestCase.class,
                parameters)));

        assertThat(failure).isInstanceOf(ExtensionConfigurationException.class)
                .hasMessage("sigkit: sigkit.windowSeconds = 'a minute' (from configuration parameter or system property"
                        + " sigkit.windowSeconds) is invalid: expected a whole number");
    }

    @Test
    void unreachable_target_fails_the_class_naming_the_address() {
        // GIVEN a target where nothing listens
        int port = closedPort();
        parameters.put("sigkit.target", "sigkit@127.0.0.1:" + port);

        // WHEN a class that did not opt in to skipping runs
        Throwable failure = Engine.throwable(onlyFailedContainer(Engine.run(ConfiguredElsewhereTestCase.class,
                parameters)));

        // THEN it fails naming the target, where the target was set, and how to skip instead
        assertThat(failure).isInstanceOfSatisfying(TransportException.class,
                        e -> assertThat(e.kind()).isEqualTo(TransportException.Kind.UNREACHABLE))
                .hasMessageStartingWith("sigkit: cannot connect to payload ssh://sigkit@127.0.0.1:" + port
                        + " (sigkit.target from configuration parameter or system property sigkit.target): cannot reach"
                        + " the payload sigkit@127.0.0.1:" + port + ": connection refused")
                .hasMessageEndingWith("set sigkit.disabledWhenUnreachable=true.");
    }

    @Test
    void unreachable_target_skips_the_class_with_the_reason_when_opted_in() {
        // GIVEN a target where nothing listens, and the annotation's disabledWhenUnreachable = true
        int port = closedPort();
        parameters.put("sigkit.target", "sigkit@127.0.0.1:" + port);

        // WHEN it runs
        EngineExecutionResults results = Engine.run(SkipWhenUnreachableTestCase.class, parameters);

        // THEN the class is skipped, not failed, and the reason names the payload and the setting
        assertThat(results.containerEvents().failed().count()).isZero();
        assertThat(results.testEvents().started().count()).isZero();
        Event skipped = results.containerEvents().skipped().stream().findFirst().orElseThrow();
        assertThat(skipped.getPayload(String.class)).hasValueSatisfying(reason -> assertThat(reason)
                .isEqualTo("sigkit: payload ssh://sigkit@127.0.0.1:" + port + " is unreachable (cannot reach"
                        + " the payload sigkit@127.0.0.1:" + port + ": connection refused) and sigkit.disabledWhenUnreachable is true"));

        // AND the configuration parameter opts in as well as the attribute does
        parameters.put("sigkit.disabledWhenUnreachable", "true");
        assertThat(Engine.run(ConfiguredElsewhereTestCase.class, parameters).containerEvents().skipped().count())
                .isEqualTo(1);
    }

    @Test
    void target_that_answers_but_is_no_ssh_server_fails_even_when_skipping_is_allowed() throws IOException {
        // GIVEN something listening that closes every connection at once
        try (ServerSocket server = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            Thread closer = new Thread(() -> {
                while (!server.isClosed()) {
                    try (Socket s = server.accept()) {
                        s.getOutputStream().write("HTTP/1.0 400 Bad Request\r\n\r\n".getBytes(
                                java.nio.charset.StandardCharsets.US_ASCII));
                    } catch (IOException e) {
                        return;
                    }
                }
            }, "not-ssh");
            closer.setDaemon(true);
            closer.start();
            parameters.put("sigkit.target", "sigkit@127.0.0.1:" + server.getLocalPort());
            parameters.put("sigkit.connectTimeoutSeconds", "5");

            // WHEN a class that opted in to skipping an unreachable payload runs
            EngineExecutionResults results = Engine.run(SkipWhenUnreachableTestCase.class, parameters);

            // THEN it fails: the payload answered, it is just not right
            Throwable failure = Engine.throwable(onlyFailedContainer(results));
            assertThat(failure).isInstanceOf(TransportException.class)
                    .hasMessageContaining("sigkit: cannot connect to payload ssh://sigkit@127.0.0.1:"
                            + server.getLocalPort())
                    .hasMessageNotContaining("disabledWhenUnreachable");
        }
    }

    @Test
    void annotation_wins_over_configuration_parameters() {
        // GIVEN a class whose annotation names 127.0.0.1:1, and another target as a configuration parameter
        parameters.put("sigkit.target", "sigkit@127.0.0.1:" + closedPort());

        // WHEN it runs
        Throwable failure = Engine.throwable(onlyFailedContainer(Engine.run(AnnotatedTargetTestCase.class,
                parameters)));

        // THEN the annotation's target is the one tried
        assertThat(failure).hasMessageStartingWith("sigkit: cannot connect to payload ssh://sigkit@127.0.0.1:1"
                + " (sigkit.target from @SignalingConformance(target) on " + AnnotatedTargetTestCase.class.getName()
                + ")");
    }

    @Test
    void junit_platform_properties_is_read_and_explicit_parameters_win_over_it() throws IOException {
        // GIVEN junit-platform.properties on the class path naming one target
        int fromFile = closedPort();
        Path classpathRoot = Files.createDirectories(dir.resolve("classpath"));
        Files.writeString(classpathRoot.resolve("junit-platform.properties"),
                "sigkit.target=file@127.0.0.1:" + fromFile + "\n");
        ClassLoader previous = Thread.currentThread().getContextClassLoader();
        try (URLClassLoader loader = new URLClassLoader(new URL[] {classpathRoot.toUri().toURL()}, previous)) {
            Thread.currentThread().setContextClassLoader(loader);

            // WHEN a class with no target of its own runs
            Throwable fileTarget = Engine.throwable(onlyFailedContainer(Engine.runAsLauncher(ConfiguredElsewhereTestCase.class,
                    parameters)));
            // AND again with a target given to the launcher
            int explicit = closedPort();
            parameters.put("sigkit.target", "launcher@127.0.0.1:" + explicit);
            Throwable launcherTarget = Engine.throwable(onlyFailedContainer(Engine.runAsLauncher(
                    ConfiguredElsewhereTestCase.class, parameters)));

            // THEN the file's target is used, and the launcher's beats it
            assertThat(fileTarget).hasMessageStartingWith("sigkit: cannot connect to payload ssh://file@127.0.0.1:"
                    + fromFile);
            assertThat(launcherTarget).hasMessageStartingWith("sigkit: cannot connect to payload"
                    + " ssh://launcher@127.0.0.1:" + explicit);
        } finally {
            Thread.currentThread().setContextClassLoader(previous);
        }
    }
}
