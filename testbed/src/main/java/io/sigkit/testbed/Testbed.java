package io.sigkit.testbed;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Starts real, isolated payloads for tests: each a real SSH server with its own /signaling, payload_exec, users and
 * sudoers, reachable only at 127.0.0.1 on a port of its own (see testbed/README.md, "Sandbox"). Needs root on Linux
 * and the apt packages the README lists; {@link #isAvailable()} says whether this host qualifies.
 *
 * <p>Every payload started here is stopped by {@link RunningPayload#close()}, or at the latest when the JVM exits
 * (a shutdown hook; if the JVM is killed, each instance notices within a second that its owner is gone and stops).
 */
public final class Testbed {

    /** Bound on one start, from launching the sandbox to the server's SSH banner. */
    public static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    /** Bound on one stop. */
    public static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

    static final String HOST = "127.0.0.1";
    static final int EXIT_PORT_IN_USE = 4;
    static final int EXIT_NAME_IN_USE = 5;

    private static final Duration CHECK_TIMEOUT = Duration.ofSeconds(30);
    private static final int START_ATTEMPTS = 5;
    /** Ports below the kernel's ephemeral range, so that no outgoing connection holds the one we pick. */
    private static final int PORT_MIN = 20000;
    private static final int PORT_MAX = 32000;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final AtomicInteger SEQUENCE = new AtomicInteger();
    private static final Set<Integer> PORTS_TAKEN = ConcurrentHashMap.newKeySet();
    private static final Set<RunningPayload> RUNNING = ConcurrentHashMap.newKeySet();
    private static String unavailableReason;

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(Testbed::stopAllAtExit, "sigkit-testbed-shutdown"));
    }

    private Testbed() {
    }

    /**
     * Starts a payload as {@code spec} says, on a free loopback port under a unique name, and returns once its SSH
     * server answers with its banner. Safe to call from several threads at once.
     *
     * @throws TestbedException when the testbed is unavailable here, or the payload did not come up within
     *                          {@link #START_TIMEOUT}; the message names the instance and says why
     */
    public static RunningPayload start(PayloadSpec spec) {
        String reason = unavailableReason();
        if (!reason.isEmpty()) {
            throw new TestbedException("the testbed cannot run here: " + reason);
        }
        RetryableStart last = null;
        for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
            String name = "sk" + ProcessHandle.current().pid() + "-" + SEQUENCE.incrementAndGet();
            int port = takePort();
            try {
                RunningPayload payload = startOnce(spec, name, port);
                RUNNING.add(payload);
                return payload;
            } catch (RetryableStart e) {
                PORTS_TAKEN.remove(port);
                last = e;
            } catch (RuntimeException | Error e) {
                PORTS_TAKEN.remove(port);
                throw e;
            }
        }
        throw new TestbedException(last.getMessage() + " (gave up after " + START_ATTEMPTS + " attempts)");
    }

    /** Whether payloads can be started here: Linux, root, the sandbox's scripts and apt packages present. */
    public static boolean isAvailable() {
        return unavailableReason().isEmpty();
    }

    /** Why payloads cannot be started here (not Linux, not root, which package is missing); empty when they can. */
    public static synchronized String unavailableReason() {
        if (unavailableReason == null) {
            unavailableReason = checkAvailability();
        }
        return unavailableReason;
    }

    /** The directory holding payload-sandbox, lib/ and payloads/ (extracted from the jar when needed). */
    public static Path home() {
        return TestbedHome.get();
    }

    /** The payload-sandbox script (run it with bash, as root). */
    public static Path sandboxScript() {
        return home().resolve(TestbedHome.SCRIPT);
    }

    private static String checkAvailability() {
        String os = System.getProperty("os.name", "?");
        if (!os.toLowerCase(Locale.ROOT).startsWith("linux")) {
            return "the testbed needs Linux (this is " + os + ")";
        }
        long uid = effectiveUid();
        if (uid != 0) {
            return "the testbed needs root (this JVM runs as uid " + uid + ")";
        }
        Path script;
        try {
            script = sandboxScript();
        } catch (TestbedException e) {
            return e.getMessage();
        }
        CommandResult check;
        try {
            check = Processes.run(List.of("bash", script.toString(), "check", "--all"), CHECK_TIMEOUT,
                    "payload-sandbox check");
        } catch (TestbedException e) {
            return e.getMessage();
        }
        if (!check.succeeded()) {
            String why = check.stderr().strip();
            return why.startsWith("payload-sandbox: ") ? why.substring("payload-sandbox: ".length()) : why;
        }
        return "";
    }

    private static long effectiveUid() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"), StandardCharsets.UTF_8)) {
                if (line.startsWith("Uid:")) {
                    return Long.parseLong(line.substring(4).trim().split("\\s+")[1]);
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }

    private static int takePort() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (int i = 0; i < 200; i++) {
            int port = random.nextInt(PORT_MIN, PORT_MAX);
            if (!PORTS_TAKEN.add(port)) {
                continue;
            }
            try (ServerSocket probe = new ServerSocket()) {
                probe.setReuseAddress(true);
                probe.bind(new InetSocketAddress(InetAddress.getByName(HOST), port));
                return port;
            } catch (IOException e) {
                PORTS_TAKEN.remove(port);
            }
        }
        throw new TestbedException("no free port on " + HOST + " between " + PORT_MIN + " and " + PORT_MAX);
    }

    static void released(RunningPayload payload) {
        RUNNING.remove(payload);
        PORTS_TAKEN.remove(payload.port());
    }

    private static RunningPayload startOnce(PayloadSpec spec, String name, int port) {
        Path script = sandboxScript();
        List<String> command = new ArrayList<>(List.of("bash", script.toString(), "up", "--foreground",
                "--owner-pid", Long.toString(ProcessHandle.current().pid()), "--name", name,
                "--port", Integer.toString(port), "--timeout", Long.toString(START_TIMEOUT.toSeconds() - 10)));
        command.addAll(spec.upOptions());
        String what = "payload-sandbox up --name " + name;
        Process keeper = Processes.start(new ProcessBuilder(command), what);
        Processes.Drain stderr = Processes.Drain.of(keeper.getErrorStream(), name + " up stderr");
        CompletableFuture<String> firstLine = new CompletableFuture<>();
        Thread reader = new Thread(() -> readFirstLine(keeper.getInputStream(), firstLine), "sigkit-testbed " + name);
        reader.setDaemon(true);
        reader.start();

        String line;
        try {
            line = firstLine.get(START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            abandon(keeper, script, name);
            throw new TestbedException("payload " + name + " (port " + port + ") did not come up within "
                    + START_TIMEOUT.toSeconds() + " s: " + Processes.abbreviate(stderr.text(Duration.ofSeconds(1))));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            abandon(keeper, script, name);
            throw new TestbedException("interrupted while starting payload " + name, e);
        } catch (ExecutionException e) {
            abandon(keeper, script, name);
            throw new TestbedException("cannot read what payload-sandbox says about " + name, e.getCause());
        }
        if (line == null || line.isBlank()) {
            int exit = exitStatus(keeper);
            String why = Processes.abbreviate(stderr.text(Duration.ofSeconds(2)));
            String message = "payload " + name + " (port " + port + ") did not start (payload-sandbox exit " + exit
                    + "): " + why;
            if (exit == EXIT_PORT_IN_USE || exit == EXIT_NAME_IN_USE) {
                throw new RetryableStart(message);
            }
            throw new TestbedException(message);
        }
        try {
            JsonNode json = JSON.readTree(line);
            return new RunningPayload(text(json, "name"), text(json, "target"), text(json, "user"),
                    LoginShell.fromOptionValue(text(json, "shell")),
                    SshServerKind.fromOptionValue(text(json, "server")), port, Path.of(text(json, "identity")),
                    Path.of(text(json, "knownHosts")), spec, keeper, script);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            abandon(keeper, script, name);
            throw new TestbedException("payload " + name + ": payload-sandbox printed '" + line
                    + "' instead of its JSON line: " + e.getMessage(), e);
        }
    }

    private static String text(JsonNode json, String field) {
        JsonNode node = json.get(field);
        if (node == null || !node.isTextual()) {
            throw new IllegalArgumentException("no text field '" + field + "'");
        }
        return node.asText();
    }

    private static void readFirstLine(InputStream in, CompletableFuture<String> firstLine) {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            firstLine.complete(reader.readLine());
            while (reader.readLine() != null) {
                // payload-sandbox prints one line; drain anything else so that it can never block on us
            }
        } catch (IOException e) {
            firstLine.complete(null);
        }
    }

    private static int exitStatus(Process process) {
        try {
            return process.waitFor(10, TimeUnit.SECONDS) ? process.exitValue() : -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** Stops a start that went wrong: the keeper tears the instance down, then `down` removes what is left. */
    private static void abandon(Process keeper, Path script, String name) {
        keeper.destroy();
        try {
            if (!keeper.waitFor(10, TimeUnit.SECONDS)) {
                keeper.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            keeper.destroyForcibly();
        }
        Processes.run(List.of("bash", script.toString(), "down", "--name", name), STOP_TIMEOUT,
                "payload-sandbox down --name " + name);
    }

    private static void stopAllAtExit() {
        for (RunningPayload payload : List.copyOf(RUNNING)) {
            try {
                payload.close();
            } catch (RuntimeException e) {
                System.err.println("sigkit testbed: at JVM exit, " + e.getMessage());
            }
        }
        try {
            TestbedHome.deleteExtractedCopy();
        } catch (RuntimeException e) {
            System.err.println("sigkit testbed: at JVM exit, " + e.getMessage());
        }
    }

    /** A start that failed only because its port or name was taken meanwhile: try again with others. */
    private static final class RetryableStart extends RuntimeException {
        RetryableStart(String message) {
            super(message, null, false, false);
        }
    }
}
