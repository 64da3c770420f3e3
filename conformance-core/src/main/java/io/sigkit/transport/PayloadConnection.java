package io.sigkit.transport;

import io.sigkit.text.SafeText;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;

import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.kex.KexProposalOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One SSH connection to a payload, used as the satellite bus uses it: commands run over exec channels through the
 * user's login shell, without a pseudo-terminal, with stdin at EOF, each timed to its exit status and to its channel's
 * close.
 *
 * <p>The connection keeps one SSH session open until {@link #close()} (through the route's bastions, if any);
 * {@link #reconnect()} replaces it with a new one (the session index in results and transcript increments). Every
 * command is recorded in {@link #transcript()}. Each hop's host key is checked against its own known_hosts entry under
 * its own policy; no {@code ~/.ssh/config} is read unless the settings name one, and then by sigkit's resolver, not
 * MINA's. A want-reply keepalive (every 5 s by default, 3 missed replies: ServerAliveInterval and ServerAliveCountMax)
 * notices a dead link; calls then fail as CONNECTION_LOST. TCP_NODELAY is on.
 *
 * <pre>{@code
 * try (PayloadConnection c = PayloadConnection.open(settings)) {
 *     ExecResult r = c.exec("payload_exec -e -w 9000000017 > /dev/null", Duration.ofSeconds(20));
 * }
 * }</pre>
 *
 * <p>Methods may be called from several threads; each exec uses its own channel. The work is shared out:
 * {@link RouteResolver} (which servers, with which settings), {@link ClientFactory} (the MINA client),
 * {@link HopConnector} and {@link ConnectDiagnosis} (logging in, hop by hop, and saying why not), {@link ExecRunner}
 * (commands) and {@link RemoteFiles} (files).
 */
public final class PayloadConnection implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PayloadConnection.class);

    private final ConnectionSettings settings;
    private final String agentSocket;
    private final SshClient client;
    private final Map<Integer, Identities.HopKeys> keys;
    private final ExecutorService workers;
    private final AtomicInteger sessionsOpened = new AtomicInteger();
    private final AtomicInteger execRequests = new AtomicInteger();
    private final AtomicInteger sftpOperations = new AtomicInteger();
    private final List<TranscriptEntry> transcript = Collections.synchronizedList(new ArrayList<>());
    private final ExecRunner runner;
    private final RemoteFiles files;

    private final Object lifecycle = new Object();
    /** Execs share the session; {@link #exclusively} runs alone on it (reentrant for its own thread). */
    private final ReentrantReadWriteLock gate = new ReentrantReadWriteLock(true);
    private volatile HopConnector.Connected connected;
    private volatile int sessionIndex;
    private volatile ServerIdentity identity;
    private volatile FileMechanism fileMechanism;
    private volatile boolean closed;

    private PayloadConnection(ConnectionSettings settings, Map<String, String> environment,
            Map<Integer, Identities.HopKeys> keys) {
        this.settings = settings;
        this.agentSocket = environment.get("SSH_AUTH_SOCK");
        this.keys = keys;
        this.workers = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "sigkit-transport-" + settings.target().address());
            t.setDaemon(true);
            return t;
        });
        this.client = ClientFactory.acquire(settings, environment);
        this.runner = new ExecRunner(settings.target(), settings.defaultCallTimeout(), workers, execRequests, transcript,
                this::lost);
        this.files = new RemoteFiles(this);
    }

    /**
     * Connects and authenticates to the settings' target, through its bastions if any.
     *
     * @param settings route, credentials, host key policy and timeouts
     * @return an open connection (session 1)
     * @throws TransportException with a one-line message naming the hop that failed (the payload, or which bastion),
     *     the address and port used and, for a refused login, the user and the keys tried
     */
    public static PayloadConnection open(ConnectionSettings settings) {
        return open(settings, System.getenv());
    }

    /** As {@link #open(ConnectionSettings)}, with the environment secrets and SSH_AUTH_SOCK are read from. */
    static PayloadConnection open(ConnectionSettings settings, Map<String, String> environment) {
        Map<Integer, Identities.HopKeys> keys = new HashMap<>();
        for (Hop hop : settings.route().hops()) {
            keys.put(hop.index(), Identities.load(hop.identities(), settings.passphrase(), environment));
        }
        if (settings.useAgent()) {
            String socket = environment.get("SSH_AUTH_SOCK");
            if (socket == null || socket.isBlank()) {
                throw new TransportException(TransportException.Kind.AUTH_FAILED, "ssh-agent requested for "
                        + settings.target().login() + " but SSH_AUTH_SOCK is not set (start ssh-agent and ssh-add a key)");
            }
            if (!Files.exists(Path.of(socket))) {
                throw new TransportException(TransportException.Kind.AUTH_FAILED, "ssh-agent requested for "
                        + settings.target().login() + " but SSH_AUTH_SOCK=" + socket + " does not exist");
            }
        }
        if (settings.password().isPresent()) {
            settings.password().get().read(environment, TransportException.Kind.AUTH_FAILED,
                    "password for " + settings.target().login());
        }
        PayloadConnection c = new PayloadConnection(settings, environment, keys);
        try {
            c.connect();
            return c;
        } catch (RuntimeException e) {
            c.shutdownClient();
            throw e;
        }
    }

    private void connect() {
        HopConnector.Connected route = new HopConnector(settings, client, keys, agentSocket).connect();
        ClientSession s = route.session();
        HopAttempt target = route.target();
        KnownHostsVerifier.Check check = target.verifier.last().orElse(null);
        String keyType = s.getServerKey() == null ? "unknown" : KeyUtils.getKeyType(s.getServerKey());
        String fingerprint = s.getServerKey() == null ? "unknown" : KnownHostsVerifier.fingerprint(s.getServerKey());
        synchronized (lifecycle) {
            this.connected = route;
            this.sessionIndex = sessionsOpened.incrementAndGet();
            this.fileMechanism = null;
            this.identity = new ServerIdentity(target.hop.address(), String.valueOf(s.getServerVersion()), keyType,
                    fingerprint, route.handshake(), target.methodSucceeded == null ? "none" : target.methodSucceeded,
                    target.hop.hostKeyPolicy(),
                    check != null && check.outcome() == KnownHostsVerifier.Outcome.NEWLY_TRUSTED);
        }
        LOG.info("session {} to {} open{}: {} {} {}, {}, {} in {} ms", sessionIndex, settings.target().login(),
                route.sessions().size() > 1 ? " through " + (route.sessions().size() - 1) + " bastion(s)" : "",
                SafeText.escapeLine(identity.serverVersion()), keyType, fingerprint,
                s.getNegotiatedKexParameter(KexProposalOption.ALGORITHMS),
                identity.authMethod(), route.handshake().toMillis());
    }

    // ---------------------------------------------------------------------------------------------- lifecycle

    /**
     * Closes the current SSH session (and those to the bastions) and opens a new one; the session index increments.
     *
     * @throws TransportException if the new session cannot be opened
     */
    public void reconnect() {
        synchronized (lifecycle) {
            ensureNotClosed();
            closeFiles();
            HopConnector.Connected old = connected;
            if (old != null) {
                old.close();
            }
            LOG.info("session {} to {} closed for a reconnect", sessionIndex, settings.target().login());
            connect();
        }
    }

    /** Closes the session and releases the client; further calls fail. */
    @Override
    public void close() {
        synchronized (lifecycle) {
            if (closed) {
                return;
            }
            closed = true;
            closeFiles();
            HopConnector.Connected c = connected;
            if (c != null) {
                c.close();
            }
            shutdownClient();
            LOG.debug("connection to {} closed after {} sessions and {} exec requests", settings.target().login(),
                    sessionsOpened.get(), execRequests.get());
        }
    }

    private void closeFiles() {
        FileMechanism mechanism = fileMechanism;
        fileMechanism = null;
        if (mechanism != null) {
            mechanism.close();
        }
    }

    private void shutdownClient() {
        workers.shutdownNow();
        ClientFactory.release(client);
    }

    private void ensureNotClosed() {
        if (closed) {
            throw new IllegalStateException("connection to " + settings.target() + " is closed");
        }
    }

    private ClientSession session() {
        HopConnector.Connected c = connected;
        return c == null ? null : c.session();
    }

    /** Whether every session of the route is open (false once a keepalive found the link dead). */
    boolean sessionOpen() {
        HopConnector.Connected c = connected;
        return c != null && c.sessions().stream().allMatch(ClientSession::isOpen);
    }

    /**
     * The settings this connection was opened with.
     *
     * @return the settings
     */
    public ConnectionSettings settings() {
        return settings;
    }

    /**
     * Who answered, and how the kit came to trust it (for the current session).
     *
     * @return the identity
     */
    public ServerIdentity serverIdentity() {
        return identity;
    }

    /**
     * Index of the current SSH session (1 for the first).
     *
     * @return the index
     */
    public int sessionIndex() {
        return sessionIndex;
    }

    /**
     * SSH sessions opened so far, reconnects included.
     *
     * @return the count
     */
    public int sessionsOpened() {
        return sessionsOpened.get();
    }

    /**
     * Exec requests sent so far, including those of the exec file fallback.
     *
     * @return the count
     */
    public int execRequests() {
        return execRequests.get();
    }

    /**
     * SFTP operations done so far (open-write-close, read, stat, setstat, remove, mkdir, rmdir each count one).
     *
     * @return the count
     */
    public int sftpOperations() {
        return sftpOperations.get();
    }

    /**
     * Every command run so far, in order.
     *
     * @return an immutable snapshot
     */
    public List<TranscriptEntry> transcript() {
        synchronized (transcript) {
            return List.copyOf(transcript);
        }
    }

    /**
     * File operations on the payload, over SFTP when the server offers it and over exec otherwise.
     *
     * @return the files facade
     */
    public RemoteFiles files() {
        return files;
    }

    // ---------------------------------------------------------------------------------------------- exec

    /**
     * Runs a command with stdin at EOF.
     *
     * @param command the command line, sent verbatim
     * @param timeout how long to wait for the channel to close
     * @return the result; {@link ExecResult#timedOut()} if the timeout passed
     * @throws TransportException of kind CONNECTION_LOST if the session broke
     */
    public ExecResult exec(String command, Duration timeout) {
        return exec(ExecRequest.of(command).withTimeout(timeout));
    }

    /**
     * Runs a command, writing the given bytes to its stdin and then EOF.
     *
     * @param command the command line, sent verbatim
     * @param stdin the bytes for stdin
     * @param timeout how long to wait for the channel to close
     * @return the result; {@link ExecResult#timedOut()} if the timeout passed
     * @throws TransportException of kind CONNECTION_LOST if the session broke
     */
    public ExecResult exec(String command, byte[] stdin, Duration timeout) {
        return exec(ExecRequest.of(command).withStdin(stdin).withTimeout(timeout));
    }

    /**
     * Runs a command as described by the request (stdin, timeout, transcript label).
     *
     * @param request the command and its options
     * @return the result; {@link ExecResult#timedOut()} if the timeout passed; its stdout and stderr hold at most the
     *     settings' output cap each, {@link ExecResult#stdoutTruncated()} and {@link ExecResult#stderrTruncated()} say
     *     when more was sent
     * @throws TransportException of kind CONNECTION_LOST if the session broke
     */
    public ExecResult exec(ExecRequest request) {
        return run(request, settings.outputCap()).result();
    }

    /**
     * A result, the raw stdout bytes kept and how many stdout bytes were sent in all (for file reads over exec).
     *
     * @param result the result
     * @param stdout the stdout bytes kept
     * @param stdoutTotal the stdout bytes sent, kept or not
     */
    record Raw(ExecResult result, byte[] stdout, long stdoutTotal) {
    }

    Raw run(ExecRequest request, int cap) {
        ensureNotClosed();
        gate.readLock().lock();
        try {
            return runner.run(session(), sessionIndex, request, cap);
        } finally {
            gate.readLock().unlock();
        }
    }

    /**
     * Runs {@code work} while no other thread's exec runs on this connection: execs of other threads wait until it
     * returns, and it waits for those in flight. The calling thread's own execs (and a {@link #reconnect()}) run as
     * usual inside it. For what must not overlap with other commands: a listing that attributes every new process to a
     * window, a session that must end, a timed run.
     *
     * @param work what to run alone
     * @param <T> its result
     * @return its result
     */
    public <T> T exclusively(Supplier<T> work) {
        gate.writeLock().lock();
        try {
            return work.get();
        } finally {
            gate.writeLock().unlock();
        }
    }

    private TransportException lost(int index, Throwable cause) {
        HopConnector.Connected c = connected;
        String why = "";
        if (c != null) {
            for (ClientSession s : c.sessions()) {
                HopAttempt a = HopAttempt.of(s);
                if (a != null && !s.isOpen()) {
                    why = "; " + a.hop.describe() + " closed"
                            + (a.closedBy != null && String.valueOf(a.closedBy.getMessage()).contains("heartbeat")
                                    ? ": no reply to " + a.hop.keepaliveCountMax() + " keepalives sent every "
                                            + ConnectDiagnosis.seconds(a.hop.keepaliveInterval())
                                    : a.closedBy != null ? ": " + Identities.summary(a.closedBy) : "");
                    break;
                }
            }
        }
        return new TransportException(TransportException.Kind.CONNECTION_LOST, "connection to "
                + settings.target().login() + " was lost (session " + index + ")" + why
                + (cause == null || !why.isEmpty() ? "" : ": " + Identities.summary(cause)), cause);
    }

    // ---------------------------------------------------------------------------------------------- forwarding

    /**
     * Sends a request to an address as the payload sees it (e.g. {@code 127.0.0.1:2005}) through a direct-tcpip
     * channel of the current session (no local listening port), then reads the answer until the other side closes,
     * at most {@code cap} bytes and at most {@code timeout} from the channel request. Never throws for the exchange
     * itself: a refused channel, a failed connect, a cap or a timeout are told by {@link ForwardResult#status()}.
     *
     * @param host the address to connect to, as seen from the payload
     * @param port its port
     * @param request the bytes to send (then the kit only reads)
     * @param cap how many bytes of the answer to keep at most
     * @param timeout bound on opening the channel and reading the answer together
     * @return what happened
     * @throws TransportException of kind CONNECTION_LOST if the session is gone
     */
    public ForwardResult forward(String host, int port, byte[] request, int cap, Duration timeout) {
        ensureNotClosed();
        ClientSession s = session();
        if (s == null || !s.isOpen()) {
            throw lost(sessionIndex, null);
        }
        ForwardResult r = DirectTcpip.exchange(s, host, port, request, cap, timeout, workers);
        LOG.info("session {}: direct-tcpip {}:{}: {}", sessionIndex, host, port, SafeText.escapeLine(r.toString()));
        return r;
    }

    // ---------------------------------------------------------------------------------------------- files

    /** The file mechanism of the current session, chosen on first use: SFTP if the server offers it, exec otherwise. */
    FileMechanism fileMechanism() {
        ensureNotClosed();
        FileMechanism m = fileMechanism;
        if (m != null && m.usable()) {
            return m;
        }
        synchronized (lifecycle) {
            if (fileMechanism == null || !fileMechanism.usable()) {
                ClientSession s = session();
                if (s == null || !s.isOpen()) {
                    throw lost(sessionIndex, null);
                }
                fileMechanism = SftpFiles.tryOpen(s, settings.target(), sftpOperations, workers,
                                settings.defaultCallTimeout(), settings.outputCap())
                        .<FileMechanism>map(sftp -> sftp)
                        .orElseGet(() -> new ExecFiles(this, settings.target(), settings.defaultCallTimeout()));
                LOG.info("session {}: files over {}", sessionIndex, fileMechanism.name());
            }
            return fileMechanism;
        }
    }
}
