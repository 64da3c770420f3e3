package io.sigkit.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import io.sigkit.junit.fixtures.BusParametersTestCase;
import io.sigkit.junit.fixtures.ConfiguredElsewhereTestCase;
import io.sigkit.junit.fixtures.ConformanceTestCase;
import io.sigkit.junit.fixtures.FleetTestCase;
import io.sigkit.junit.fixtures.NoTargetTestCase;
import io.sigkit.junit.fixtures.SkipWhenUnreachableTestCase;
import io.sigkit.junit.lines.LineEngine;
import io.sigkit.testbed.PayloadSpec;
import io.sigkit.testbed.junit.RequiresTestbed;
import io.sigkit.testbed.RunningPayload;
import io.sigkit.testbed.Testbed;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.InetAddress;
import java.net.MalformedURLException;
import java.net.ServerSocket;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestReporter;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The extension run under each JUnit line it supports besides the build's own: the oldest JUnit 5 (5.10) and JUnit 6.
 * The pom copies each line's jupiter and platform jars into {@code target/junit-lines/<version>/} and names those
 * directories in the system property {@value #LINES_PROPERTY}. For each line, an isolated class loader holds that
 * line's jars, the module's classes, the test fixtures and the other (non-JUnit) test dependencies, with the platform
 * class loader as parent, so the build's JUnit is invisible; that line's EngineTestKit then runs the fixture classes
 * and the outcome is read back as plain values.
 */
class JUnitLinesCompatibilityTests {

    static final String LINES_PROPERTY = "sigkit.junit.lines";

    /** The jars of one line, as the pom copies them. */
    private static final List<String> ARTIFACTS = List.of("junit-jupiter-api", "junit-jupiter-engine",
            "junit-platform-commons", "junit-platform-engine", "junit-platform-launcher", "junit-platform-testkit");

    /** Requirements certified under each line: quick ones (the bus parameters fixture starts windows), passing on the
     * reference payload. */
    private static final List<String> SELECTED = List.of("SIG-FS-001", "SIG-FS-002", "SIG-CFG-001", "SIG-CFG-002",
            "SIG-CONF-001", "SIG-CONF-002");

    private static final String FACTORY = "Payload Signaling API v1.0 conformance (sigkit)";

    /**
     * One JUnit line.
     *
     * @param version the Jupiter version, e.g. {@code 5.10.5} (the directory's name)
     * @param jars its jupiter and platform jars
     */
    record JUnitLine(String version, List<Path> jars) {
        JUnitLine {
            jars = List.copyOf(jars);
        }

        /** JUnit 5.x.y ships Platform 1.x.y; from JUnit 6 on, both have the same version. */
        String platformVersion() {
            return version.startsWith("5.") ? "1." + version.substring(2) : version;
        }

        @Override
        public String toString() {
            return version;
        }
    }

    static List<JUnitLine> lines() {
        String property = System.getProperty(LINES_PROPERTY);
        if (property == null || property.isBlank()) {
            throw new IllegalStateException("the system property " + LINES_PROPERTY + " is not set: run this test"
                    + " through Maven (junit-extension/pom.xml copies the JUnit lines and sets it)");
        }
        List<JUnitLine> lines = new ArrayList<>();
        for (String part : property.split(",")) {
            Path dir = Path.of(part.strip());
            try (Stream<Path> files = Files.list(dir)) {
                lines.add(new JUnitLine(dir.getFileName().toString(),
                        files.filter(f -> f.toString().endsWith(".jar")).sorted().toList()));
            } catch (IOException e) {
                throw new UncheckedIOException(LINES_PROPERTY + " names " + dir + ", which cannot be listed", e);
            }
        }
        return List.copyOf(lines);
    }

    @Test
    void the_build_provides_the_oldest_supported_junit5_and_junit6() {
        // GIVEN the lines the pom copied
        List<JUnitLine> lines = lines();

        // THEN they are JUnit 5.10.x and a JUnit 6, each with all six jars at its own version
        assertThat(lines).extracting(JUnitLine::version)
                .anyMatch(v -> v.startsWith("5.10."))
                .anyMatch(v -> v.startsWith("6."));
        for (JUnitLine line : lines) {
            assertThat(line.jars()).extracting(p -> p.getFileName().toString()).as("jars of JUnit %s", line)
                    .containsExactlyInAnyOrderElementsOf(ARTIFACTS.stream()
                            .map(a -> a + "-" + (a.startsWith("junit-jupiter") ? line.version() : line.platformVersion())
                                    + ".jar").toList());
        }
    }

    @ParameterizedTest(name = "JUnit {0}")
    @MethodSource("lines")
    void misconfiguration_and_an_unreachable_payload_are_reported_as_under_the_builds_junit(JUnitLine line, @TempDir Path dir,
                                                                                   TestReporter reporter) {
        try (IsolatedJUnit junit = IsolatedJUnit.of(line)) {
            // GIVEN the extension loaded with this line of JUnit, and only it
            junit.verifyLoaded(reporter);
            TestKeys keys = TestKeys.in(dir);
            Map<String, String> parameters = new HashMap<>();
            parameters.put("sigkit.identity", keys.identity().toString());
            parameters.put("sigkit.knownHosts", keys.knownHosts().toString());

            // WHEN a class naming no target runs
            List<Map<String, String>> noTarget = junit.run(NoTargetTestCase.class, parameters);

            // THEN it fails with JUnit's ExtensionConfigurationException naming the setting, and no test starts
            assertThat(events(noTarget, "STARTED", "test")).isEmpty();
            assertThat(events(noTarget, "FINISHED", "container")).filteredOn(e -> "FAILED".equals(e.get("status")))
                    .singleElement().satisfies(e -> {
                        assertThat(e).containsEntry("throwable",
                                "org.junit.jupiter.api.extension.ExtensionConfigurationException");
                        assertThat(e.get("message")).contains("no payload to connect to: set sigkit.target")
                                .contains("SIGKIT_TARGET");
                    });

            // WHEN a payload that does not answer is named, by a class that did not opt in to skipping
            int port = closedPort();
            parameters.put("sigkit.target", "sigkit@127.0.0.1:" + port);
            List<Map<String, String>> unreachable = junit.run(ConfiguredElsewhereTestCase.class, parameters);

            // THEN the class fails naming the address
            assertThat(events(unreachable, "FINISHED", "container")).filteredOn(e -> "FAILED".equals(e.get("status")))
                    .as(describe(unreachable)).singleElement().satisfies(e -> assertThat(e.get("message"))
                            .startsWith("sigkit: cannot connect to payload ssh://sigkit@127.0.0.1:" + port));

            // AND a class that opted in is skipped with the reason
            List<Map<String, String>> skipped = junit.run(SkipWhenUnreachableTestCase.class, parameters);
            assertThat(events(skipped, "FINISHED", "container")).noneMatch(e -> "FAILED".equals(e.get("status")));
            assertThat(events(skipped, "SKIPPED", "container")).singleElement()
                    .satisfies(e -> assertThat(e.get("reason")).isEqualTo("sigkit: payload ssh://sigkit@127.0.0.1:"
                            + port + " is unreachable (cannot reach the payload sigkit@127.0.0.1:" + port + ": connection refused) and"
                            + " sigkit.disabledWhenUnreachable is true"));

            // AND a fleet class makes a container per target of its inventory, whose one test says it is unreachable
            Path inventory = writeInventory(dir.resolve("fleet.yaml"), String.format("defaults: {identity: '%s',"
                    + " knownHosts: '%s'}%ntargets:%n  - {name: fm-gone, target: 'ssh://sigapi@127.0.0.1:%d'}%n",
                    keys.identity(), keys.knownHosts(), port));
            List<Map<String, String>> fleet = junit.run(FleetTestCase.class, Map.of("sigkit.inventory",
                    inventory.toString()));
            assertThat(events(fleet, "FINISHED", "container")).as(describe(fleet))
                    .anySatisfy(e -> assertThat(e).containsEntry("name", "fm-gone").containsEntry("status", "SUCCESSFUL"));
            assertThat(events(fleet, "FINISHED", "test")).as(describe(fleet)).singleElement().satisfies(e -> {
                assertThat(e).containsEntry("name", "sigkit connects to fm-gone").containsEntry("status", "FAILED");
                assertThat(e.get("message")).startsWith("sigkit: fm-gone (ssh://sigapi@127.0.0.1:" + port)
                        .contains("is unreachable");
            });
        }
    }

    private static Path writeInventory(Path file, String text) {
        try {
            return Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @ParameterizedTest(name = "JUnit {0}")
    @MethodSource("lines")
    @RequiresTestbed
    void catalog_and_bus_parameters_work_on_the_reference_payload(JUnitLine line, TestReporter reporter)
            throws ReflectiveOperationException {
        try (IsolatedJUnit junit = IsolatedJUnit.of(line);
             RunningPayload payload = Testbed.start(PayloadSpec.reference())) {
            // GIVEN the extension loaded with this line of JUnit, and the reference payload
            junit.verifyLoaded(reporter);
            Map<String, String> settings = Engine.settingsFor(payload);
            settings.put("sigkit.include", String.join(",", SELECTED));

            // WHEN a SignalingApiConformanceTests subclass certifies some requirements
            List<Map<String, String>> catalog = junit.run(ConformanceTestCase.class, settings);

            // THEN each requirement is its own test: the selected ones pass, the others are aborted saying so
            List<Map<String, String>> finished = events(catalog, "FINISHED", "test");
            assertThat(finished).as(describe(finished)).hasSize(Results.CATALOG.requirements().size() + 1)
                    .noneMatch(e -> "FAILED".equals(e.get("status")));
            for (String id : SELECTED) {
                assertThat(finished).as(describe(finished))
                        .anySatisfy(e -> assertThat(e).containsEntry("name", Results.CATALOG.get(id).displayName())
                                .containsEntry("status", "SUCCESSFUL"));
            }
            assertThat(finished).filteredOn(e -> e.get("name").startsWith("SIG-END-001 "))
                    .singleElement().satisfies(e -> assertThat(e).containsEntry("status", "ABORTED")
                            .containsEntry("throwable", "org.opentest4j.TestAbortedException"))
                    .satisfies(e -> assertThat(e.get("message")).contains("not selected for this run"));
            assertThat(finished).filteredOn(e -> e.get("name").equals("sigkit removed everything it created on the payload"))
                    .singleElement().satisfies(e -> assertThat(e).containsEntry("status", "SUCCESSFUL"));

            // AND the run's verdict and the requirement's timings reach the report entries
            assertThat(events(catalog, "REPORTING_ENTRY_PUBLISHED", "container"))
                    .anySatisfy(e -> assertThat(e).containsEntry("name", FACTORY)
                            .containsEntry("entry.sigkit.verdict", "INCOMPLETE"));
            assertThat(events(catalog, "REPORTING_ENTRY_PUBLISHED", "test"))
                    .filteredOn(e -> e.get("name").equals(Results.CATALOG.get("SIG-CONF-002").displayName()))
                    .anySatisfy(e -> assertThat(e.keySet()).anyMatch(k -> k.startsWith("entry.sigkit.timing.")));

            // WHEN a user's own tests drive the bus through injected parameters
            List<Map<String, String>> bus = junit.run(BusParametersTestCase.class, Engine.settingsFor(payload));

            // THEN all of them pass
            List<Map<String, String>> busTests = events(bus, "FINISHED", "test");
            assertThat(busTests).as(describe(busTests)).hasSize(4)
                    .allSatisfy(e -> assertThat(e).containsEntry("status", "SUCCESSFUL"));

            // AND this line of JUnit closed the class's shared connection with the class's Store
            Class<?> fixture = junit.load(BusParametersTestCase.class.getName());
            List<?> connections = (List<?>) fixture.getField("CONNECTIONS").get(null);
            assertThat(connections).hasSize(3).allSatisfy(c -> assertThat(c).isSameAs(connections.get(0)));
            Object connection = connections.get(0);
            Method exec = connection.getClass().getMethod("exec", String.class, Duration.class);
            assertThatThrownBy(() -> exec.invoke(connection, "true", Duration.ofSeconds(5)))
                    .isInstanceOf(InvocationTargetException.class).cause()
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("is closed");

            // AND closed each test's bus scope: no window config and no payload_exec of those windows is left
            List<?> windows = (List<?>) fixture.getField("WINDOWS").get(null);
            assertThat(windows).hasSize(3);
            for (Object window : windows) {
                long id = (long) window.getClass().getMethod("id").invoke(window);
                assertThat(payload.execShell("test -e /signaling/window_configs/" + id + ".json").exitStatus())
                        .as("config of window %d", id).isNotZero();
                assertThat(BusParametersTests.payloadExecOf(payload, id)).as("payload_exec of window %d", id).isEmpty();
            }
        }
    }

    private static List<Map<String, String>> events(List<Map<String, String>> events, String type, String kind) {
        return events.stream().filter(e -> type.equals(e.get("type")) && kind.equals(e.get("kind"))).toList();
    }

    private static String describe(List<Map<String, String>> events) {
        return events.stream().filter(e -> "FINISHED".equals(e.get("type"))).map(e -> e.get("status") + " " + e.get("name")
                        + (e.containsKey("trace") ? ": " + e.get("trace") : ""))
                .collect(Collectors.joining(String.format("%n  "), String.format("%n  "), ""));
    }

    /** A loopback port nobody listens on (bound, then released). */
    private static int closedPort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A class loader holding one JUnit line and everything else the tests need, but not the build's JUnit: the line's
     * jars first, then the test class path without any {@code junit-*} jar (opentest4j and apiguardian, shared by the
     * lines, stay) and without BouncyCastle, which comes from the build's class loader (see
     * {@link BouncyCastleFromBuild}); above that only the platform class loader.
     */
    private static final class IsolatedJUnit implements AutoCloseable {

        private static final Pattern BUILD_JUNIT = Pattern.compile("junit-[a-z-]+-[0-9][^/]*\\.jar");
        private static final Pattern BOUNCY_CASTLE = Pattern.compile("bc[a-z]+-jdk[0-9a-z]+-[0-9][^/]*\\.jar");
        private static final ClassLoader SHARED = new BouncyCastleFromBuild(IsolatedJUnit.class.getClassLoader());

        private final JUnitLine line;
        private final URLClassLoader loader;

        private IsolatedJUnit(JUnitLine line, URLClassLoader loader) {
            this.line = line;
            this.loader = loader;
        }

        static IsolatedJUnit of(JUnitLine line) {
            List<URL> urls = new ArrayList<>();
            try {
                for (Path jar : line.jars()) {
                    urls.add(jar.toUri().toURL());
                }
                String classPath = System.getProperty("surefire.test.class.path",
                        System.getProperty("java.class.path"));
                for (String entry : classPath.split(File.pathSeparator)) {
                    Path path = Path.of(entry);
                    String name = path.getFileName().toString();
                    if (!entry.isBlank() && !BUILD_JUNIT.matcher(name).matches()
                            && !BOUNCY_CASTLE.matcher(name).matches()) {
                        urls.add(path.toUri().toURL());
                    }
                }
            } catch (MalformedURLException e) {
                throw new IllegalStateException(e);
            }
            return new IsolatedJUnit(line, new URLClassLoader("junit-" + line.version(), urls.toArray(URL[]::new),
                    SHARED));
        }

        Class<?> load(String name) throws ClassNotFoundException {
            return Class.forName(name, false, loader);
        }

        /**
         * Verifies that JUnit's classes come from this line's jars at this line's version, that the build's JUnit is
         * not visible, and that the extension is linked against this line; publishes the versions seen.
         */
        void verifyLoaded(TestReporter reporter) {
            Map<String, String> seen = new HashMap<>();
            try {
                for (String name : List.of("org.junit.jupiter.api.Test", "org.junit.jupiter.engine.JupiterTestEngine")) {
                    seen.put(name, verifyFromLine(load(name), line.version()));
                }
                for (String name : List.of("org.junit.platform.commons.support.AnnotationSupport",
                        "org.junit.platform.engine.TestEngine", "org.junit.platform.launcher.Launcher",
                        "org.junit.platform.testkit.engine.EngineTestKit")) {
                    seen.put(name, verifyFromLine(load(name), line.platformVersion()));
                }
                assertThat(load("org.junit.jupiter.api.Test")).isNotSameAs(Test.class);
                assertThat(load("org.bouncycastle.jce.provider.BouncyCastleProvider").getClassLoader())
                        .isSameAs(IsolatedJUnit.class.getClassLoader());
                assertThatThrownBy(() -> load(ParameterizedTest.class.getName()))
                        .as("the build's junit-jupiter-params must not be visible under JUnit %s", line)
                        .isInstanceOf(ClassNotFoundException.class);

                Class<?> annotation = load(SignalingConformance.class.getName());
                assertThat(annotation.getClassLoader()).isSameAs(loader);
                Class<?> extendWith = load("org.junit.jupiter.api.extension.ExtendWith");
                assertThat(annotation.getAnnotations()).extracting(a -> (Object) a.annotationType())
                        .contains(extendWith);
                assertThat(load(LineEngine.class.getName()).getClassLoader()).isSameAs(loader);
            } catch (ClassNotFoundException e) {
                throw new AssertionError("JUnit " + line + ": " + e.getMessage() + " is not in " + line.jars(), e);
            }
            reporter.publishEntry(Map.of("junit.line", line.version(),
                    "junit.platform", seen.get("org.junit.platform.launcher.Launcher"),
                    "java.version", Runtime.version().toString(),
                    "junit.jupiter.engine.classFileVersion", classFileVersion("org.junit.jupiter.engine.JupiterTestEngine")));
        }

        private String verifyFromLine(Class<?> type, String version) {
            assertThat(type.getClassLoader()).as(type.getName()).isSameAs(loader);
            String implementationVersion = type.getPackage().getImplementationVersion();
            assertThat(implementationVersion).as("Implementation-Version of %s under JUnit %s", type.getName(), line)
                    .isEqualTo(version);
            Path from = codeSource(type);
            assertThat(line.jars()).as("where %s came from", type.getName()).contains(from);
            return implementationVersion;
        }

        private static Path codeSource(Class<?> type) {
            try {
                return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
            } catch (URISyntaxException e) {
                throw new IllegalStateException(e);
            }
        }

        /** The class file's major version (61: Java 17), from the line's own jar. */
        private String classFileVersion(String className) {
            try (InputStream in = loader.getResourceAsStream(className.replace('.', '/') + ".class")) {
                if (in == null) {
                    fail("no class file for " + className + " under JUnit " + line);
                }
                byte[] header = in.readNBytes(8);
                return Integer.toString(((header[6] & 0xff) << 8) | (header[7] & 0xff));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** Runs a fixture class with this line's EngineTestKit (see {@link LineEngine#run}). */
        List<Map<String, String>> run(Class<?> fixture, Map<String, String> parameters) {
            Thread thread = Thread.currentThread();
            ClassLoader previous = thread.getContextClassLoader();
            // the testkit finds the Jupiter engine through the context class loader (ServiceLoader)
            thread.setContextClassLoader(loader);
            try {
                Object events = load(LineEngine.class.getName()).getMethod("run", String.class, Map.class)
                        .invoke(null, fixture.getName(), Map.copyOf(parameters));
                List<Map<String, String>> copy = new ArrayList<>();
                for (Object event : (List<?>) events) {
                    Map<String, String> e = new HashMap<>();
                    ((Map<?, ?>) event).forEach((k, v) -> e.put((String) k, (String) v));
                    copy.add(Map.copyOf(e));
                }
                return List.copyOf(copy);
            } catch (InvocationTargetException e) {
                throw new AssertionError("running " + fixture.getSimpleName() + " under JUnit " + line + " threw "
                        + e.getCause(), e.getCause());
            } catch (ReflectiveOperationException e) {
                throw new AssertionError("cannot run " + fixture.getSimpleName() + " under JUnit " + line, e);
            } finally {
                thread.setContextClassLoader(previous);
            }
        }

        @Override
        public void close() {
            try {
                loader.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /**
     * Gives the isolated class loaders the build's BouncyCastle and nothing else. MINA SSHD registers BouncyCastle as a
     * JVM-wide security provider the first time any copy of it needs one; with a copy per class loader, a later copy
     * would get the provider of an earlier one (by then closed, or of another loader, whose key specs its own classes
     * do not match), and parsing a key fails. One BouncyCastle for the whole JVM avoids that; it does not touch JUnit.
     */
    private static final class BouncyCastleFromBuild extends ClassLoader {

        static {
            registerAsParallelCapable();
        }

        private final ClassLoader build;

        BouncyCastleFromBuild(ClassLoader build) {
            super("bouncycastle-from-build", ClassLoader.getPlatformClassLoader());
            this.build = build;
        }

        @Override
        protected Class<?> findClass(String name) throws ClassNotFoundException {
            if (name.startsWith("org.bouncycastle.")) {
                return build.loadClass(name);
            }
            throw new ClassNotFoundException(name);
        }

        @Override
        protected URL findResource(String name) {
            return name.startsWith("org/bouncycastle/") ? build.getResource(name) : null;
        }

        @Override
        protected Enumeration<URL> findResources(String name) throws IOException {
            return name.startsWith("org/bouncycastle/") ? build.getResources(name) : Collections.emptyEnumeration();
        }
    }
}
