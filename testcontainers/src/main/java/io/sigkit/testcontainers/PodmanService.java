package io.sigkit.testcontainers;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * Podman's Docker API service ({@code podman system service}), started for one run and stopped after it, for
 * machines where only the {@code podman} command is installed. Listens on a socket of its own (never the system's
 * {@code /run/podman/podman.sock}), with sigkit's containers.conf (runc, rlimits, slirp4netns) unless
 * {@code CONTAINERS_CONF} is set; nothing on the host is changed.
 */
public final class PodmanService implements AutoCloseable {

    private static final Duration STOP_BOUND = Duration.ofSeconds(10);

    private final Process process;
    private final Path socket;
    private final Path conf;

    private PodmanService(Process process, Path socket, Path conf) {
        this.process = process;
        this.socket = socket;
        this.conf = conf;
    }

    /** Whether a {@code podman} command is on the PATH. */
    public static boolean podmanInstalled() {
        return onPath("podman");
    }

    private static boolean onPath(String command) {
        String path = Objects.requireNonNullElse(System.getenv("PATH"), "/usr/bin:/bin");
        for (String dir : path.split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, command))) {
                return true;
            }
        }
        return false;
    }

    /** Whether something answers Docker API pings at this unix socket. */
    public static boolean answers(Path socket) {
        if (!Files.exists(socket)) {
            return false;
        }
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(socket));
            ch.write(ByteBuffer.wrap("GET /_ping HTTP/1.0\r\nHost: engine\r\n\r\n".getBytes(StandardCharsets.US_ASCII)));
            ch.configureBlocking(false);
            ByteBuffer buf = ByteBuffer.allocate(64);
            Instant deadline = Instant.now().plusSeconds(2);
            while (buf.position() < 12 && Instant.now().isBefore(deadline)) {
                if (ch.read(buf) < 0) {
                    break;
                }
                Thread.sleep(5);
            }
            return new String(buf.array(), 0, buf.position(), StandardCharsets.US_ASCII).matches("(?s)HTTP/1\\.[01] 200.*");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /**
     * Starts the service on {@code socket} and waits until it answers.
     *
     * @throws IllegalStateException naming the cause when it does not answer within {@code timeout}
     */
    public static PodmanService start(Path socket, Duration timeout) {
        Path conf = null;
        try {
            Files.deleteIfExists(socket);
            List<String> cmd = new ArrayList<>();
            if (onPath("setsid")) {
                // a session of its own: a Ctrl-C on the terminal must not end the service before the containers
                // it serves are removed (its owner stops it afterwards)
                cmd.add("setsid");
            }
            cmd.addAll(List.of("podman", "system", "service", "--time=0", "unix://" + socket.toAbsolutePath()));
            ProcessBuilder pb = new ProcessBuilder(cmd);
            if (System.getenv("CONTAINERS_CONF") == null) {
                conf = Files.createTempFile("sigkit-containers-", ".conf");
                try (InputStream in = PodmanService.class.getResourceAsStream("lab/containers.conf")) {
                    Files.write(conf, Objects.requireNonNull(in, "lab/containers.conf resource").readAllBytes());
                }
                pb.environment().put("CONTAINERS_CONF", conf.toString());
            }
            Path log = Files.createTempFile("sigkit-podman-service-", ".log");
            pb.redirectErrorStream(true).redirectOutput(log.toFile());
            Process p = pb.start();
            PodmanService service = new PodmanService(p, socket, conf);
            Instant deadline = Instant.now().plus(timeout);
            while (Instant.now().isBefore(deadline)) {
                if (answers(socket)) {
                    Files.deleteIfExists(log);
                    return service;
                }
                if (!p.isAlive()) {
                    break;
                }
                Thread.sleep(50);
            }
            String out = Files.readString(log, StandardCharsets.UTF_8).strip();
            service.close();
            Files.deleteIfExists(log);
            throw new IllegalStateException("podman system service did not answer at " + socket + " within "
                    + timeout.toSeconds() + " s" + (out.isEmpty() ? "" : ": " + out.lines().reduce((a, b) -> b).orElse("")));
        } catch (IOException e) {
            deleteQuietly(conf);
            throw new UncheckedIOException("cannot start podman system service: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting podman system service", e);
        }
    }

    /** The service's socket, as DOCKER_HOST takes it: {@code unix:///...}. */
    public String dockerHost() {
        return "unix://" + socket.toAbsolutePath();
    }

    /** The process ID of the service. */
    public long pid() {
        return process.pid();
    }

    /** Stops the service (SIGTERM, then SIGKILL after 10 s) and removes its socket. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(STOP_BOUND.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                process.waitFor(STOP_BOUND.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        deleteQuietly(socket);
        deleteQuietly(conf);
    }

    private static void deleteQuietly(Path p) {
        if (p == null) {
            return;
        }
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            // a leftover temporary file, nothing more
        }
    }
}
