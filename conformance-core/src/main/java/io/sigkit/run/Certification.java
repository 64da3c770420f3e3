package io.sigkit.run;

import io.sigkit.bus.Cleanup;
import io.sigkit.bus.SatelliteBus;
import io.sigkit.bus.Window;
import io.sigkit.catalog.Requirement;
import io.sigkit.catalog.RequirementCatalog;
import io.sigkit.check.CheckContext;
import io.sigkit.check.CheckDefinition;
import io.sigkit.check.Checks;
import io.sigkit.check.Outcome;
import io.sigkit.check.RequirementResult;
import io.sigkit.check.WindowPlan;
import io.sigkit.cleanup.CleanupItem;
import io.sigkit.cleanup.CleanupManifest;
import io.sigkit.probe.PayloadFacts;
import io.sigkit.transport.PayloadConnection;
import io.sigkit.transport.ServerIdentity;
import io.sigkit.transport.TransportException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
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
        String runId = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
        listener.runStarted(options.connection().target().toString(), catalog.requirements().size());
        LOG.info("sigkit run {} against {}", runId, options.connection().target());

        PayloadConnection connection = null;
        TransportException connectFailure = null;
        try {
            listener.step("connecting to " + options.connection().target());
            connection = PayloadConnection.open(options.connection());
        } catch (TransportException e) {
            connectFailure = e;
            LOG.info("connection to {} failed: {}", options.connection().target(), e.getMessage());
        }
        CleanupManifest manifest = new CleanupManifest();
        SatelliteBus bus = connection == null ? null : new SatelliteBus(connection, manifest);
        WindowPlan plan = new WindowPlan(Window.randomReservedBase(), runId, options.taskingUser(),
                "sigkit-e" + runId, options.taskingParameters());
        CheckContext ctx = new CheckContext(options, catalog, runId, listener, connection, connectFailure, bus, plan);

        final PayloadConnection open = connection;
        Thread hook = new Thread(() -> emergencyCleanup(open, manifest, plan), "sigkit-cleanup-on-exit");
        if (connection != null) {
            Runtime.getRuntime().addShutdownHook(hook);
        }
        Map<String, RequirementResult> results = new LinkedHashMap<>();
        boolean cleanedUp = false;
        try {
            for (CheckDefinition check : Checks.inExecutionOrder()) {
                if (check.id().equals(Checks.AFTER_CLEANUP) && connection != null) {
                    cleanUp(ctx, connection, manifest, plan, listener);
                    cleanedUp = true;
                }
                if (check.id().equals(Checks.FIRST_WRITING_CHECK) && connection != null
                        && results.getOrDefault("SIG-ENV-003", null) != null
                        && results.get("SIG-ENV-003").outcome() == Outcome.PASS) {
                    recoverLeftovers(ctx, connection, manifest, listener);
                }
                RequirementResult r = decide(check, ctx, catalog.get(check.id()), results, options);
                results.put(r.id(), r);
                listener.requirementFinished(r, Duration.between(startedAt, Instant.now()));
            }
        } finally {
            if (connection != null && !cleanedUp) {
                cleanUp(ctx, connection, manifest, plan, listener);
            }
        }

        List<RequirementResult> ordered = new ArrayList<>();
        for (Requirement req : catalog.requirements()) {
            RequirementResult r = results.get(req.id());
            if (r != null) {
                ordered.add(r);
            }
        }
        TargetIdentity identity = identity(ctx, connection, options);
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("runId", runId);
        settings.put("taskingUser", options.taskingUser());
        settings.put("windowLengthSeconds", options.windowLength().toMillis() / 1000.0);
        settings.put("repetitions", options.repetitions());
        settings.put("windowIds", plan.ids().stream().map(String::valueOf).toList());
        settings.put("reservedWindowIds", Window.RESERVED_FIRST + ".." + Window.RESERVED_LAST + ", "
                + Window.WIDE_FIRST + ".." + Window.WIDE_LAST);
        settings.put("include", List.copyOf(options.include()));
        settings.put("exclude", List.copyOf(options.exclude()));
        RunResult result = new RunResult(Kit.VERSION, catalog.version(), catalog.specVersion(),
                Verdict.of(ordered, options.strict()), identity, options.connection().hostKeyPolicy(),
                connection != null && connection.serverIdentity().hostKeyNewlyTrusted(), options.tiers(), options.strict(),
                startedAt, Instant.now(), ordered, connection == null ? List.of() : connection.transcript(),
                manifest.items(), connection == null ? 0 : connection.sessionsOpened(),
                connection == null ? 0 : connection.execRequests(), settings);
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
        for (String prerequisite : check.prerequisites()) {
            RequirementResult p = results.get(prerequisite);
            if (p != null && (p.outcome() == Outcome.FAIL || p.outcome() == Outcome.ERROR || p.outcome() == Outcome.SKIPPED)) {
                String root = p.outcome() == Outcome.SKIPPED ? p.blockedBy() : p.id();
                RequirementResult r = RequirementResult.of(requirement).skipped(root,
                        p.outcome() == Outcome.SKIPPED ? prerequisite + " could not run" : prerequisite + " is " + p.outcome());
                Checks.record(ctx, r);
                return r;
            }
        }
        return Checks.evaluate(check, ctx);
    }

    static boolean selected(Requirement requirement, RunOptions options) {
        boolean included = options.include().isEmpty() || options.include().contains(requirement.id())
                || requirement.tags().stream().anyMatch(options.include()::contains);
        boolean excluded = options.exclude().contains(requirement.id())
                || requirement.tags().stream().anyMatch(options.exclude()::contains);
        return included && !excluded;
    }

    private static void recoverLeftovers(CheckContext ctx, PayloadConnection connection, CleanupManifest manifest,
                                         ProgressListener listener) {
        PayloadFacts facts;
        try {
            facts = ctx.facts();
        } catch (RuntimeException e) {
            return;
        }
        if (facts.leftoverFiles().isEmpty() && facts.leftoverProcesses().isEmpty()) {
            return;
        }
        listener.step("removing what an earlier, interrupted sigkit run left on the payload");
        for (String f : facts.leftoverFiles()) {
            manifest.leftover(CleanupItem.Kind.FILE, f);
        }
        try {
            new Cleanup(connection, manifest).run(Cleanup.RESERVED_ID_PATTERNS);
        } catch (RuntimeException e) {
            LOG.warn("removing leftovers of an earlier run failed: {}", e.getMessage());
        }
    }

    private static void cleanUp(CheckContext ctx, PayloadConnection connection, CleanupManifest manifest, WindowPlan plan,
                                ProgressListener listener) {
        listener.step("removing everything the kit created on the payload");
        List<String> ids = plan.ids().stream().map(String::valueOf).toList();
        try {
            new Cleanup(connection, manifest).run(ids);
        } catch (RuntimeException first) {
            LOG.info("cleanup failed ({}); reconnecting once to retry", first.getMessage());
            try {
                connection.reconnect();
                new Cleanup(connection, manifest).run(ids);
            } catch (RuntimeException second) {
                LOG.warn("cleanup failed: {}", second.getMessage());
                for (CleanupItem item : manifest.pending()) {
                    manifest.resolved(item.kind(), item.target(), false, "not removed: " + second.getMessage());
                }
            }
        }
    }

    private static void emergencyCleanup(PayloadConnection connection, CleanupManifest manifest, WindowPlan plan) {
        if (connection == null || manifest.complete()) {
            return;
        }
        try {
            new Cleanup(connection, manifest).run(plan.ids().stream().map(String::valueOf).toList());
        } catch (RuntimeException e) {
            LOG.warn("cleanup on exit failed: {}", e.getMessage());
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
            LOG.debug("no facts for the identity: {}", e.getMessage());
        }
        return new TargetIdentity(id.address(), id.serverVersion(), id.hostKeyType(), id.hostKeyFingerprint(),
                options.connection().target().user(), shell, os, sha);
    }
}
