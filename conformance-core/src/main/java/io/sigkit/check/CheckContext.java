package io.sigkit.check;

import io.sigkit.bus.PlacedFile;
import io.sigkit.bus.SatelliteBus;
import io.sigkit.bus.SignalResult;
import io.sigkit.bus.Window;
import io.sigkit.catalog.Requirement;
import io.sigkit.catalog.RequirementCatalog;
import io.sigkit.bus.RunLease;
import io.sigkit.probe.PayloadFacts;
import io.sigkit.timing.ClockOffset;
import io.sigkit.transport.ExecResult;
import io.sigkit.transport.PayloadConnection;
import io.sigkit.transport.TransportException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the checks of one run share: the options, the connection and bus, the results so far, and the run's
 * scenarios — each performed once, on first use, so that several requirements can rest on one round trip.
 */
public final class CheckContext {

    private final CheckOptions options;
    private final RequirementCatalog catalog;
    private final String runId;
    private final StepListener progress;
    private final PayloadConnection connection;
    private final TransportException connectFailure;
    private final SatelliteBus bus;
    private WindowPlan plan;
    private final Map<String, RequirementResult> results = new LinkedHashMap<>();

    private final PayloadObservations observations;
    private ExecResult login;
    private PayloadFacts facts;
    private RuntimeException factsFailure;
    private RunLease lease;
    private String scratchUnavailable = "the kit's scratch directory was not created (no check that writes ran before)";
    private ClockOffset clock;
    private final Once<Placement> placement = new Once<>();
    private final Once<ConfigureSeries> configureSeries = new Once<>();
    private final Once<ConfigureSeries> firstConfigure = new Once<>();
    private final Once<StartScenario> startScenario = new Once<>();
    private final Once<LinkScenario> linkScenario = new Once<>();
    private Instant windowsRunUntil = Instant.EPOCH;
    private volatile java.util.concurrent.CompletableFuture<StartScenario> startTrack;

    public CheckContext(CheckOptions options, RequirementCatalog catalog, String runId, StepListener progress,
                        PayloadConnection connection, TransportException connectFailure, SatelliteBus bus, WindowPlan plan) {
        this(options, catalog, runId, progress, connection, connectFailure, bus, plan, connection == null ? null
                : new LiveObservations(connection, bus, options.connection(), options.taskingUser(),
                UserProbeChecks.documents(options)));
    }

    private CheckContext(CheckOptions options, RequirementCatalog catalog, String runId, StepListener progress,
                         PayloadConnection connection, TransportException connectFailure, SatelliteBus bus, WindowPlan plan,
                         PayloadObservations observations) {
        this.observations = observations;
        this.options = options;
        this.catalog = catalog;
        this.runId = runId;
        this.progress = progress;
        this.connection = connection;
        this.connectFailure = connectFailure;
        this.bus = bus;
        this.plan = plan;
    }

    public CheckOptions options() {
        return options;
    }

    public Requirement requirement(String id) {
        return catalog.get(id);
    }

    public RequirementResult.Builder result(String id) {
        return RequirementResult.of(requirement(id));
    }

    public String runId() {
        return runId;
    }

    public WindowPlan plan() {
        return plan;
    }

    /**
     * Replaces the window plan before any of its windows is used (the run found its window IDs claimed by a live run
     * on the payload).
     */
    public void replacePlan(WindowPlan replacement) {
        this.plan = java.util.Objects.requireNonNull(replacement, "replacement");
    }

    public Optional<PayloadConnection> connection() {
        return Optional.ofNullable(connection);
    }

    public Optional<TransportException> connectFailure() {
        return Optional.ofNullable(connectFailure);
    }

    public SatelliteBus bus() {
        return bus;
    }

    public String targetText() {
        return options.connection().target().toString();
    }

    void record(RequirementResult result) {
        results.put(result.id(), result);
    }

    public Optional<RequirementResult> resultOf(String id) {
        return Optional.ofNullable(results.get(id));
    }

    void step(String description) {
        progress.step(description);
    }

    /** {@code true} as the signaling user (SIG-ENV-003). */
    public ExecResult login() {
        if (login == null) {
            login = observations.login();
        }
        return login;
    }

    /** What the checks observe on the payload (the live session, or canned answers in tests). */
    PayloadObservations observations() {
        return observations;
    }

    /**
     * The facts probe, one exec, run once.
     *
     * @throws io.sigkit.probe.IncompleteOutputException when its output timed out, was cut or holds forged lines (the
     *                                                   checks that need the facts are then ERROR)
     */
    public PayloadFacts facts() {
        if (factsFailure != null) {
            throw factsFailure;
        }
        if (facts == null) {
            step("probing the payload (one script)");
            try {
                facts = observations.facts();
            } catch (RuntimeException e) {
                factsFailure = e;
                throw e;
            }
        }
        return facts;
    }

    /** The clock offset from three round trips (SIG-TIME-001). */
    public ClockOffset clock() {
        if (clock == null) {
            clock = measureClock(3);
        }
        return clock;
    }

    /** Measures the offset afresh with {@code samples} round trips. */
    public ClockOffset measureClock(int samples) {
        return observations.measureClock(samples);
    }

    /** Windows' configs placed once, for every configure check (SIG-CFG-001/002). */
    public Placement placement() {
        return placement.get(() -> {
            step("placing window configs");
            return Placement.place(this);
        });
    }

    /** The repeated, timed configure runs (SIG-CONF-002; its first run is SIG-CONF-001's evidence). */
    public ConfigureSeries configureSeries() {
        return configureSeries.get(() -> ConfigureSeries.run(this, firstConfigure()));
    }

    /** The main window's configure and its repeat: the first part of {@link #configureSeries()} (SIG-CONF-001). */
    public ConfigureSeries firstConfigure() {
        return firstConfigure.get(() -> {
            placement(); // its windows' configs, also when the checks that place them (SIG-CFG-*) are not selected
            return ConfigureSeries.first(this);
        });
    }

    /** The start scenario: verbatim start, diagnostic runs, reconnect, end of window (SIG-START-001..005). */
    public StartScenario startScenario() {
        return startScenario.get(() -> {
            java.util.concurrent.CompletableFuture<StartScenario> track = startTrack;
            if (track != null) {
                return await(track);
            }
            placement(); // its windows' configs, also when the checks that place them (SIG-CFG-*) are not selected
            return StartScenario.run(this);
        });
    }

    /**
     * Starts the start scenario now, on a thread of its own (once): its windows run while the checks before the start
     * checks go on ({@link #startScenario()} then waits for it). The run calls it as soon as the prerequisites of the
     * start checks are decided and none blocks them, i.e. right after the main window's configure has succeeded.
     */
    public void startWindowsEarly() {
        if (startTrack != null) {
            return;
        }
        placement(); // its windows' configs, also when the checks that place them (SIG-CFG-*) are not selected
        java.util.concurrent.CompletableFuture<StartScenario> track = new java.util.concurrent.CompletableFuture<>();
        startTrack = track;
        Thread t = new Thread(() -> {
            try {
                track.complete(StartScenario.run(this));
            } catch (Throwable e) { // handed to the start checks, which report it as ERROR
                track.completeExceptionally(e);
            }
        }, "sigkit-windows-" + runId);
        t.setDaemon(true);
        t.start();
    }

    /** Waits until a start scenario begun by {@link #startWindowsEarly()} has ended (before cleanup), whatever its end. */
    public void awaitWindows() {
        java.util.concurrent.CompletableFuture<StartScenario> track = startTrack;
        if (track != null) {
            try {
                track.handle((s, e) -> null).get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (java.util.concurrent.ExecutionException e) {
                // handle() never completes exceptionally
            }
        }
    }

    private static StartScenario await(java.util.concurrent.CompletableFuture<StartScenario> track) {
        try {
            return track.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the start scenario", e);
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    /** The link-drop scenario (SIG-START-006), only with a link hook. */
    public LinkScenario linkScenario() {
        return linkScenario.get(() -> {
            placement(); // its windows' configs, also when the checks that place them (SIG-CFG-*) are not selected
            return LinkScenario.run(this);
        });
    }

    /**
     * A scenario performed at most once: its result, or the failure it ended with (several checks rest on one scenario;
     * a scenario that failed, e.g. on a cut listing, is not run again for the next check, which is ERROR for the same
     * reason).
     */
    private static final class Once<T> {
        private T value;
        private RuntimeException failure;

        synchronized void preset(T given) {
            value = given;
        }

        synchronized T get(java.util.function.Supplier<T> compute) {
            if (failure != null) {
                throw failure;
            }
            if (value == null) {
                try {
                    value = compute.get();
                } catch (RuntimeException e) {
                    failure = e;
                    throw e;
                }
            }
            return value;
        }
    }

    /**
     * Records that windows the kit started may work until {@code until} (their end time and grace): a scenario that
     * tells a window's work by the processes that appear after its start waits for it (one window at a time).
     */
    synchronized void windowsRunUntil(Instant until) {
        if (until.isAfter(windowsRunUntil)) {
            windowsRunUntil = until;
        }
    }

    /** Until when windows the kit started may still work (their end time and grace). */
    public synchronized Instant windowsRunUntil() {
        return windowsRunUntil;
    }

    /** The configure budget plus its grace: how long the kit waits for a configure before it stops waiting. */
    public Duration configureTimeout() {
        return options.configureBudget().plus(options.configureGrace());
    }

    /**
     * How long the checks that judge configure's exit status (not its time: that is SIG-CONF-002's) wait for it: the
     * configure budget and grace plus 10 s, so that a slow configure still tells whether it accepts or refuses.
     */
    public Duration configureOutcomeTimeout() {
        return configureTimeout().plusSeconds(10);
    }

    /** Issues configure for a window, waiting {@link #configureOutcomeTimeout()}: for checks of its exit status. */
    public SignalResult configureForOutcome(Window window) {
        return configure(window, configureOutcomeTimeout());
    }

    /** Issues configure for a window. */
    public SignalResult configure(Window window) {
        return configure(window, configureTimeout());
    }

    private SignalResult configure(Window window, Duration timeout) {
        step("configure window " + window.id());
        return bus.configure(window, timeout);
    }

    /**
     * The names the kit gives the files it uplinks for SIG-CONF-003, in order: {@code sigkit-<run>-<n>-<name>} for the
     * user's files, where {@code <name>} keeps only the portable file name characters of the local name, or
     * {@code sigkit-uplink-<run>.txt}.
     */
    public List<String> uplinkNames() {
        List<String> names = new ArrayList<>();
        int n = 1;
        for (Path p : options.uplinks()) {
            String local = p.getFileName() == null ? "file" : p.getFileName().toString();
            String safe = local.replaceAll("[^A-Za-z0-9._-]", "_");
            if (safe.length() > 80) {
                safe = safe.substring(safe.length() - 80);
            }
            names.add("sigkit-" + runId + "-" + n++ + "-" + safe);
        }
        if (names.isEmpty()) {
            names.add("sigkit-uplink-" + runId + ".txt");
        }
        return names;
    }

    /** The name of the file uplinked for the diagnostic start run. */
    public String diagnosticUplinkName() {
        return "sigkit-diag-" + runId + ".txt";
    }

    /** Every file name this run may place in the tasking user's inbox (for its owner record). */
    public List<String> plannedInboxFiles() {
        List<String> names = new ArrayList<>(uplinkNames());
        names.add(FilesystemChecks.fs005Name(runId));
        names.add(diagnosticUplinkName());
        return names;
    }

    /** Bytes to uplink for SIG-CONF-003: the user's files, or a small kit-made one, under {@link #uplinkNames()}. */
    public List<Map.Entry<String, byte[]>> uplinkFiles() {
        List<Map.Entry<String, byte[]>> files = new ArrayList<>();
        List<String> names = uplinkNames();
        int i = 0;
        for (Path p : options.uplinks()) {
            try {
                files.add(Map.entry(names.get(i++), Files.readAllBytes(p)));
            } catch (java.io.IOException e) {
                throw new IllegalArgumentException("cannot read uplink file " + p + ": " + e.getMessage(), e);
            }
        }
        if (files.isEmpty()) {
            files.add(Map.entry(names.get(0),
                    ("sigkit test uplink for run " + runId + "\n").getBytes(StandardCharsets.UTF_8)));
        }
        return files;
    }

    /**
     * The kit's private scratch directory on the payload, {@code /tmp/sigkit-<run>} (see {@link RunLease}).
     *
     * @throws IllegalStateException when it could not be created safely, saying why
     */
    public String scratchDir() {
        if (lease == null) {
            throw new IllegalStateException(scratchUnavailable);
        }
        return lease.scratch();
    }

    /** The run's lease on the payload, once acquired. */
    public void lease(RunLease acquired) {
        this.lease = acquired;
    }

    /** Why the scratch directory is unavailable (its creation failed). */
    public void scratchUnavailable(String why) {
        this.scratchUnavailable = why;
    }

    /**
     * A context whose observations are given (canned answers in tests), with no SSH connection: the checks that read
     * only observations and facts can be evaluated on it.
     */
    static Canned canned(CheckOptions options, PayloadObservations observations) {
        return new Canned(options, observations);
    }

    /** Builds a context from canned observations (tests); see {@link #canned}. */
    static final class Canned {
        /** The catalog, loaded once for all canned contexts (loading validates it against its schema). */
        private static final class Catalog {
            static final RequirementCatalog LOADED = RequirementCatalog.load();
        }
        private final CheckOptions options;
        private final PayloadObservations observations;
        private TransportException connectFailure;
        private Placement placement;
        private StepListener progress = description -> { };

        private Canned(CheckOptions options, PayloadObservations observations) {
            this.options = java.util.Objects.requireNonNull(options, "options");
            this.observations = observations;
        }

        /** The connection failed this way (SIG-ENV-002/003 read it; no observation is made then). */
        Canned connectFailure(TransportException failure) {
            this.connectFailure = failure;
            return this;
        }

        /** The window configs as placed (SIG-CFG-001/002). */
        Canned placement(Placement placed) {
            this.placement = placed;
            return this;
        }

        Canned progress(StepListener listener) {
            this.progress = listener;
            return this;
        }

        CheckContext build() {
            String runId = "0123456789abcdef";
            WindowPlan plan = new WindowPlan(io.sigkit.bus.Window.randomReservedBase(), runId, options.taskingUser(),
                    "sigkit-e" + runId, options.taskingParameters(), options.repetitions());
            CheckContext ctx = new CheckContext(options, Catalog.LOADED, runId, progress, null, connectFailure,
                    null, plan, connectFailure == null ? observations : null);
            if (placement != null) {
                ctx.placement.preset(placement);
            }
            return ctx;
        }
    }

    /** The placed file for a window, or the error that prevented placing it. */
    public record PlacedOrError(Window window, PlacedFile placed, String error) {
        public boolean ok() {
            return placed != null;
        }
    }
}
