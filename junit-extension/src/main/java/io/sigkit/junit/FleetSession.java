package io.sigkit.junit;

import io.sigkit.check.RequirementResult;
import io.sigkit.inventory.Inventory;
import io.sigkit.inventory.InventoryException;
import io.sigkit.junit.SettingsResolver.Found;
import io.sigkit.run.Certification;
import io.sigkit.run.ProgressListener;
import io.sigkit.run.RunOptions;
import io.sigkit.run.RunResult;
import io.sigkit.text.SafeText;
import io.sigkit.transport.TransportException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.function.Executable;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What one {@link SignalingApiFleetConformanceTests} class shares: the inventory it read (or why it could not), each
 * target's settings (or why they are wrong) and the certifications, run in parallel ({@code sigkit.parallel} at a time)
 * from this JVM, as {@code sigkit certify --inventory} runs them. A target that is wrong, cannot be reached or ends in
 * an internal error never stops the others: its container says so in one line naming it.
 *
 * <p>Closed by JUnit with the class's Store (as {@link AutoCloseable} by JUnit 5.13+ and 6, as
 * {@link ExtensionContext.Store.CloseableResource} by 5.10 to 5.12): certifications still running are interrupted,
 * and each removes what it created on its payload before it ends.
 */
@SuppressWarnings("deprecation") // Store.CloseableResource: the only way JUnit 5.10-5.12 close Store values
final class FleetSession implements AutoCloseable, ExtensionContext.Store.CloseableResource {

    private static final Logger LOG = LoggerFactory.getLogger(FleetSession.class);

    /** Most targets certified at a time, as {@code sigkit certify --parallel}. */
    static final int MAX_PARALLEL = 32;

    /** Bound on waiting for one target's certification, once its container runs. */
    static final Duration TARGET_BOUND = Duration.ofHours(1);

    /** Bound on waiting for interrupted certifications to remove what they created, when the class closes. */
    private static final Duration CLOSE_BOUND = Duration.ofSeconds(60);

    /**
     * One target of the inventory, with its settings or why they are wrong.
     *
     * @param target the inventory's target
     * @param settings its resolved settings, null when {@code problem} is set
     * @param uplinks the inventory's files to uplink for it
     * @param problem why its settings are wrong, one line naming the inventory, the target and the setting
     */
    record Member(Inventory.Target target, SigkitSettings settings, List<Path> uplinks, String problem) {
    }

    private final Inventory inventory;
    private final String inventorySource;
    private final List<Member> members;
    private final int parallel;
    private final ExtensionConfigurationException misconfiguration;
    private ExecutorService pool;
    private boolean closed;

    private FleetSession(Inventory inventory, String inventorySource, List<Member> members, int parallel,
                         ExtensionConfigurationException misconfiguration) {
        this.inventory = inventory;
        this.inventorySource = inventorySource;
        this.members = members == null ? List.of() : List.copyOf(members);
        this.parallel = parallel;
        this.misconfiguration = misconfiguration;
    }

    /**
     * Reads the inventory named by {@code fleet}'s {@code sigkit.inventory} and resolves each target's settings with
     * {@code perTarget} (given the target's inventory settings as the last source before the defaults). A wrong
     * inventory is kept and thrown by {@link #requireInventory()}; a wrong target is kept in its member.
     */
    static FleetSession of(SettingsResolver fleet, Function<InventorySettings, SettingsResolver> perTarget) {
        Found file;
        int parallel;
        Inventory inventory;
        try {
            file = fleet.inventoryFile();
            Optional<Integer> given = fleet.parallel(MAX_PARALLEL);
            try {
                inventory = Inventory.load(Path.of(file.value()));
            } catch (InventoryException e) {
                throw new ExtensionConfigurationException("sigkit: " + oneLine(e.getMessage()) + " ("
                        + Setting.INVENTORY.key() + " from " + file.source() + ")", e);
            }
            parallel = Math.min(inventory.targets().size(), given.orElse(MAX_PARALLEL));
        } catch (ExtensionConfigurationException e) {
            return new FleetSession(null, null, null, 0, e);
        }
        List<Member> members = new ArrayList<>();
        for (Inventory.Target t : inventory.targets()) {
            try {
                InventorySettings layer = InventorySettings.of(inventory, t);
                members.add(new Member(t, perTarget.apply(layer).resolve(), layer.uplinks(), null));
            } catch (ExtensionConfigurationException e) {
                members.add(new Member(t, null, List.of(), where(inventory, t) + ": "
                        + oneLine(e.getMessage().replaceFirst("^sigkit: ", ""))));
            }
        }
        return new FleetSession(inventory, file.source(), members, parallel, null);
    }

    /** The inventory was read; else its misconfiguration is thrown, naming the file and where in it. */
    void requireInventory() {
        if (misconfiguration != null) {
            throw misconfiguration;
        }
    }

    /** Every target's settings, or why they are wrong (for tests of this class). */
    List<Member> members() {
        requireInventory();
        return members;
    }

    /**
     * Starts every target's certification ({@code parallel} at a time) and returns one container per target, in the
     * inventory's order, named by the target: its tests are the single-payload class's (one per requirement, then
     * the cleanup), each waiting for its target's run when JUnit reaches it; a target that is wrong, unreachable or
     * ends in an internal error has one test saying so instead.
     *
     * @param customize the class's hook: changes a target's run options, given its name
     */
    synchronized List<DynamicContainer> containers(BiFunction<String, RunOptions.Builder, RunOptions.Builder> customize) {
        requireInventory();
        if (closed) {
            throw new IllegalStateException("sigkit: the fleet of " + inventory.file() + " was already closed");
        }
        if (pool != null) {
            throw new IllegalStateException("sigkit: the fleet of " + inventory.file() + " was already certified for"
                    + " this class; its containers are made once");
        }
        AtomicInteger n = new AtomicInteger();
        pool = Executors.newFixedThreadPool(parallel, r -> {
            Thread t = new Thread(r, "sigkit-fleet-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        LOG.info("sigkit: certifying {} target(s) of {} ({}), {} at a time", members.size(), inventory.file(),
                inventorySource, parallel);
        List<DynamicContainer> containers = new ArrayList<>();
        for (Member m : members) {
            Pending run = m.problem() != null ? null : start(m, customize);
            String name = SafeText.escapeLine(m.target().name());
            containers.add(DynamicContainer.dynamicContainer(name,
                    Stream.of(m).flatMap(x -> nodes(x, run).stream())));
        }
        return containers;
    }

    /** A target's certification, started: its result or what went wrong, when asked. */
    private interface Pending {
        Outcome get();
    }

    /** What became of one target's certification. */
    private record Outcome(RunResult result, String problem) {
    }

    private Pending start(Member m, BiFunction<String, RunOptions.Builder, RunOptions.Builder> customize) {
        RunOptions options;
        try {
            RunOptions.Builder b = m.settings().runOptions();
            m.uplinks().forEach(b::uplink);
            options = customize.apply(m.target().name(), b).build();
        } catch (RuntimeException e) {
            String problem = where(inventory, m.target()) + ": its run options are invalid: "
                    + e.getClass().getSimpleName() + ": " + oneLine(e.getMessage());
            return () -> new Outcome(null, problem);
        }
        String name = m.target().name();
        Future<RunResult> future = pool.submit(() -> {
            Instant start = Instant.now();
            RunResult r = Certification.run(options, new Progress(name));
            LOG.info("sigkit: {} certified: {} in {} ms", name, r.verdict(),
                    Duration.between(start, Instant.now()).toMillis());
            return r;
        });
        return () -> {
            try {
                return new Outcome(future.get(TARGET_BOUND.toMillis(), TimeUnit.MILLISECONDS), null);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                future.cancel(true);
                return new Outcome(null, describe(m) + " was interrupted before its certification ended");
            } catch (TimeoutException e) {
                future.cancel(true);
                return new Outcome(null, describe(m) + " was not certified within " + TARGET_BOUND.toMinutes()
                        + " min; its certification was stopped");
            } catch (ExecutionException e) {
                Throwable cause = e.getCause() == null ? e : e.getCause();
                return new Outcome(null, describe(m) + ": internal error of the kit: " + cause.getClass().getSimpleName()
                        + ": " + oneLine(String.valueOf(cause.getMessage())));
            }
        };
    }

    /** The tests of one target's container, once its certification ended. */
    private List<DynamicNode> nodes(Member m, Pending run) {
        String name = m.target().name();
        if (m.problem() != null) {
            String problem = m.problem();
            return List.of(DynamicTest.dynamicTest("sigkit settings of " + SafeText.escapeLine(name), () -> {
                throw new ExtensionConfigurationException("sigkit: " + problem);
            }));
        }
        Outcome outcome = run.get();
        if (outcome.problem() != null) {
            return List.of(DynamicTest.dynamicTest("sigkit certifies " + SafeText.escapeLine(name), () -> {
                throw new AssertionFailedError("sigkit: " + outcome.problem());
            }));
        }
        RunResult result = outcome.result();
        if (result.sessionsOpened() == 0) {
            boolean unreachable = unreachable(result);
            String line = describe(m) + (unreachable ? " is unreachable: " : ": cannot log in: ")
                    + oneLine(loginFailure(result)) + " (nothing was certified)";
            boolean skip = unreachable && m.settings().disabledWhenUnreachable();
            return List.of(DynamicTest.dynamicTest("sigkit connects to " + SafeText.escapeLine(name), () -> {
                if (skip) {
                    throw new TestAbortedException("sigkit: " + line + " and " + Setting.DISABLED_WHEN_UNREACHABLE.key()
                            + " is true");
                }
                throw new AssertionFailedError("sigkit: " + line);
            }));
        }
        List<DynamicTest> tests = new ArrayList<>(RequirementCheck.dynamicTests(result));
        DynamicTest first = tests.get(0);
        tests.set(0, DynamicTest.dynamicTest(first.getDisplayName(), new TargetRun(result, first.getExecutable())));
        return List.copyOf(tests);
    }

    /**
     * The first test of a certified target's container: the extension publishes the run's report entry (verdict,
     * target, ...) on the container when it runs, as the single-payload class does on its factory.
     */
    record TargetRun(RunResult run, Executable test) implements Executable {
        @Override
        public void execute() throws Throwable {
            test.execute();
        }
    }

    /** {@code fm-003 (ssh://sigapi@10.0.0.4:22, inventory fleet.yaml /targets/3)}. */
    private String describe(Member m) {
        return m.target().name() + " (" + SafeText.escapeLine(m.target().login()) + ", inventory " + inventory.file()
                + " " + m.target().pointer() + ")";
    }

    private static String where(Inventory inventory, Inventory.Target t) {
        return "inventory " + inventory.file() + " " + t.pointer() + " (" + t.name() + ")";
    }

    /** Whether nobody answered at the target (the SSH daemon check records the transport's failure). */
    private static boolean unreachable(RunResult result) {
        Object kind = result.result("SIG-ENV-002").map(r -> r.evidence().get("kind")).orElse(null);
        return kind != null && PayloadSession.UNREACHABLE.stream().anyMatch(k -> k.name().equals(kind.toString()));
    }

    /** Why the kit could not log in, as the transport said it (as {@code sigkit certify} says it). */
    private static String loginFailure(RunResult result) {
        for (String id : List.of("SIG-ENV-002", "SIG-ENV-003")) {
            Object error = result.result(id).map(r -> r.evidence().get("error")).orElse(null);
            if (error instanceof String s && !s.isBlank()) {
                return s;
            }
        }
        return result.results().stream()
                .filter(r -> r.outcome() == io.sigkit.check.Outcome.FAIL || r.outcome() == io.sigkit.check.Outcome.ERROR)
                .map(RequirementResult::message).findFirst()
                .orElse("could not log in to " + result.target().address());
    }

    /** One line: line breaks become {@code "; "}, other control characters are shown escaped. */
    static String oneLine(String s) {
        return s == null ? "" : SafeText.escapeLine(s.replaceAll("\\s*(?:\\r?\\n)+\\s*", "; ").strip());
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (pool != null) {
            pool.shutdownNow();
            try {
                if (!pool.awaitTermination(CLOSE_BOUND.toSeconds(), TimeUnit.SECONDS)) {
                    LOG.warn("sigkit: certifications of {} still running {} s after they were interrupted",
                            inventory.file(), CLOSE_BOUND.toSeconds());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Logs a target's progress at debug level; results reach the user only as tests. */
    private record Progress(String name) implements ProgressListener {
        @Override
        public void step(String description) {
            LOG.debug("sigkit: {}: {}", name, description);
        }

        @Override
        public void requirementFinished(RequirementResult result, Duration elapsed) {
            LOG.debug("sigkit: {}: {} evaluated after {} ms", name, result.id(), elapsed.toMillis());
        }
    }
}
