package io.sigkit.bus;

import io.sigkit.cleanup.CleanupItem;
import io.sigkit.cleanup.CleanupManifest;
import io.sigkit.probe.ProcessListing;
import io.sigkit.probe.RemoteProcess;
import io.sigkit.probe.RemoteScript;
import io.sigkit.probe.Sections;
import io.sigkit.schemas.PayloadExecCommands;
import io.sigkit.schemas.SchemaId;
import io.sigkit.schemas.SchemaValidator;
import io.sigkit.schemas.ValidationReport;
import io.sigkit.transport.ExecResult;
import java.util.function.Consumer;
import io.sigkit.transport.PayloadConnection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Issues the Signaling API's calls exactly as the satellite bus does: places window configs and uplinked files where
 * the spec says, and sends the configure and window-start signals over SSH through the signaling user's login shell,
 * with command lines rendered only from the payload_exec argument contract. Everything it creates on the payload is
 * recorded in its {@link CleanupManifest}.
 *
 * <p>Usable on its own from users' tests:
 * <pre>{@code
 * try (PayloadConnection payload = PayloadConnection.open(settings)) {
 *     SatelliteBus bus = new SatelliteBus(payload);
 *     Window window = Window.reserved(Window.randomReservedBase(), 0, "john", Instant.now().plusSeconds(60));
 *     bus.placeWindowConfig(window);
 *     SignalResult configure = bus.configure(window);
 *     ...
 *     bus.cleanUp();
 * }
 * }</pre>
 */
public final class SatelliteBus {
    /** Where the spec puts the payload executable. */
    public static final String PAYLOAD_EXEC = "/usr/bin/payload_exec";
    /** The spec's bound on configure. */
    public static final Duration CONFIGURE_BUDGET = Duration.ofSeconds(15);

    private static final Duration DEFAULT_CONFIGURE_TIMEOUT = CONFIGURE_BUDGET.plusSeconds(5);
    private static final Duration DEFAULT_START_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration HOUSEKEEPING_TIMEOUT = Duration.ofSeconds(30);

    private final PayloadConnection connection;
    private final CleanupManifest manifest;
    private final SchemaValidator configValidator = SchemaValidator.of(SchemaId.WINDOW_CONFIG_V1);
    private final java.util.Set<Long> windowsSignalled = new java.util.LinkedHashSet<>();
    private volatile Consumer<String> beforeDirectoryCreated = d -> { };

    public SatelliteBus(PayloadConnection connection) {
        this(connection, new CleanupManifest());
    }

    public SatelliteBus(PayloadConnection connection, CleanupManifest manifest) {
        this.connection = Objects.requireNonNull(connection, "connection");
        this.manifest = Objects.requireNonNull(manifest, "manifest");
    }

    public PayloadConnection connection() {
        return connection;
    }

    public CleanupManifest manifest() {
        return manifest;
    }

    /**
     * Called with a directory's path before the bus creates it (a run journals it in its owner record, so that a later
     * run can remove it if this one is killed).
     */
    public void beforeDirectoryCreated(Consumer<String> hook) {
        this.beforeDirectoryCreated = Objects.requireNonNull(hook, "hook");
    }

    /**
     * Places the window's config at {@code /signaling/window_configs/<id>.json}, after validating it against the
     * window config v1 schema; the transport verifies the content after writing.
     *
     * @throws IllegalArgumentException when the config does not validate (naming every error)
     */
    public PlacedFile placeWindowConfig(Window window) {
        ValidationReport report = configValidator.validate(window.config(), window.configPath());
        if (!report.valid()) {
            throw new IllegalArgumentException("window config for " + window.id() + " is invalid: " + report.errors());
        }
        return placeRawWindowConfig(window.id(), window.configBytes());
    }

    /** Places arbitrary bytes as a window's config (the kit's malformed-config tests); no validation. */
    public PlacedFile placeRawWindowConfig(long windowId, byte[] content) {
        String path = Window.CONFIG_DIR + windowId + ".json";
        manifest.created(CleanupItem.Kind.WINDOW_CONFIG, path);
        connection.files().write(path, content, 0644);
        return new PlacedFile(path, content.length, PlacedFile.sha256(content), false);
    }

    /**
     * Places an uplinked file as the bus does: {@code /signaling/inbox/<user>/<name>}, creating the user's directory
     * when absent.
     */
    public PlacedFile uplink(String taskingUser, String fileName, byte[] content) {
        if (fileName.contains("/") || fileName.startsWith(".") || fileName.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw new IllegalArgumentException("uplink file name must be a plain name without control characters, was '"
                    + fileName.replaceAll("\\p{Cntrl}", "?") + "'");
        }
        boolean createdDir = ensureInbox(taskingUser);
        String path = Window.INBOX_DIR + taskingUser + "/" + fileName;
        manifest.created(CleanupItem.Kind.FILE, path);
        connection.files().write(path, content, 0644);
        return new PlacedFile(path, content.length, PlacedFile.sha256(content), createdDir);
    }

    /**
     * Makes {@code /signaling/inbox/<user>/} when it is missing, as the bus does before it uplinks a file (recorded in
     * the manifest, so cleanup removes it when empty); a directory that exists is left as it is.
     *
     * @return whether the kit made it
     */
    public boolean ensureInbox(String taskingUser) {
        PayloadExecCommands.requireValidUser(taskingUser);
        String dir = Window.INBOX_DIR + taskingUser;
        if (connection.files().exists(dir)) {
            return false;
        }
        beforeDirectoryCreated.accept(dir);
        manifest.created(CleanupItem.Kind.DIRECTORY, dir);
        // no explicit mode: the payload's umask and default ACLs apply, as they do to the bus's own upload
        try {
            connection.files().mkdir(dir);
        } catch (io.sigkit.transport.TransportException e) {
            if (!connection.files().exists(dir)) {
                throw e;
            }
            // made in between by another writer (another run of the kit): removed when empty, as if ours
        }
        return true;
    }

    /** The configure signal, exactly as the bus issues it. */
    public SignalResult configure(Window window) {
        return configure(window, DEFAULT_CONFIGURE_TIMEOUT);
    }

    /**
     * The configure signal; waiting stops at {@code timeout}, and then the window's processes are ended. It runs alone
     * on the session ({@link PayloadConnection#exclusively}): a configure may take every file in its user's inbox, so
     * no other window's uplink and configure, and no window start being listed, may interleave with it.
     */
    public SignalResult configure(Window window, Duration timeout) {
        return connection.exclusively(() -> issue("configure", window.id(), configureCommand(window), timeout));
    }

    /** The configure signal with its options in reverse order ({@code -w <id> -e -u <user>}), alone on the session. */
    public SignalResult configureReordered(Window window, Duration timeout) {
        return connection.exclusively(() -> issue("configure", window.id(),
                SignalCommand.parse(configureCommand(window)).withReversedOptions(), timeout));
    }

    /** The window start signal, exactly as the bus issues it. */
    public SignalResult startWindow(Window window) {
        return startWindow(window, DEFAULT_START_TIMEOUT);
    }

    /**
     * The window start signal; waiting stops at {@code timeout} (the payload_exec it started keeps running: the bus
     * does not wait for it either).
     */
    public SignalResult startWindow(Window window, Duration timeout) {
        String command = startCommand(window);
        synchronized (windowsSignalled) {
            windowsSignalled.add(window.id());
        }
        ExecResult exec = connection.exec(command, timeout);
        return new SignalResult("start", window.id(), command, exec);
    }

    /**
     * Issues a synchronous signal; when waiting times out, the window's payload_exec processes are ended (the kit
     * never leaves a hung configure behind) and the result says so through {@link ExecResult#timedOut()}.
     */
    private SignalResult issue(String signal, long windowId, String command, Duration timeout) {
        synchronized (windowsSignalled) {
            windowsSignalled.add(windowId);
        }
        long began = System.nanoTime();
        ExecResult exec = connection.exec(command, timeout);
        if (exec.timedOut()) {
            endConfigureProcesses(windowId, Duration.ofNanos(System.nanoTime() - began));
        }
        return new SignalResult(signal, windowId, command, exec);
    }

    /**
     * Ends the configure processes this call started and left running: payload_exec with {@code -e} for the window that
     * started on the payload no earlier than the call (by the payload's boot clock, with a second of margin). Another
     * configure or a window of the same ID started elsewhere before the call is left alone.
     */
    private void endConfigureProcesses(long windowId, Duration callAge) {
        ProcessListing.Snapshot snapshot = ProcessListing.snapshot(connection, HOUSEKEEPING_TIMEOUT,
                "list window " + windowId + " after a configure timeout");
        double startedAfter = snapshot.uptimeSeconds() - callAge.toMillis() / 1000.0 - 1.0;
        List<RemoteProcess> ours = snapshot.processes().stream()
                .filter(p -> !p.zombie() && p.isPayloadExecFor(windowId) && p.argv().contains("-e"))
                .filter(p -> p.startTicks() >= 0 && p.startTicks() / RemoteProcess.CLOCK_TICKS_PER_SECOND >= startedAfter)
                .toList();
        end(ours, windowId);
    }

    /** The IDs of every window this bus has signalled, in order. */
    public List<Long> windowsSignalled() {
        synchronized (windowsSignalled) {
            return List.copyOf(windowsSignalled);
        }
    }

    public static String configureCommand(Window window) {
        return PayloadExecCommands.configure(window.taskingUser(), window.id());
    }

    public static String startCommand(Window window) {
        return PayloadExecCommands.start(window.taskingUser(), window.id(), window.endTime().getEpochSecond());
    }

    /**
     * Sets the payload's clock to its own current time (the reversible tier): the same path the bus uses to keep the
     * payload in time, with no net change.
     *
     * @param tool {@code date} or {@code timedatectl}: the clock command the signaling user may run
     * @param viaSudo whether to go through {@code sudo -n} (false when the signaling user is root)
     */
    public SignalResult setClock(String tool, boolean viaSudo, Duration timeout) {
        String sudo = viaSudo ? "sudo -n " : "";
        String command = switch (tool) {
            case "date" -> sudo + "date -s \"@$(date +%s)\"";
            case "timedatectl" -> sudo + "timedatectl set-time \"$(date '+%Y-%m-%d %H:%M:%S')\"";
            default -> throw new IllegalArgumentException("cannot set the clock with '" + tool + "'; use date or timedatectl");
        };
        return new SignalResult("set-clock", -1, command, connection.exec(command, timeout));
    }

    /** Issues the shutdown command (the destructive tier): the payload is expected to stop answering. */
    public SignalResult shutdown(String command, Duration timeout) {
        return new SignalResult("shutdown", -1, command, connection.exec(command, timeout));
    }

    /** The payload_exec processes of a window (zombies excluded), from one NUL-safe listing of {@code /proc}. */
    public List<RemoteProcess> windowProcesses(long windowId) {
        List<RemoteProcess> matching = new ArrayList<>();
        for (RemoteProcess p : ProcessListing.list(connection, HOUSEKEEPING_TIMEOUT, "list window " + windowId)) {
            if (!p.zombie() && p.isPayloadExecFor(windowId)) {
                matching.add(p);
            }
        }
        return matching;
    }

    /**
     * Ends every payload_exec process of the window (each re-checked on the payload just before it is signalled, see
     * {@link ProcessEnd}), recording them in the manifest; returns how many it ended.
     */
    public int endWindowProcesses(long windowId) {
        return end(windowProcesses(windowId), windowId);
    }

    private int end(List<RemoteProcess> processes, long windowId) {
        if (processes.isEmpty()) {
            return 0;
        }
        List<ProcessEnd.Target> targets = processes.stream().map(p -> new ProcessEnd.Target(p, windowId)).toList();
        Sections sections = RemoteScript.builder().section("ended", ProcessEnd.code(targets), 64 * 1024).build()
                .run(connection, HOUSEKEEPING_TIMEOUT, "end window " + windowId).requireComplete();
        int ended = 0;
        List<String> lines = sections.lines("ended");
        for (int i = 0; i < processes.size(); i++) {
            RemoteProcess p = processes.get(i);
            String target = "pid " + p.pid() + ": " + p.commandLine();
            boolean gone = lines.contains(i + " ended") || lines.contains(i + " gone");
            manifest.resolved(CleanupItem.Kind.PROCESS, target, gone, lines.contains(i + " changed")
                    ? "left alone: that PID was no longer the window's payload_exec" : gone ? "ended by the kit" : "could not be ended");
            if (gone) {
                ended++;
            }
        }
        return ended;
    }

    /**
     * Ends the payload_exec processes of every window this bus signalled and removes everything recorded in the
     * manifest that is not removed yet; see {@link Cleanup}.
     */
    public void cleanUp() {
        new Cleanup(connection, manifest).run(windowsSignalled());
    }

    /** When this bus's calls were issued, for evidence. */
    public static Instant now() {
        return Instant.now();
    }
}
