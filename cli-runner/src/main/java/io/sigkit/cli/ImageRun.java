package io.sigkit.cli;

import com.github.dockerjava.api.exception.NotFoundException;
import io.sigkit.run.RunOptions;
import io.sigkit.testcontainers.SignalingPayloadContainer;
import io.sigkit.transport.ConnectionSettings;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.ToIntFunction;
import org.testcontainers.DockerClientFactory;

/**
 * Certifies a container of an image ({@code certify --image}, {@code demo --engine}): starts it with
 * {@link SignalingPayloadContainer}, certifies it, and removes it, also on failure and Ctrl-C.
 *
 * <p>Testcontainers reads two settings only from the environment: {@code TESTCONTAINERS_RYUK_DISABLED} (its reaper
 * container would be pulled from a registry) and, for an engine found or started here, {@code DOCKER_HOST}. Unless
 * both are already set, the run continues in a child JVM with them set (the same class path and arguments), and this
 * JVM waits for it, passes on its exit code, and stops the Podman service it may have started.
 */
final class ImageRun {

    /** Set in the child JVM's environment: the run happens there. */
    static final String CHILD = "SIGKIT_IMAGE_RUN";
    private static final Duration CHILD_STOP_BOUND = Duration.ofSeconds(60);

    /** What to start: the image and what the lab adds to it. */
    record Request(String image, Path payloadExec, String signalingUser, ContainerEngine.Kind engine) {
        Request {
            Objects.requireNonNull(image, "image");
            Objects.requireNonNull(signalingUser, "signalingUser");
        }
    }

    private final Function<String, String> environment;
    private final Consumer<String> say;

    ImageRun(Function<String, String> environment, Consumer<String> say) {
        this.environment = environment;
        this.say = say;
    }

    /**
     * Runs the certification of a container of {@code request.image()}, here or in a child JVM.
     *
     * @param options      the certification's options, given the container's connection settings
     * @param certify      runs the certification and returns its exit code
     * @param originalArgs the command line, for the child JVM
     */
    int run(Request request, Function<ConnectionSettings, RunOptions.Builder> options,
            ToIntFunction<RunOptions> certify, List<String> originalArgs) {
        boolean ready = "1".equals(environment.apply(CHILD))
                || ("true".equalsIgnoreCase(environment.apply("TESTCONTAINERS_RYUK_DISABLED"))
                && environment.apply("DOCKER_HOST") != null);
        if (ready) {
            return inProcess(request, options, certify);
        }
        ContainerEngine.Located engine = new ContainerEngine(environment).locate(request.engine(), say);
        return inChild(engine, originalArgs);
    }

    private int inChild(ContainerEngine.Located engine, List<String> originalArgs) {
        String dockerHost = engine.dockerHost();
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(Main.class.getName());
        cmd.addAll(originalArgs);
        ProcessBuilder pb = new ProcessBuilder(cmd).inheritIO();
        Map<String, String> env = pb.environment();
        env.put(CHILD, "1");
        env.put("DOCKER_HOST", dockerHost);
        env.put("TESTCONTAINERS_RYUK_DISABLED", "true");
        env.put("TESTCONTAINERS_CHECKS_DISABLE", "true");
        Process child;
        try {
            child = pb.start();
        } catch (IOException e) {
            engine.close();
            throw new CliError(ExitCodes.INTERNAL, "cannot start the JVM that runs the container: " + e.getMessage());
        }
        Thread onExit = new Thread(() -> {
            // Ctrl-C reaches the child too; it removes its container. Wait for that, then stop the engine's service
            // (which runs in a session of its own, out of the Ctrl-C's reach).
            child.destroy();
            try {
                child.waitFor(CHILD_STOP_BOUND.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            engine.close();
        }, "sigkit-image-child");
        Runtime.getRuntime().addShutdownHook(onExit);
        int code;
        try {
            code = child.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ExitCodes.INTERRUPTED;
        }
        try {
            Runtime.getRuntime().removeShutdownHook(onExit);
        } catch (IllegalStateException e) {
            return code; // shutting down: the hook stops the engine
        }
        engine.close();
        return code;
    }

    private int inProcess(Request request, Function<ConnectionSettings, RunOptions.Builder> options,
                          ToIntFunction<RunOptions> certify) {
        String dockerHost = environment.apply("DOCKER_HOST");
        boolean local = dockerHost == null || dockerHost.startsWith("unix://");
        SignalingPayloadContainer container = new SignalingPayloadContainer(request.image())
                .withSignalingUser(request.signalingUser());
        if (request.payloadExec() != null) {
            container.withPayloadExec(request.payloadExec());
        }
        // SIG-START-006: the link is cut from the host, inside the container's network namespace.
        boolean linkControl = local && "root".equals(System.getProperty("user.name"));
        if (linkControl) {
            container.withLinkControl();
        }
        Thread onExit = new Thread(() -> {
            container.stop();
            say.accept("removed the container");
        }, "sigkit-remove-container");
        Runtime.getRuntime().addShutdownHook(onExit);
        try {
            say.accept("starting a container of " + request.image() + " (signaling user " + request.signalingUser()
                    + (request.payloadExec() == null ? "" : ", payload_exec " + request.payloadExec()) + ")");
            requireLocalImage(request.image());
            try {
                container.start();
            } catch (RuntimeException e) {
                throw CliError.usage("--image " + request.image() + ": the container did not start: " + rootCause(e));
            }
            say.accept("container " + shortId(container.getContainerId()) + " answers at " + container.target()
                    + "; its host keys were read from the container" + (linkControl ? "" : "; SIG-START-006 needs root"
                    + " and a local engine to cut the container's link"));
            RunOptions.Builder b = options.apply(container.connectionSettings()).shutdownBound(Duration.ofSeconds(15));
            container.linkControl().ifPresent(b::linkControl);
            RunOptions runOptions;
            try {
                runOptions = b.build();
            } catch (IllegalArgumentException e) {
                throw CliError.usage(e.getMessage());
            }
            return certify.applyAsInt(runOptions);
        } finally {
            boolean exiting = false;
            try {
                Runtime.getRuntime().removeShutdownHook(onExit);
            } catch (IllegalStateException e) {
                exiting = true; // Ctrl-C: the hook removes the container
            }
            if (!exiting) {
                boolean started = container.getContainerId() != null;
                container.stop();
                if (started) {
                    say.accept("removed the container");
                }
            }
        }
    }

    /** The image must be in the engine already: sigkit certifies what was built, it does not fetch images. */
    private static void requireLocalImage(String image) {
        try {
            DockerClientFactory.instance().client().inspectImageCmd(image).exec();
        } catch (NotFoundException e) {
            throw CliError.usage("--image " + image + ": no such image in the engine (build it, or pull it with docker"
                    + " pull / podman pull, first)");
        } catch (RuntimeException e) {
            throw CliError.usage("--image " + image + ": the engine cannot be used: " + rootCause(e));
        }
    }

    private static String shortId(String id) {
        return id == null ? "?" : id.substring(0, Math.min(12, id.length()));
    }

    /** What a start failure says: sigkit's own message (e.g. the lab's line), else the innermost one (the engine's). */
    static String rootCause(Throwable e) {
        String message = e.getMessage();
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getMessage() != null && t.getMessage().startsWith("sigkit: ")) {
                message = t.getMessage().substring("sigkit: ".length());
                break;
            }
            if (t.getMessage() != null && !t.getMessage().isBlank()) {
                message = t.getMessage();
            }
        }
        return message == null ? e.toString() : message.replaceAll("[\\x00-\\x1f\\x7f]+", " ").strip();
    }
}
