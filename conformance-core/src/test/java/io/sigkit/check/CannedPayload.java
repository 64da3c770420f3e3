package io.sigkit.check;

import io.sigkit.bus.SignalResult;
import io.sigkit.probe.PayloadFacts;
import io.sigkit.probe.ProbeDocument;
import io.sigkit.run.RunOptions;
import io.sigkit.timing.ClockOffset;
import io.sigkit.transport.ConnectionSettings;
import io.sigkit.transport.ExecResult;
import io.sigkit.transport.HostKeyPolicy;
import io.sigkit.transport.SecretSource;
import io.sigkit.transport.ServerIdentity;
import io.sigkit.transport.SshTarget;
import io.sigkit.transport.TransportException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * Canned {@link PayloadObservations}: a payload that answers as the test says, with no SSH connection. By default it is
 * a conformant payload ({@link CannedFacts#conformant()}, login succeeds, clock in step, the shutdown takes it down);
 * each test changes the one answer whose branch it proves.
 */
final class CannedPayload implements PayloadObservations {
    static final String TARGET = "ssh://sigapi@payload.test:22";

    private ServerIdentity identity = new ServerIdentity("192.0.2.7:22", "SSH-2.0-OpenSSH_9.2p1", "ssh-ed25519",
            "SHA256:cannedcannedcannedcannedcannedcannedcanned", Duration.ofMillis(12), "publickey",
            HostKeyPolicy.STRICT, false);
    private ExecResult login = exec("true", 0, "");
    private CannedFacts facts = CannedFacts.conformant();
    private RuntimeException factsFailure;
    private final Deque<ClockOffset> clocks = new ArrayDeque<>();
    private ClockOffset clock = offset(Duration.ofMillis(3));
    private RuntimeException clockFailure;
    private final Set<String> existing = new HashSet<>();
    private boolean everythingExists = true;
    private SignalResult setClock;
    private SignalResult shutdown;
    private TransportException shutdownDrops;
    private int answersBeforeGone = 0;
    private boolean neverGone;
    private final List<ProbeDocument> probes = new ArrayList<>();
    final List<String> actions = new ArrayList<>();

    static CannedPayload conformant() {
        return new CannedPayload();
    }

    /** Options of a run against the canned payload; {@code change} sets tiers and bounds. */
    static RunOptions options(UnaryOperator<RunOptions.Builder> change) {
        // never read: the canned payload has no SSH server; a credential is only required to build the settings
        ConnectionSettings settings = ConnectionSettings.builder(SshTarget.parse(TARGET))
                .password(SecretSource.environment("SIGKIT_CANNED_PAYLOAD_PASSWORD")).build();
        return change.apply(RunOptions.builder(settings)).build();
    }

    /** A context over this payload with default options. */
    CheckContext context() {
        return context(b -> b);
    }

    CheckContext context(UnaryOperator<RunOptions.Builder> change) {
        return CheckContext.canned(options(b -> {
            probes.forEach(b::probes);
            return change.apply(b);
        }), this).build();
    }

    /** A user's probes file of the run: its probes' facts are read with it (put their sections in the facts). */
    CannedPayload probes(ProbeDocument document) {
        probes.add(document);
        return this;
    }

    /** Evaluates one check on this payload with default options, as a run does (an exception becomes ERROR). */
    RequirementResult check(String id) {
        return check(id, b -> b);
    }

    /** Evaluates one check on this payload with these options. */
    RequirementResult check(String id, UnaryOperator<RunOptions.Builder> change) {
        return check(id, context(change));
    }

    /** Evaluates one check in a context. */
    static RequirementResult check(String id, CheckContext ctx) {
        CheckDefinition definition = Checks.inExecutionOrder().stream().filter(c -> c.id().equals(id)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no check " + id));
        return Checks.evaluate(definition, ctx);
    }

    static ExecResult exec(String command, Integer exit, String stderr) {
        return new ExecResult(1, command, exit, null, "", stderr, false, false, Duration.ofMillis(4), Duration.ofMillis(5),
                false);
    }

    static ExecResult timedOut(String command) {
        return new ExecResult(1, command, null, null, "", "", false, false, null, null, true);
    }

    static ClockOffset offset(Duration offset) {
        Instant sent = Instant.parse("2026-11-30T12:00:00Z");
        Instant received = sent.plusMillis(20);
        return ClockOffset.estimate(List.of(new ClockOffset.Sample(sent, received, sent.plusMillis(10).plus(offset))),
                Duration.ofNanos(1));
    }

    CannedPayload identity(ServerIdentity id) {
        this.identity = id;
        return this;
    }

    CannedPayload login(ExecResult result) {
        this.login = result;
        return this;
    }

    CannedPayload facts(UnaryOperator<CannedFacts> change) {
        this.facts = change.apply(facts);
        return this;
    }

    CannedPayload factsFail(RuntimeException failure) {
        this.factsFailure = failure;
        return this;
    }

    /** The offset every measurement gives, unless {@link #thenClock} queued others. */
    CannedPayload clock(Duration offset) {
        this.clock = offset(offset);
        return this;
    }

    /** Every clock measurement fails this way. */
    CannedPayload clockFails(RuntimeException failure) {
        this.clockFailure = failure;
        return this;
    }

    /** Queues the offsets of the next measurements, in order. */
    CannedPayload thenClock(Duration... offsets) {
        for (Duration d : offsets) {
            clocks.add(offset(d));
        }
        return this;
    }

    /** Only these paths exist (SIG-CFG-002). */
    CannedPayload onlyExisting(String... paths) {
        everythingExists = false;
        existing.addAll(List.of(paths));
        return this;
    }

    CannedPayload setClockResult(SignalResult result) {
        this.setClock = result;
        return this;
    }

    CannedPayload shutdownResult(SignalResult result) {
        this.shutdown = result;
        return this;
    }

    CannedPayload shutdownDropsConnection(TransportException e) {
        this.shutdownDrops = e;
        return this;
    }

    /** After the shutdown, the payload still answers this many logins before it is gone. */
    CannedPayload answersAfterShutdown(int n) {
        this.answersBeforeGone = n;
        return this;
    }

    /** After the shutdown, the payload keeps answering. */
    CannedPayload neverGoesDown() {
        this.neverGone = true;
        return this;
    }

    @Override
    public ServerIdentity serverIdentity() {
        return identity;
    }

    @Override
    public ExecResult login() {
        actions.add("login");
        return login;
    }

    @Override
    public PayloadFacts facts() {
        actions.add("facts");
        if (factsFailure != null) {
            throw factsFailure;
        }
        List<ProbeDocument> documents = new ArrayList<>(List.of(ProbeDocument.catalog()));
        documents.addAll(probes);
        return facts.facts(documents);
    }

    @Override
    public ClockOffset measureClock(int samples) {
        actions.add("clock " + samples);
        if (clockFailure != null) {
            throw clockFailure;
        }
        return clocks.isEmpty() ? clock : clocks.poll();
    }

    @Override
    public boolean exists(String path) {
        return everythingExists || existing.contains(path);
    }

    @Override
    public SignalResult setClock(String tool, boolean viaSudo, Duration timeout) {
        String command = (viaSudo ? "sudo -n " : "") + (tool.equals("date") ? "date -s \"@$(date +%s)\""
                : "timedatectl set-time \"$(date '+%Y-%m-%d %H:%M:%S')\"");
        actions.add("set clock: " + command);
        return setClock != null ? setClock : new SignalResult("set-clock", -1, command, exec(command, 0, ""));
    }

    @Override
    public SignalResult shutdown(String command, Duration timeout) {
        actions.add("shutdown: " + command);
        if (shutdownDrops != null) {
            throw shutdownDrops;
        }
        return shutdown != null ? shutdown : new SignalResult("shutdown", -1, command, exec(command, 0, ""));
    }

    @Override
    public void answer() {
        actions.add("answer");
        if (neverGone || answersBeforeGone-- > 0) {
            return;
        }
        throw new TransportException(TransportException.Kind.UNREACHABLE, "connection refused by payload.test:22");
    }
}
