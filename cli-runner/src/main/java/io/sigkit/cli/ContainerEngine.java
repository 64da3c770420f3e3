package io.sigkit.cli;

import io.sigkit.testcontainers.PodmanService;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Finds the container engine for {@code --image} as Testcontainers does: {@code DOCKER_HOST}, else the usual sockets
 * (Docker's, then Podman's); when only the {@code podman} command is installed, starts Podman's API service on a
 * socket of this run's own, stopped by {@link Located#close()}.
 */
final class ContainerEngine {

    /** The engine {@code --engine} asks for. */
    enum Kind { DOCKER, PODMAN }

    /** Where the engine answers, and the service started for this run, if any. */
    record Located(String dockerHost, PodmanService started) implements AutoCloseable {
        @Override
        public void close() {
            if (started != null) {
                started.close();
            }
        }
    }

    static final Duration SERVICE_START_BOUND = Duration.ofSeconds(30);

    private final Function<String, String> environment;

    ContainerEngine(Function<String, String> environment) {
        this.environment = environment;
    }

    /** The sockets to try, in Testcontainers' order, for the engine asked for ({@code null}: any). */
    List<Path> sockets(Kind kind) {
        List<Path> sockets = new ArrayList<>();
        if (kind != Kind.PODMAN) {
            sockets.add(Path.of("/var/run/docker.sock"));
            String home = environment.apply("HOME");
            if (home != null && !home.isBlank()) {
                sockets.add(Path.of(home, ".docker/run/docker.sock"));
            }
        }
        if (kind != Kind.DOCKER) {
            sockets.add(Path.of("/run/podman/podman.sock"));
            String runtime = environment.apply("XDG_RUNTIME_DIR");
            if (runtime != null && !runtime.isBlank()) {
                sockets.add(Path.of(runtime, "podman/podman.sock"));
            }
        }
        return sockets;
    }

    /**
     * The engine to use, started if need be.
     *
     * @throws CliError naming what was tried when no engine can be found
     */
    Located locate(Kind kind, Consumer<String> say) {
        String dockerHost = environment.apply("DOCKER_HOST");
        if (dockerHost != null && !dockerHost.isBlank()) {
            return new Located(dockerHost.strip(), null);
        }
        List<Path> tried = sockets(kind);
        for (Path socket : tried) {
            if (PodmanService.answers(socket)) {
                return new Located("unix://" + socket, null);
            }
        }
        if (kind != Kind.DOCKER && PodmanService.podmanInstalled()) {
            Path socket = ownSocket();
            say.accept("starting podman's API service for this run (podman system service, socket " + socket + ")");
            try {
                PodmanService service = PodmanService.start(socket, SERVICE_START_BOUND);
                return new Located(service.dockerHost(), service);
            } catch (IllegalStateException | java.io.UncheckedIOException e) {
                throw new CliError(ExitCodes.USAGE, "--image: " + e.getMessage());
            }
        }
        throw CliError.usage("--image: no container engine answers (DOCKER_HOST is not set; tried "
                + String.join(", ", tried.stream().map(Path::toString).toList())
                + (kind == Kind.DOCKER ? "" : "; no podman command on the PATH")
                + "): install Docker Engine or Podman (apt-get install podman runc slirp4netns uidmap),"
                + " or set DOCKER_HOST");
    }

    private Path ownSocket() {
        String runtime = environment.apply("XDG_RUNTIME_DIR");
        Path dir = runtime != null && !runtime.isBlank() && Files.isDirectory(Path.of(runtime))
                ? Path.of(runtime) : Path.of(System.getProperty("java.io.tmpdir"));
        return dir.resolve("sigkit-podman-" + ProcessHandle.current().pid() + ".sock");
    }

    /** {@code --engine}'s value, if given. */
    static Optional<Kind> kind(String value) {
        return Optional.ofNullable(value).map(v -> switch (v.toLowerCase(java.util.Locale.ROOT)) {
            case "docker" -> Kind.DOCKER;
            case "podman" -> Kind.PODMAN;
            default -> throw CliError.usage("--engine must be docker or podman, was '" + v + "'");
        });
    }
}
