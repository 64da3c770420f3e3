package io.sigkit.junit;

import io.sigkit.bus.Cleanup;
import io.sigkit.bus.SatelliteBus;
import io.sigkit.bus.Window;
import io.sigkit.cleanup.CleanupItem;
import io.sigkit.cleanup.CleanupManifest;
import io.sigkit.probe.RemoteProcess;
import io.sigkit.transport.PayloadConnection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The satellite bus and the windows injected into one test (or one {@code @BeforeAll}, for class-wide parameters):
 * one {@link SatelliteBus} with its own cleanup manifest, and a fresh reserved window per {@link Window} parameter.
 * Closed by JUnit with the test's Store: ends the payload_exec processes of those windows and of every window the bus
 * signalled, and removes everything the bus placed; what cannot be removed fails the test.
 */
@SuppressWarnings("deprecation") // Store.CloseableResource: the only way JUnit 5.10-5.12 close Store values
final class BusScope implements AutoCloseable, ExtensionContext.Store.CloseableResource {

    private static final int RESWEEPS = 3;
    private static final Duration RESWEEP_PAUSE = Duration.ofMillis(300);
    private static final Duration LIST_TIMEOUT = Duration.ofSeconds(30);

    private final Supplier<PayloadConnection> connection;
    private final SigkitSettings settings;
    private final CleanupManifest manifest = new CleanupManifest();
    private final Set<Long> windows = new LinkedHashSet<>();
    private SatelliteBus bus;
    private boolean closed;

    BusScope(Supplier<PayloadConnection> connection, SigkitSettings settings) {
        this.connection = connection;
        this.settings = settings;
    }

    /** The scope's bus, created on first call. */
    synchronized SatelliteBus bus() {
        if (bus == null) {
            bus = new SatelliteBus(connection.get(), manifest);
        }
        return bus;
    }

    /**
     * A fresh window in the kit's reserved ID range, for the configured tasking user and parameters, ending
     * {@code sigkit.windowSeconds} (default 60 s) from now. Its config file, should the test place one, and its
     * payload_exec processes are removed when the scope closes.
     */
    synchronized Window newWindow() {
        Window window = Window.reserved(Window.randomReservedBase(), 0, settings.taskingUser(),
                Instant.now().plus(settings.injectedWindowLength()));
        if (settings.taskingParameters().isPresent()) {
            window = window.withTaskingParameters(settings.taskingParameters().get());
        }
        windows.add(window.id());
        manifest.created(CleanupItem.Kind.WINDOW_CONFIG, window.configPath());
        return window;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (bus == null && windows.isEmpty()) {
            return;
        }
        Set<Long> ids = new LinkedHashSet<>(windows);
        if (bus != null) {
            ids.addAll(bus.windowsSignalled());
        }
        if (ids.isEmpty() && manifest.pending().isEmpty()) {
            return;
        }
        PayloadConnection c = connection.get();
        new Cleanup(c, manifest).run(ids);
        // payload_exec detaches by forking: a process forked while the sweep listed /proc escapes it, so sweep
        // again until none is left (a few rounds, each listing /proc once)
        List<RemoteProcess> running = running(c, ids);
        for (int round = 0; round < RESWEEPS && !running.isEmpty(); round++) {
            sleep(RESWEEP_PAUSE);
            new Cleanup(c, manifest).run(ids);
            running = running(c, ids);
        }
        List<String> left = new ArrayList<>();
        for (CleanupItem item : manifest.items()) {
            // a directory the payload put files into is the payload's to keep; everything else must go
            if (!item.removed() && item.kind() != CleanupItem.Kind.DIRECTORY) {
                left.add(item.kind() + " " + item.target() + " (" + item.note() + ")");
            }
        }
        running.forEach(p -> left.add("PROCESS pid " + p.pid() + ": " + p.commandLine() + " (still running)"));
        if (!left.isEmpty()) {
            throw new IllegalStateException("sigkit: could not remove what this test created on payload "
                    + c.settings().target() + ": " + left.stream().collect(Collectors.joining("; ")));
        }
    }

    private static List<RemoteProcess> running(PayloadConnection c, Set<Long> ids) {
        return PayloadAwait.payloadExecProcesses(c, ids, LIST_TIMEOUT);
    }

    private static void sleep(Duration pause) {
        try {
            Thread.sleep(pause.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("sigkit: interrupted while removing what the test created", e);
        }
    }
}
