package io.sigkit.run;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sigkit.catalog.Tier;
import io.sigkit.check.CheckOptions;
import io.sigkit.probe.ProbeDocument;
import io.sigkit.transport.ConnectionSettings;
import io.sigkit.waiver.Waivers;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Everything one certification run needs, in one place: where and how to connect, the window the kit simulates, what
 * to check, and what the kit may do to the payload. Build with {@link #builder(ConnectionSettings)}.
 *
 * @param connection target, credentials and host-key policy
 * @param taskingUser the Tasking API user ID the kit's windows are created by (default {@value #DEFAULT_TASKING_USER})
 * @param taskingParameters the user's tasking parameters, placed in {@code signal_parameters.tasking_parameters}
 * @param uplinks files to uplink to the tasking user's inbox for SIG-CONF-003 (empty: a small kit-made file)
 * @param repetitions how many times configure is timed (SIG-CONF-002)
 * @param windowLength how far in the future the test windows end (the {@code -t} of the start signal)
 * @param include requirement IDs or tags to run (empty: all)
 * @param exclude requirement IDs or tags not to run
 * @param strict whether a RECOMMENDED failure fails the certification
 * @param allowClockSet the reversible tier: SIG-TIME-002 sets the clock to the payload's own time
 * @param allowDestructive the destructive tier: SIG-END-001 shuts the payload down
 * @param configureBudget the spec's bound on configure (15 s)
 * @param configureGrace how long past the budget the kit keeps waiting before it reports "still running"
 * @param startReturnBudget how quickly the start signal's SSH exec must complete (SIG-START-001)
 * @param endGrace how long past the window end payload_exec may take to exit (SIG-START-004)
 * @param shutdownCommand the shutdown command for SIG-END-001 ({@code null}: {@code sudo -n shutdown -h now},
 *                        or without sudo as root)
 * @param shutdownBound how long the payload may take to stop answering after the shutdown command
 * @param linkControl a hook that cuts and restores the payload's link (SIG-START-006), or {@code null}
 * @param lease how long the items a run created on the payload stay protected from other runs' leftover recovery
 *              without a heartbeat of this run (a live run refreshes its owner record every third of it; the items
 *              of a run killed without cleanup are removed by the first run that starts after the lease ran out)
 * @param waivers agreed deviations applied to the results before the verdict ({@link Waivers#none()} by default)
 * @param probes users' probes files (probes.v1): each probe is a check of its own, reported under the user's ID
 * @param profile the catalog profile to check ({@value io.sigkit.catalog.RequirementCatalog#DEFAULT_PROFILE}: the
 *                Signaling API; {@code delivery} adds the SIG-DLV requirements of a flight model's delivery)
 */
public record RunOptions(
        ConnectionSettings connection,
        String taskingUser,
        ObjectNode taskingParameters,
        List<Path> uplinks,
        int repetitions,
        Duration windowLength,
        Set<String> include,
        Set<String> exclude,
        boolean strict,
        boolean allowClockSet,
        boolean allowDestructive,
        Duration configureBudget,
        Duration configureGrace,
        Duration startReturnBudget,
        Duration endGrace,
        String shutdownCommand,
        Duration shutdownBound,
        LinkControl linkControl,
        Duration lease,
        Waivers waivers,
        List<ProbeDocument> probes,
        String profile) implements CheckOptions {

    public static final String DEFAULT_TASKING_USER = "sigkit";
    /** The default {@link #lease()}. */
    public static final Duration DEFAULT_LEASE = Duration.ofSeconds(60);

    public RunOptions {
        Objects.requireNonNull(connection, "connection");
        Objects.requireNonNull(taskingUser, "taskingUser");
        io.sigkit.schemas.PayloadExecCommands.requireValidUser(taskingUser);
        taskingParameters = taskingParameters == null ? JsonNodeFactory.instance.objectNode() : taskingParameters.deepCopy();
        uplinks = List.copyOf(uplinks == null ? List.of() : uplinks);
        include = Set.copyOf(include == null ? Set.of() : include);
        exclude = Set.copyOf(exclude == null ? Set.of() : exclude);
        probes = List.copyOf(probes == null ? List.of() : probes);
        if (repetitions < 1 || repetitions > 100) {
            throw new IllegalArgumentException("repetitions must be 1..100, was " + repetitions);
        }
        requirePositive(windowLength, "windowLength");
        requirePositive(configureBudget, "configureBudget");
        requireNonNegative(configureGrace, "configureGrace");
        requirePositive(startReturnBudget, "startReturnBudget");
        requireNonNegative(endGrace, "endGrace");
        requirePositive(shutdownBound, "shutdownBound");
        if (lease == null || lease.compareTo(Duration.ofSeconds(3)) < 0) {
            throw new IllegalArgumentException("lease must be at least 3 s, was " + lease);
        }
        waivers = waivers == null ? Waivers.none() : waivers;
        profile = io.sigkit.catalog.RequirementCatalog.load()
                .requireProfile(profile == null ? io.sigkit.catalog.RequirementCatalog.DEFAULT_PROFILE : profile);
    }


    private static void requirePositive(Duration d, String name) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be a positive duration, was " + d);
        }
    }

    private static void requireNonNegative(Duration d, String name) {
        if (d == null || d.isNegative()) {
            throw new IllegalArgumentException(name + " must not be negative, was " + d);
        }
    }

    public static Builder builder(ConnectionSettings connection) {
        return new Builder(connection);
    }

    /** The tiers this run may use: read-only and bus-equivalent always, plus those the user enabled. */
    public Set<Tier> tiers() {
        Set<Tier> tiers = EnumSet.of(Tier.READ_ONLY, Tier.BUS_EQUIVALENT);
        if (allowClockSet) {
            tiers.add(Tier.REVERSIBLE);
        }
        if (allowDestructive) {
            tiers.add(Tier.DESTRUCTIVE);
        }
        return tiers;
    }

    public Builder toBuilder() {
        Builder b = new Builder(connection);
        b.taskingUser = taskingUser;
        b.taskingParameters = taskingParameters;
        b.uplinks = new ArrayList<>(uplinks);
        b.repetitions = repetitions;
        b.windowLength = windowLength;
        b.include = new LinkedHashSet<>(include);
        b.exclude = new LinkedHashSet<>(exclude);
        b.strict = strict;
        b.allowClockSet = allowClockSet;
        b.allowDestructive = allowDestructive;
        b.configureBudget = configureBudget;
        b.configureGrace = configureGrace;
        b.startReturnBudget = startReturnBudget;
        b.endGrace = endGrace;
        b.shutdownCommand = shutdownCommand;
        b.shutdownBound = shutdownBound;
        b.linkControl = linkControl;
        b.lease = lease;
        b.waivers = waivers;
        b.probes = new ArrayList<>(probes);
        b.profile = profile;
        return b;
    }

    /** Builds {@link RunOptions}; defaults are the kit's documented defaults. */
    public static final class Builder {
        private final ConnectionSettings connection;
        private String taskingUser = DEFAULT_TASKING_USER;
        private ObjectNode taskingParameters = defaultTaskingParameters();
        private List<Path> uplinks = new ArrayList<>();
        private Duration lease = DEFAULT_LEASE;
        private int repetitions = 3;
        private Duration windowLength = Duration.ofSeconds(5);
        private Set<String> include = new LinkedHashSet<>();
        private Set<String> exclude = new LinkedHashSet<>();
        private boolean strict;
        private boolean allowClockSet;
        private boolean allowDestructive;
        private Duration configureBudget = Duration.ofSeconds(15);
        private Duration configureGrace = Duration.ofSeconds(5);
        private Duration startReturnBudget = Duration.ofSeconds(2);
        private Duration endGrace = Duration.ofSeconds(2);
        private String shutdownCommand;
        private Duration shutdownBound = Duration.ofSeconds(60);
        private LinkControl linkControl;
        private Waivers waivers = Waivers.none();
        private List<ProbeDocument> probes = new ArrayList<>();
        private String profile = io.sigkit.catalog.RequirementCatalog.DEFAULT_PROFILE;

        private Builder(ConnectionSettings connection) {
            this.connection = Objects.requireNonNull(connection, "connection");
        }

        private static ObjectNode defaultTaskingParameters() {
            ObjectNode node = JsonNodeFactory.instance.objectNode();
            node.put("purpose", "sigkit conformance test window");
            return node;
        }

        public Builder taskingUser(String user) {
            this.taskingUser = user;
            return this;
        }

        public Builder taskingParameters(ObjectNode parameters) {
            this.taskingParameters = parameters;
            return this;
        }

        public Builder uplink(Path file) {
            this.uplinks.add(file);
            return this;
        }

        public Builder repetitions(int n) {
            this.repetitions = n;
            return this;
        }

        public Builder windowLength(Duration length) {
            this.windowLength = length;
            return this;
        }

        public Builder include(String idOrTag) {
            this.include.add(idOrTag);
            return this;
        }

        public Builder exclude(String idOrTag) {
            this.exclude.add(idOrTag);
            return this;
        }

        public Builder strict(boolean strict) {
            this.strict = strict;
            return this;
        }

        public Builder allowClockSet(boolean allow) {
            this.allowClockSet = allow;
            return this;
        }

        public Builder allowDestructive(boolean allow) {
            this.allowDestructive = allow;
            return this;
        }

        public Builder configureBudget(Duration budget) {
            this.configureBudget = budget;
            return this;
        }

        public Builder configureGrace(Duration grace) {
            this.configureGrace = grace;
            return this;
        }

        public Builder startReturnBudget(Duration budget) {
            this.startReturnBudget = budget;
            return this;
        }

        public Builder endGrace(Duration grace) {
            this.endGrace = grace;
            return this;
        }

        public Builder shutdownCommand(String command) {
            this.shutdownCommand = command;
            return this;
        }

        public Builder shutdownBound(Duration bound) {
            this.shutdownBound = bound;
            return this;
        }

        public Builder linkControl(LinkControl control) {
            this.linkControl = control;
            return this;
        }

        /** Adds a user's probes file (see {@link ProbeDocument#readUserFile}); its probes become checks of their own. */
        public Builder probes(ProbeDocument document) {
            this.probes.add(Objects.requireNonNull(document, "document"));
            return this;
        }

        /** See {@link RunOptions#lease()}; at least 3 s. */
        public Builder lease(Duration lease) {
            this.lease = lease;
            return this;
        }

        /** Agreed deviations to apply to the results (see {@link Waivers}). */
        public Builder waivers(Waivers waivers) {
            this.waivers = waivers;
            return this;
        }

        /** The catalog profile to check (default: the Signaling API alone); {@code delivery} adds SIG-DLV. */
        public Builder profile(String profile) {
            this.profile = profile;
            return this;
        }

        public RunOptions build() {
            return new RunOptions(connection, taskingUser, taskingParameters, uplinks, repetitions, windowLength,
                    include, exclude, strict, allowClockSet, allowDestructive, configureBudget, configureGrace,
                    startReturnBudget, endGrace, shutdownCommand, shutdownBound, linkControl, lease, waivers,
                    probes, profile);
        }
    }
}
