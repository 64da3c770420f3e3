package io.sigkit.run;

import io.sigkit.bus.Cleanup;
import io.sigkit.bus.Leftovers;
import io.sigkit.bus.RunLease;
import io.sigkit.bus.SatelliteBus;
import io.sigkit.bus.Window;
import io.sigkit.catalog.Requirement;
import io.sigkit.catalog.RequirementCatalog;
import io.sigkit.check.CheckContext;
import io.sigkit.check.CheckDefinition;
import io.sigkit.check.Checks;
import io.sigkit.check.Outcome;
import io.sigkit.check.RequirementResult;
import io.sigkit.check.UserProbeChecks;
import io.sigkit.check.WindowPlan;
import io.sigkit.cleanup.CleanupItem;
import io.sigkit.cleanup.CleanupManifest;
import io.sigkit.cleanup.RunRecord;
import io.sigkit.probe.OtherRuns;
import io.sigkit.probe.PayloadFacts;
import io.sigkit.text.SafeText;
import io.sigkit.transport.PayloadConnection;
import io.sigkit.transport.ServerIdentity;
import io.sigkit.transport.TransportException;
import io.sigkit.waiver.Waivers;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a certification: connects to the payload as the bus does, evaluates every requirement of the catalog, removes
 * everything it created (also on failure and on JVM shutdown), and returns the {@link RunResult}.
 *
 * <pre>{@code
 * RunResult result = Certification.run(RunOptions.builder(settings).build(), listener);
 * }</pre>
 */
public final class Certification {
    private static final Logger LOG = LoggerFactory.getLogger(Certification.class);

    private Certification() {
    }

    public static RunResult run(RunOptions options) {
        return run(options, ProgressListener.NONE);
    }

    public static RunResult run(RunOptions options, ProgressListener listener) {
        Instant startedAt = Instant.now();
        RequirementCatalog catalog = RequirementCatalog.load();
        byte[] id = new byte[8];
        new SecureRandom().nextBytes(id);
        String runId = HexFormat.of().formatHex(id);
        List<Requirement> requirements = catalog.requirements(options.profile());
        listener.runStarted(options.connection().target().toString(), requirements.size());
        LOG.info("sigkit run {} against {}", runId, options.connection().target());

        PayloadConnection connection = null;
        TransportException connectFailure = null;
        try {
            listener.step("connecting to " + options.connection().target());
            connection = PayloadConnection.open(options.connection());
        } catch (TransportException e) {
            connectFailure = e;
            LOG.info("connection to {} failed: {}", options.connection().target(), SafeText.escapeLine(e.getMessage()));
        }
        CleanupManifest manifest = new CleanupManifest();
        SatelliteBus bus = connection == null ? null : new SatelliteBus(connection, manifest);
        WindowPlan plan = new WindowPlan(Window.randomReservedBase(), runId, options.taskingUser(),
                "sigkit-e" + runId, options.taskingParameters(), options.repetitions());
        CheckContext ctx = new CheckContext(options, catalog, runId, listener, connection, connectFailure, bus, plan);

        final PayloadConnection open = connection;
        Thread hook = new Thread(() -> emergencyCleanup(open, manifest, ctx), "sigkit-cleanup-on-exit");
        if (connection != null) {
            Runtime.getRuntime().addShutdownHook(hook);
        }
        Map<String, RequirementResult> results = new LinkedHashMap<>();
        List<String> leftAlone = new ArrayList<>();
        RunLease lease = null;
        boolean cleanedUp = false;
        try {
            for (CheckDefinition check : Checks.inExecutionOrder(options.profile())) {
                if (check.id().equals(Checks.AFTER_CLEANUP) && connection != null) {
                    cleanUp(ctx, connection, manifest, listener);
                    cleanedUp = true;
                }
                if (check.id().equals(Checks.FIRST_WRITING_CHECK) && connection != null
                        && results.getOrDefault("SIG-ENV-003", null) != null
                        && results.get("SIG-ENV-003").outcome() == Outcome.PASS) {
                    lease = claim(ctx, connection, manifest, options, listener, leftAlone);
                }
                RequirementResult r = decide(check, ctx, catalog.get(check.id()), results, options);
                results.put(r.id(), r);
                listener.requirementFinished(r, Duration.between(startedAt, Instant.now()));
                if (connection != null && startScenarioReady(catalog, results, options)) {
                    ctx.startWindowsEarly();
                }
            }
        } finally {
            ctx.awaitWindows();
            if (connection != null && !cleanedUp) {
                cleanUp(ctx, connection, manifest, listener);
            }
            if (lease != null) {
                lease.close();
            }
        }

        List<RequirementResult> ordered = new ArrayList<>();
        for (Requirement req : requirements) {
            RequirementResult r = results.get(req.id());
            if (r != null) {
                ordered.add(r);
            }
        }
        // users' probes (--probes): read-only checks on the facts the run already gathered, after the catalog's
        for (RequirementResult r : UserProbeChecks.evaluate(ctx, results::get)) {
            ordered.add(r);
            listener.requirementFinished(r, Duration.between(startedAt, Instant.now()));
        }
        TargetIdentity identity = identity(ctx, connection, options);
        Waivers.Applied waived = options.waivers().apply(ordered, identity.payloadExecSha256(),
                LocalDate.ofInstant(startedAt, ZoneOffset.UTC));
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("runId", runId);
        settings.put("taskingUser", options.taskingUser());
        settings.put("windowLengthSeconds", options.windowLength().toMillis() / 1000.0);
        settings.put("repetitions", options.repetitions());
        settings.put("windowIds", ctx.plan().ids().stream().map(String::valueOf).toList());
        settings.put("reservedWindowIds", Window.RESERVED_FIRST + ".." + Window.RESERVED_LAST + ", "
                + Window.WIDE_FIRST + ".." + Window.WIDE_LAST);
        settings.put("include", List.copyOf(options.include()));
        settings.put("exclude", List.copyOf(options.exclude()));
        if (!options.profile().equals(RequirementCatalog.DEFAULT_PROFILE)) {
            settings.put("profile", options.profile());
        }
        if (!leftAlone.isEmpty()) {
            settings.put("leftAlone", List.copyOf(leftAlone));
        }
        if (!options.waivers().source().isEmpty()) {
            settings.put("waiversFile", options.waivers().source());
        }
        RunResult result = new RunResult(Kit.VERSION, catalog.version(), catalog.specVersion(),
                Verdict.of(waived.results(), options.strict()), identity, options.connection().hostKeyPolicy(),
                connection != null && connection.serverIdentity().hostKeyNewlyTrusted(), options.tiers(), options.strict(),
                startedAt, Instant.now(), waived.results(), connection == null ? List.of() : connection.transcript(),
                manifest.items(), connection == null ? 0 : connection.sessionsOpened(),
                connection == null ? 0 : connection.execRequests(), settings, waived.decisions());
        if (connection != null) {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // the JVM is already shutting down: the hook runs anyway
            }
            connection.close();
        }
        listener.runFinished(result);
        return result;
    }

    private static RequirementResult decide(CheckDefinition check, CheckContext ctx, Requirement requirement,
                                            Map<String, RequirementResult> results, RunOptions options) {
        boolean login = check.id().equals("SIG-ENV-002") || check.id().equals("SIG-ENV-003");
        if (!selected(requirement, options) && !(login && ctx.connectFailure().isPresent())) {
            RequirementResult r = RequirementResult.of(requirement).notVerified(
                    options.include().isEmpty() ? "removing it from --exclude" : "--include " + requirement.id(),
                    "not selected for this run");
            Checks.record(ctx, r);
            return r;
        }
        if (!login && ctx.connectFailure().isPresent()) { // no session: nothing else can run, whatever is selected
            RequirementResult r = RequirementResult.of(requirement).skipped(ctx.connectFailure().get().kind()
                    == TransportException.Kind.AUTH_FAILED ? "SIG-ENV-003" : "SIG-ENV-002",
                    "the kit could not log in: " + ctx.connectFailure().get().getMessage());
            Checks.record(ctx, r);
            return r;
        }
        java.util.Optional<RequirementResult> blocked = Checks.blocked(check, requirement, results::get);
        if (blocked.isPresent()) {
            Checks.record(ctx, blocked.get());
            return blocked.get();
        }
        return Checks.evaluate(check, ctx);
    }

    /**
     * Whether a selected check resting on the start scenario ({@link Checks#START_SCENARIO}) has every prerequisite,
     * and theirs in turn, decided and none blocking it (its own scenario's checks count as to come): the scenario can
     * then start while the checks before it go on, as its result could not change what they decide.
     */
    static boolean startScenarioReady(RequirementCatalog catalog, Map<String, RequirementResult> results,
                                      RunOptions options) {
        Map<String, CheckDefinition> byId = new LinkedHashMap<>();
        for (CheckDefinition c : Checks.inExecutionOrder()) {
            byId.put(c.id(), c);
        }
        for (String id : Checks.START_SCENARIO) {
            if (!results.containsKey(id) && selected(catalog.get(id), options) && decidedAndClear(id, byId, results,
                    new java.util.HashSet<>())) {
                return true;
            }
        }
        return false;
    }

    private static boolean decidedAndClear(String id, Map<String, CheckDefinition> byId,
                                           Map<String, RequirementResult> results, java.util.Set<String> visited) {
        if (!visited.add(id)) {
            return true;
        }
        for (String p : byId.get(id).prerequisites()) {
            if (Checks.START_SCENARIO.contains(p)) {
                if (!decidedAndClear(p, byId, results, visited)) {
                    return false;
                }
                continue;
            }
            RequirementResult r = results.get(p);
            if (r == null || r.outcome() == Outcome.FAIL || r.outcome() == Outcome.ERROR
                    || r.outcome() == Outcome.SKIPPED) {
                return false;
            }
        }
        return true;
    }

    static boolean selected(Requirement requirement, RunOptions options) {
        boolean included = options.include().isEmpty() || options.include().contains(requirement.id())
                || requirement.tags().stream().anyMatch(options.include()::contains);
        boolean excluded = options.exclude().contains(requirement.id())
                || requirement.tags().stream().anyMatch(options.exclude()::contains);
        return included && !excluded;
    }

    /**
     * Before the first write: creates the run's scratch directory and owner record (see {@link RunLease}), moves the
     * run to other window IDs if a live run on the payload holds these, and removes what crashed runs left, as their
     * owner records say. Entries that merely look kit-made are left alone and listed in {@code leftAlone}.
     */
    private static RunLease claim(CheckContext ctx, PayloadConnection connection, CleanupManifest manifest,
                                  RunOptions options, ProgressListener listener, List<String> leftAlone) {
        List<OtherRuns.Entry> others;
        try {
            others = ctx.facts().otherRuns();
        } catch (RuntimeException e) {
            LOG.info("no list of other runs: {}", SafeText.escapeLine(e.getMessage()));
            others = List.of();
        }
        others = waitForLiveRuns(connection, others, options, listener, leftAlone);
        java.util.Set<Long> claimed = new java.util.HashSet<>();
        List<RunRecord> stale = new ArrayList<>();
        for (OtherRuns.Entry e : others) {
            if (e.stale()) {
                stale.add(e.record().get());
            } else {
                e.record().ifPresent(r -> claimed.addAll(r.windows()));
                leftAlone.add(e.path() + ": " + e.leftAloneBecause());
            }
        }
        for (int attempt = 0; attempt < 20 && ctx.plan().ids().stream().anyMatch(claimed::contains); attempt++) {
            WindowPlan p = ctx.plan();
            ctx.replacePlan(new WindowPlan(Window.randomReservedBase(), p.runId(), p.taskingUser(), p.emptyInboxUser(),
                    p.taskingParameters(), p.configureRuns()));
        }
        RunLease lease = null;
        try {
            lease = RunLease.acquire(connection, record(ctx, options), manifest);
            ctx.lease(lease);
            ctx.bus().beforeDirectoryCreated(lease::journalDirectory);
        } catch (RuntimeException e) {
            LOG.warn("{}", SafeText.escapeLine(e.getMessage()));
            ctx.scratchUnavailable(e.getMessage());
        }
        if (!stale.isEmpty()) {
            listener.step("removing what " + stale.size() + " earlier, interrupted sigkit run(s) left on the payload");
            try {
                manifest.addAll(Leftovers.recover(connection, stale));
            } catch (RuntimeException e) {
                LOG.warn("removing leftovers of an earlier run failed: {}", SafeText.escapeLine(e.getMessage()));
                leftAlone.add("leftovers of runs " + stale.stream().map(RunRecord::runId).toList()
                        + ": their removal failed: " + e.getMessage());
            }
        }
        return lease;
    }

    /** How long a run waits for other live runs on the payload to finish before it goes ahead anyway. */
    static final Duration LIVE_RUN_WAIT = Duration.ofMinutes(10);

    /**
     * Waits while another run of the kit is live on the payload: the bus never runs two windows at once, and two runs
     * share the payload's inbox and its configure's view of it, so concurrent runs would judge each other's effects.
     */
    private static List<OtherRuns.Entry> waitForLiveRuns(PayloadConnection connection, List<OtherRuns.Entry> others,
                                                         RunOptions options, ProgressListener listener,
                                                         List<String> leftAlone) {
        Instant deadline = Instant.now().plus(LIVE_RUN_WAIT);
        List<OtherRuns.Entry> current = others;
        while (current.stream().anyMatch(e -> e.record().isPresent() && !e.stale())) {
            List<String> live = current.stream().filter(e -> e.record().isPresent() && !e.stale())
                    .map(e -> e.record().get().runId()).toList();
            if (Instant.now().isAfter(deadline)) {
                LOG.warn("other sigkit runs {} are still live on the payload after {}; going ahead", live, LIVE_RUN_WAIT);
                leftAlone.add("went ahead after waiting " + LIVE_RUN_WAIT.toMinutes() + " min for live run(s) " + live
                        + " on this payload: their windows may have run at the same time as this run's");
                return current;
            }
            listener.step("waiting for sigkit run(s) " + String.join(", ", live) + " on this payload to finish");
            try {
                Thread.sleep(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for another run to finish", e);
            }
            current = OtherRuns.from(OtherRuns.script().run(connection, Duration.ofSeconds(30), "list other runs"));
        }
        return current;
    }

    /** The owner record of this run: its windows and every file it may create. */
    private static RunRecord record(CheckContext ctx, RunOptions options) {
        WindowPlan plan = ctx.plan();
        List<String> paths = new ArrayList<>();
        for (long id : plan.ids()) {
            paths.add(Window.CONFIG_DIR + Long.toUnsignedString(id) + ".json");
        }
        String inbox = Window.INBOX_DIR + options.taskingUser() + "/";
        for (String name : ctx.plannedInboxFiles()) {
            paths.add(inbox + name);
        }
        long leaseSeconds = Math.max(1, options.lease().toSeconds());
        return new RunRecord(ctx.runId(), leaseSeconds, plan.ids(), paths, List.of());
    }

    private static void cleanUp(CheckContext ctx, PayloadConnection connection, CleanupManifest manifest,
                                ProgressListener listener) {
        listener.step("removing everything the kit created on the payload");
        List<Long> ids = windowsToEnd(ctx, manifest);
        try {
            // the windows the kit started end by themselves: cleanup ends only work that overran, so it waits for
            // their end time and grace while their payload_exec still runs (a process ended while it exits on its own
            // is a race the kit need not run), and not at all once it has gone
            new Cleanup(connection, manifest).run(ids, ctx.windowsRunUntil(),
                    () -> listener.step("waiting for the kit's windows to reach their end time"));
        } catch (RuntimeException first) {
            LOG.info("cleanup failed ({}); reconnecting once to retry", SafeText.escapeLine(first.getMessage()));
            try {
                connection.reconnect();
                new Cleanup(connection, manifest).run(ids);
            } catch (RuntimeException second) {
                LOG.warn("cleanup failed: {}", SafeText.escapeLine(second.getMessage()));
                for (CleanupItem item : manifest.pending()) {
                    manifest.resolved(item.kind(), item.target(), false, "not removed: " + second.getMessage());
                }
            }
        }
    }

    /** The run's windows, when it may have started a payload_exec for any (none placed and none signalled: none). */
    private static List<Long> windowsToEnd(CheckContext ctx, CleanupManifest manifest) {
        boolean placed = manifest.items().stream().anyMatch(i -> i.kind() == CleanupItem.Kind.WINDOW_CONFIG);
        boolean signalled = ctx.bus() != null && !ctx.bus().windowsSignalled().isEmpty();
        return placed || signalled ? ctx.plan().ids() : List.of();
    }

    private static void emergencyCleanup(PayloadConnection connection, CleanupManifest manifest, CheckContext ctx) {
        if (connection == null || manifest.complete()) {
            return;
        }
        try {
            new Cleanup(connection, manifest).run(windowsToEnd(ctx, manifest));
        } catch (RuntimeException e) {
            LOG.warn("cleanup on exit failed: {}", SafeText.escapeLine(e.getMessage()));
        }
    }

    private static TargetIdentity identity(CheckContext ctx, PayloadConnection connection, RunOptions options) {
        String address = options.connection().target().host() + ":" + options.connection().target().port();
        if (connection == null) {
            return new TargetIdentity(address, "", "", "", options.connection().target().user(), "", "", "");
        }
        ServerIdentity id = connection.serverIdentity();
        String shell = "";
        String os = "";
        String sha = "";
        try {
            PayloadFacts f = ctx.facts();
            shell = f.loginShell();
            os = f.osPrettyName().isEmpty() ? f.unameSrm() : f.osPrettyName() + " (" + f.unameSrm() + ")";
            sha = f.payloadExecSha256();
        } catch (RuntimeException e) {
            LOG.debug("no facts for the identity: {}", SafeText.escapeLine(e.getMessage()));
        }
        return new TargetIdentity(id.address(), id.serverVersion(), id.hostKeyType(), id.hostKeyFingerprint(),
                options.connection().target().user(), shell, os, sha);
    }
}
