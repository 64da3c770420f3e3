package io.sigkit.transport;

import io.sigkit.text.SafeText;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketAddress;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.auth.UserAuth;
import org.apache.sshd.client.auth.UserAuthFactory;
import org.apache.sshd.client.auth.keyboard.UserAuthKeyboardInteractiveFactory;
import org.apache.sshd.client.auth.password.PasswordIdentityProvider;
import org.apache.sshd.client.auth.password.UserAuthPasswordFactory;
import org.apache.sshd.client.auth.pubkey.UserAuthPublicKeyFactory;
import org.apache.sshd.client.channel.ChannelExec;
import org.apache.sshd.client.channel.ClientChannelEvent;
import org.apache.sshd.client.config.hosts.ConfigFileHostEntryResolver;
import org.apache.sshd.client.config.hosts.HostConfigEntry;
import org.apache.sshd.client.config.hosts.HostConfigEntryResolver;
import org.apache.sshd.client.future.AuthFuture;
import org.apache.sshd.client.future.ConnectFuture;
import org.apache.sshd.client.future.OpenFuture;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.client.session.ClientSessionCreator;
import org.apache.sshd.common.SshException;
import org.apache.sshd.common.channel.Channel;
import org.apache.sshd.common.channel.ChannelListener;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.future.CancelOption;
import org.apache.sshd.common.kex.KexProposalOption;
import org.apache.sshd.common.kex.KeyExchangeFactory;
import org.apache.sshd.common.keyprovider.KeyIdentityProvider;
import org.apache.sshd.common.session.Session;
import org.apache.sshd.common.session.SessionListener;
import org.apache.sshd.common.util.buffer.Buffer;
import org.apache.sshd.common.util.net.SshdSocketAddress;
import org.apache.sshd.core.CoreModuleProperties;
import org.apache.sshd.sftp.SftpModuleProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One SSH connection to a payload, used as the satellite bus uses it: commands run over exec channels through the
 * user's login shell, without a pseudo-terminal, with stdin at EOF, each timed to its exit status and to its channel's
 * close.
 *
 * <p>The connection keeps one SSH session open until {@link #close()}; {@link #reconnect()} replaces it with a new one
 * (the session index in results and transcript increments). Every command is recorded in {@link #transcript()}.
 * Host keys are checked under the settings' {@link HostKeyPolicy}; no {@code ~/.ssh/config} and no default key file is
 * read unless the settings name it. TCP_NODELAY is on.
 *
 * <pre>{@code
 * try (PayloadConnection c = PayloadConnection.open(settings)) {
 *     ExecResult r = c.exec("payload_exec -e -w 9000000017 > /dev/null", Duration.ofSeconds(20));
 * }
 * }</pre>
 *
 * <p>Methods may be called from several threads; each exec uses its own channel.
 */
public final class PayloadConnection implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PayloadConnection.class);
    private static final Duration GRACEFUL_CLOSE_WAIT = Duration.ofMillis(500);

    private final ConnectionSettings settings;
    private final Map<String, String> environment;
    private final SshClient client;
    private final KnownHostsVerifier verifier;
    private final List<Identities.LoadedKey> keys;
    private final Map<String, AuthLog> authLogs = new ConcurrentHashMap<>();
    private final ExecutorService workers;
    private final AtomicInteger sessionsOpened = new AtomicInteger();
    private final AtomicInteger execRequests = new AtomicInteger();
    private final AtomicInteger sftpOperations = new AtomicInteger();
    private final List<TranscriptEntry> transcript = Collections.synchronizedList(new ArrayList<>());
    private final RemoteFiles files;

    private final Object lifecycle = new Object();
    private volatile ClientSession session;
    private volatile int sessionIndex;
    private volatile ServerIdentity identity;
    private volatile FileMechanism fileMechanism;
    private volatile boolean closed;

    private PayloadConnection(ConnectionSettings settings, Map<String, String> environment, List<Identities.LoadedKey> keys) {
        this.settings = settings;
        this.environment = environment;
        this.keys = keys;
        this.verifier = new KnownHostsVerifier(settings.knownHosts(), settings.hostKeyPolicy(), this::hopOf);
        this.workers = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "sigkit-transport-" + settings.target().address());
            t.setDaemon(true);
            return t;
        });
        this.client = createClient();
        this.files = new RemoteFiles(this);
    }

    /**
     * Connects and authenticates to the settings' target.
     *
     * @param settings target, credentials, host key policy and timeouts
     * @return an open connection (session 1)
     * @throws TransportException with a one-line message naming the target if it cannot be reached, is not trusted or
     *     refuses the credentials
     */
    public static PayloadConnection open(ConnectionSettings settings) {
        return open(settings, System.getenv());
    }

    /** As {@link #open(ConnectionSettings)}, with the environment secrets and SSH_AUTH_SOCK are read from. */
    static PayloadConnection open(ConnectionSettings settings, Map<String, String> environment) {
        List<Identities.LoadedKey> keys = Identities.load(settings.identities(), settings.passphrase(), environment);
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

    // ---------------------------------------------------------------------------------------------- client set-up

    private SshClient createClient() {
        SshClient c = SshClient.setUpDefaultClient();
        c.setServerKeyVerifier(verifier);
        try {
            c.setHostConfigEntryResolver(settings.sshConfig().isPresent()
                    ? new ConfigFileHostEntryResolver(settings.sshConfig().get())
                    : HostConfigEntryResolver.EMPTY);
        } catch (RuntimeException e) {
            throw new TransportException(TransportException.Kind.IO, "cannot use ssh config " + settings.sshConfig().get()
                    + ": " + Identities.summary(e), e);
        }
        // never null: MINA would then read ~/.ssh/id_* on its own
        c.setKeyIdentityProvider(keys.isEmpty() ? KeyIdentityProvider.EMPTY_KEYS_PROVIDER : KeyIdentityProvider.wrapKeyPairs(
                keys.stream().map(Identities.LoadedKey::pair).collect(Collectors.toList())));
        c.setFilePasswordProvider(Identities.passwordProvider(settings.passphrase(), environment));
        c.setAgentFactory(settings.useAgent() ? new UnixSocketAgent.Factory(Path.of(environment.get("SSH_AUTH_SOCK"))) : null);
        List<UserAuthFactory> auths = new ArrayList<>();
        auths.add(new RecordingAuthFactory(UserAuthPublicKeyFactory.INSTANCE));
        if (settings.password().isPresent()) {
            SecretSource source = settings.password().get();
            String login = settings.target().login();
            c.setPasswordIdentityProvider(session -> List.of(
                    source.read(environment, TransportException.Kind.AUTH_FAILED, "password for " + login)));
            auths.add(new RecordingAuthFactory(UserAuthPasswordFactory.INSTANCE));
            auths.add(new RecordingAuthFactory(UserAuthKeyboardInteractiveFactory.INSTANCE));
        } else {
            c.setPasswordIdentityProvider(PasswordIdentityProvider.EMPTY_PASSWORDS_PROVIDER);
        }
        c.setUserAuthFactories(auths);
        c.setKeyExchangeFactories(fastKeyExchangeFirst(c.getKeyExchangeFactories()));
        CoreModuleProperties.TCP_NODELAY.set(c, true);
        CoreModuleProperties.IO_CONNECT_TIMEOUT.set(c, settings.connectTimeout());
        // MINA's own bound is a safety net only: the kit's bounds below fire first and say which step timed out
        CoreModuleProperties.AUTH_TIMEOUT.set(c, settings.connectTimeout().plus(settings.authTimeout()).plusSeconds(30));
        CoreModuleProperties.REQUEST_SUBSYSTEM_REPLY.set(c, true);
        SftpModuleProperties.SFTP_CHANNEL_OPEN_TIMEOUT.set(c, min(settings.defaultCallTimeout(), Duration.ofSeconds(10)));
        // bound waits for the peer's window, so a stalled link cannot hang a write; SFTP requests are bounded in SftpFiles
        CoreModuleProperties.WAIT_FOR_SPACE_TIMEOUT.set(c, settings.defaultCallTimeout());
        // no idle disconnect: the bus keeps its session for the whole run, and the kit bounds each wait itself
        CoreModuleProperties.IDLE_TIMEOUT.set(c, Duration.ZERO);
        c.addSessionListener(new HostKeyAlgorithmOrder());
        c.start();
        return c;
    }

    /**
     * Puts curve25519-sha256 ahead of MINA's first choice, the post-quantum hybrid sntrup761x25519-sha512, whose pure-Java
     * implementation costs 0.4 to 1 s per handshake here (against 30 ms): the kit's time budget counts every session.
     */
    static List<KeyExchangeFactory> fastKeyExchangeFirst(List<KeyExchangeFactory> factories) {
        List<KeyExchangeFactory> first = new ArrayList<>();
        List<KeyExchangeFactory> rest = new ArrayList<>();
        for (KeyExchangeFactory f : factories) {
            (f.getName().startsWith("curve25519-sha256") ? first : rest).add(f);
        }
        first.addAll(rest);
        return first;
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    /** Puts the host key algorithms the known_hosts file can verify first, as OpenSSH does. */
    private final class HostKeyAlgorithmOrder implements SessionListener {
        @Override
        public void sessionNegotiationOptionsCreated(Session s, Map<KexProposalOption, String> proposal) {
            if (!(s instanceof ClientSession cs) || settings.hostKeyPolicy() == HostKeyPolicy.IGNORE) {
                return;
            }
            SocketAddress hop = hopOf(cs);
            if (hop == null) {
                return;
            }
            String offered = proposal.get(KexProposalOption.SERVERKEYS);
            if (offered == null) {
                return;
            }
            Set<String> known = verifier.knownKeyTypes(KnownHostsVerifier.hostOf(hop), KnownHostsVerifier.portOf(hop));
            if (known.isEmpty()) {
                return;
            }
            List<String> first = new ArrayList<>();
            List<String> rest = new ArrayList<>();
            for (String algorithm : offered.split(",")) {
                (known.contains(keyTypeOf(algorithm)) ? first : rest).add(algorithm);
            }
            first.addAll(rest);
            proposal.put(KexProposalOption.SERVERKEYS, String.join(",", first));
        }

        private String keyTypeOf(String signatureAlgorithm) {
            return signatureAlgorithm.startsWith("rsa-sha2-") ? "ssh-rsa" : signatureAlgorithm;
        }
    }

    // ---------------------------------------------------------------------------------------------- connecting

    private void connect() {
        SshTarget target = settings.target();
        long start = System.nanoTime();
        verifier.forget();
        authLogs.clear();
        ClientSession s = null;
        try {
            ConnectFuture cf;
            Duration connectBound = settings.connectTimeout();
            if (settings.jumpHost().isPresent()) {
                SshTarget jump = settings.jumpHost().get();
                HostConfigEntry entry = new HostConfigEntry("", target.host(), target.port(), target.user(),
                        jump.user() + "@" + hostForConfig(jump.host()) + ":" + jump.port());
                cf = client.connect(entry, null, null);
                connectBound = connectBound.plus(settings.authTimeout());
            } else {
                // with an ssh config, the default port defers to the config's Port line, as OpenSSH's does without -p
                int port = settings.sshConfig().isPresent() && target.port() == SshTarget.DEFAULT_PORT ? 0 : target.port();
                cf = client.connect(target.user(), target.host(), port);
            }
            if (!cf.await(connectBound, CancelOption.CANCEL_ON_TIMEOUT)) {
                throw timeout("cannot reach " + describeRoute() + ": no answer within " + seconds(connectBound));
            }
            if (cf.getException() != null) {
                throw connectFailure(cf.getException());
            }
            s = cf.getSession();
            AuthFuture af = s.auth();
            Duration authBound = settings.connectTimeout().plus(settings.authTimeout());
            if (!af.await(authBound, CancelOption.CANCEL_ON_TIMEOUT)) {
                throw verifier.rejected()
                        .map(c -> new TransportException(verifier.rejectionKind(c), verifier.rejection(c)))
                        .orElseGet(() -> timeout("SSH handshake with " + target.login() + " did not complete within "
                                + seconds(authBound)));
            }
            if (!af.isSuccess()) {
                throw connectFailure(af.getException());
            }
        } catch (IOException e) {
            closeQuietly(s);
            throw connectFailure(e);
        } catch (RuntimeException e) {
            closeQuietly(s);
            throw e;
        }
        Duration handshake = Duration.ofNanos(System.nanoTime() - start);
        String address = hopAddress(s);
        KnownHostsVerifier.Check check = verifier.check(address).orElse(null);
        AuthLog auth = authLogs.get(address);
        String keyType = s.getServerKey() == null ? "unknown" : KeyUtils.getKeyType(s.getServerKey());
        String fingerprint = s.getServerKey() == null ? "unknown" : KnownHostsVerifier.fingerprint(s.getServerKey());
        synchronized (lifecycle) {
            this.session = s;
            this.sessionIndex = sessionsOpened.incrementAndGet();
            this.fileMechanism = null;
            this.identity = new ServerIdentity(address, String.valueOf(s.getServerVersion()), keyType, fingerprint,
                    handshake, auth == null || auth.succeeded == null ? "none" : auth.succeeded,
                    settings.hostKeyPolicy(), check != null && check.outcome() == KnownHostsVerifier.Outcome.NEWLY_TRUSTED);
        }
        LOG.info("session {} to {} open: {} {} {}, {}, {} in {} ms", sessionIndex, target.login(),
                SafeText.escapeLine(identity.serverVersion()),
                keyType, fingerprint, s.getNegotiatedKexParameter(KexProposalOption.ALGORITHMS), identity.authMethod(),
                handshake.toMillis());
    }

    /**
     * Which host and port a session stands for: MINA's target attribute for a session through a jump host, otherwise
     * the address it connected to (after ssh config resolution). Through a jump host the connect address is a local
     * forward, so a session that is not the jump host's own is the payload's.
     */
    private SocketAddress hopOf(ClientSession s) {
        SshdSocketAddress target = s.getAttribute(ClientSessionCreator.TARGET_SERVER);
        if (target != null) {
            return target;
        }
        SocketAddress connected = s.getConnectAddress();
        if (settings.jumpHost().isPresent() && connected != null) {
            SshTarget jump = settings.jumpHost().get();
            boolean isJump = KnownHostsVerifier.portOf(connected) == jump.port()
                    && KnownHostsVerifier.hostOf(connected).equals(jump.host());
            if (!isJump) {
                return new SshdSocketAddress(settings.target().host(), settings.target().port());
            }
        }
        return connected;
    }

    private String hopAddress(ClientSession s) {
        SocketAddress a = hopOf(s);
        return KnownHostsVerifier.address(KnownHostsVerifier.hostOf(a), KnownHostsVerifier.portOf(a));
    }

    private static String hostForConfig(String host) {
        return host.contains(":") ? "[" + host + "]" : host;
    }

    private String describeRoute() {
        SshTarget t = settings.target();
        return settings.jumpHost().map(j -> t.address() + " through " + j.login()).orElse(t.address());
    }

    private TransportException timeout(String message) {
        return new TransportException(TransportException.Kind.TIMEOUT, message);
    }

    private static String seconds(Duration d) {
        long ms = d.toMillis();
        return ms % 1000 == 0 ? (ms / 1000) + " s" : String.format(java.util.Locale.ROOT, "%.1f s", ms / 1000.0);
    }


    /** Turns a failure to connect or authenticate into a one-line message about the hop that failed. */
    private TransportException connectFailure(Throwable failure) {
        if (failure instanceof TransportException te) {
            return te;
        }
        Throwable root = rootCause(failure);
        if (root instanceof TransportException te) {
            return te;
        }
        // A rejected host key explains whatever failure follows it (the checks were cleared when this attempt began).
        Optional<KnownHostsVerifier.Check> rejected = verifier.rejected();
        if (rejected.isPresent()) {
            return new TransportException(verifier.rejectionKind(rejected.get()), verifier.rejection(rejected.get()), failure);
        }
        SshTarget target = settings.target();
        Optional<SshTarget> jump = settings.jumpHost();
        // Through a jump host, the failure is the jump host's until it has authenticated.
        boolean pastJump = jump.isPresent() && Optional.ofNullable(authLogs.get(jump.get().address()))
                .map(log -> log.succeeded != null).orElse(false);
        SshTarget hop = jump.isPresent() && !pastJump ? jump.get() : target;
        String message = Identities.summary(root);
        if (pastJump && verifier.checkedOtherThan(jump.get().address()).isEmpty()) {
            return new TransportException(TransportException.Kind.UNREACHABLE, "cannot reach " + target.address()
                    + " through bastion " + jump.get().login() + ": " + message, failure);
        }
        if (root instanceof ConnectException) {
            return new TransportException(TransportException.Kind.UNREACHABLE, "cannot reach " + hop.address()
                    + ": connection refused", failure);
        }
        if (root instanceof UnresolvedAddressException || root instanceof UnknownHostException) {
            return new TransportException(TransportException.Kind.UNREACHABLE, "cannot reach " + hop.address()
                    + ": unknown host " + hop.host(), failure);
        }
        if (root instanceof NoRouteToHostException) {
            return new TransportException(TransportException.Kind.UNREACHABLE, "cannot reach " + hop.address()
                    + ": no route to host", failure);
        }
        if (root instanceof SocketTimeoutException || root instanceof InterruptedIOException) {
            return new TransportException(TransportException.Kind.TIMEOUT, "cannot reach " + hop.address()
                    + ": no answer within " + seconds(settings.connectTimeout()), failure);
        }
        // Authentication: the hop whose methods all failed, or any hop when the server refused before a method began.
        Optional<Map.Entry<String, AuthLog>> refused = authLogs.entrySet().stream()
                .filter(e -> e.getValue().succeeded == null).findFirst();
        if (refused.isPresent() || message.contains("No more authentication methods")) {
            String address = refused.map(Map.Entry::getKey).orElse(hop.address());
            String login = jump.filter(j -> j.address().equals(address)).map(SshTarget::login)
                    .orElse(target.user() + "@" + address);
            return new TransportException(TransportException.Kind.AUTH_FAILED, "authentication refused for " + login
                    + " (" + describeAttempts(refused.map(Map.Entry::getValue).orElseGet(AuthLog::new)) + ")", failure);
        }
        if (root instanceof java.io.EOFException || message.contains("Connection reset") || message.contains("Broken pipe")
                || message.contains("Session is being closed") || message.contains("Closed")) {
            return new TransportException(TransportException.Kind.HANDSHAKE, "SSH handshake with " + hop.address()
                    + " failed: the server closed the connection (" + message + "); is it an SSH server that accepts"
                    + " this client's algorithms?", failure);
        }
        return new TransportException(TransportException.Kind.HANDSHAKE, "SSH handshake with " + hop.address()
                + " failed: " + message, failure);
    }

    private String describeAttempts(AuthLog auth) {
        List<String> parts = new ArrayList<>();
        Set<String> tried = new LinkedHashSet<>(auth.tried);
        if (tried.isEmpty() || tried.contains("publickey")) {
            List<String> offered = new ArrayList<>();
            for (Identities.LoadedKey k : keys) {
                offered.add(k.file().toString());
            }
            if (settings.useAgent()) {
                offered.add("the keys of ssh-agent " + environment.get("SSH_AUTH_SOCK"));
            }
            parts.add("tried publickey with " + (offered.isEmpty() ? "no key" : String.join(", ", offered)));
        }
        if (tried.contains("password") || tried.contains("keyboard-interactive")) {
            parts.add("tried password from " + settings.password().map(SecretSource::describe).orElse("nowhere"));
        }
        if (!auth.serverMethods.isEmpty()) {
            parts.add("server accepts " + String.join(", ", auth.serverMethods));
        }
        return String.join("; ", parts);
    }

    private static Throwable rootCause(Throwable t) {
        Throwable r = t;
        while (r.getCause() != null && r.getCause() != r) {
            r = r.getCause();
        }
        return r;
    }

    private static void closeQuietly(ClientSession s) {
        if (s != null) {
            s.close(true);
        }
    }

    /** What authentication did on one hop: methods tried, the one that succeeded, and what the server accepts. */
    private static final class AuthLog {
        final List<String> tried = Collections.synchronizedList(new ArrayList<>());
        final List<String> serverMethods = Collections.synchronizedList(new ArrayList<>());
        volatile String succeeded;
    }

    private AuthLog authLog(ClientSession s) {
        return authLogs.computeIfAbsent(hopAddress(s), k -> new AuthLog());
    }

    /** Wraps an authentication method to record what it did, for the failure message and {@link ServerIdentity}. */
    private final class RecordingAuthFactory implements UserAuthFactory {
        private final UserAuthFactory delegate;

        RecordingAuthFactory(UserAuthFactory delegate) {
            this.delegate = delegate;
        }

        @Override
        public String getName() {
            return delegate.getName();
        }

        @Override
        public UserAuth createUserAuth(ClientSession s) throws IOException {
            UserAuth auth = delegate.createUserAuth(s);
            AuthLog log = authLog(s);
            return new UserAuth() {
                @Override
                public ClientSession getClientSession() {
                    return auth.getClientSession();
                }

                @Override
                public ClientSession getSession() {
                    return auth.getSession();
                }

                @Override
                public String getName() {
                    return auth.getName();
                }

                @Override
                public void init(ClientSession session, String service) throws Exception {
                    auth.init(session, service);
                }

                @Override
                public boolean process(Buffer buffer) throws Exception {
                    boolean more = auth.process(buffer);
                    if (more && !log.tried.contains(getName())) {
                        log.tried.add(getName());
                    }
                    return more;
                }

                @Override
                public void signalAuthMethodSuccess(ClientSession session, String service, Buffer buffer) throws Exception {
                    log.succeeded = getName();
                    auth.signalAuthMethodSuccess(session, service, buffer);
                }

                @Override
                public void signalAuthMethodFailure(ClientSession session, String service, boolean partial,
                        List<String> serverMethods, Buffer buffer) throws Exception {
                    synchronized (log.serverMethods) {
                        log.serverMethods.clear();
                        if (serverMethods != null) {
                            log.serverMethods.addAll(serverMethods);
                        }
                    }
                    auth.signalAuthMethodFailure(session, service, partial, serverMethods, buffer);
                }

                @Override
                public boolean isCancellable() {
                    return auth.isCancellable();
                }

                @Override
                public void destroy() {
                    auth.destroy();
                }
            };
        }
    }

    // ---------------------------------------------------------------------------------------------- lifecycle

    /**
     * Closes the current SSH session and opens a new one; the session index increments.
     *
     * @throws TransportException if the new session cannot be opened
     */
    public void reconnect() {
        synchronized (lifecycle) {
            ensureNotClosed();
            ClientSession old = session;
            FileMechanism mechanism = fileMechanism;
            fileMechanism = null;
            if (mechanism != null) {
                mechanism.close();
            }
            if (old != null) {
                closeSession(old);
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
            FileMechanism mechanism = fileMechanism;
            fileMechanism = null;
            if (mechanism != null) {
                mechanism.close();
            }
            ClientSession s = session;
            if (s != null) {
                closeSession(s);
            }
            shutdownClient();
            LOG.debug("connection to {} closed after {} sessions and {} exec requests", settings.target().login(),
                    sessionsOpened.get(), execRequests.get());
        }
    }

    private void closeSession(ClientSession s) {
        try {
            s.close(false).await(Duration.ofSeconds(2));
        } catch (IOException e) {
            LOG.debug("closing session to {}: {}", settings.target().login(), e.toString());
        } finally {
            s.close(true);
        }
    }

    private void shutdownClient() {
        workers.shutdownNow();
        client.stop();
    }

    private void ensureNotClosed() {
        if (closed) {
            throw new IllegalStateException("connection to " + settings.target() + " is closed");
        }
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
     * @return the result; {@link ExecResult#timedOut()} if the timeout passed
     * @throws TransportException of kind CONNECTION_LOST if the session broke
     */
    public ExecResult exec(ExecRequest request) {
        return run(request, settings.outputCap()).result();
    }

    /** A result and the raw stdout bytes (for file reads over exec). */
    record Raw(ExecResult result, byte[] stdout) {
    }

    /** Event times of one channel, in {@link System#nanoTime()}; 0 until the event happens. */
    private static final class ChannelTimes implements ChannelListener {
        volatile long opened;
        volatile long exited;
        volatile long closed;

        @Override
        public void channelOpenSuccess(Channel channel) {
            opened = System.nanoTime();
        }

        @Override
        public void channelStateChanged(Channel channel, String hint) {
            if (exited == 0 && channel instanceof ChannelExec exec
                    && (exec.getExitStatus() != null || exec.getExitSignal() != null)) {
                exited = System.nanoTime();
            }
        }

        @Override
        public void channelClosed(Channel channel, Throwable reason) {
            if (closed == 0) {
                closed = System.nanoTime();
            }
        }
    }

    Raw run(ExecRequest request, int cap) {
        ensureNotClosed();
        ClientSession s = session;
        int index = sessionIndex;
        Duration timeout = request.timeout() != null ? request.timeout() : settings.defaultCallTimeout();
        if (s == null || !s.isOpen()) {
            throw lost(null);
        }
        Instant startedAt = Instant.now();
        long begin = System.nanoTime();
        long deadline = begin + timeout.toNanos();
        OutputCapture out = new OutputCapture(cap);
        OutputCapture err = new OutputCapture(cap);
        ChannelTimes times = new ChannelTimes();
        ChannelExec channel;
        try {
            channel = s.createExecChannel(request.command(), StandardCharsets.UTF_8, null, Collections.emptyMap());
        } catch (IOException e) {
            throw lost(e);
        }
        channel.setUsePty(false);
        channel.setOut(out);
        channel.setErr(err);
        channel.addChannelListener(times);
        execRequests.incrementAndGet();
        boolean timedOut;
        try {
            OpenFuture open = channel.open();
            if (!open.await(remaining(deadline), CancelOption.CANCEL_ON_TIMEOUT)) {
                timedOut = true;
            } else if (!open.isOpened()) {
                if (!s.isOpen()) {
                    record(index, request, null, null, null, false, startedAt);
                    throw lost(open.getException());
                }
                record(index, request, null, null, null, false, startedAt);
                throw new TransportException(TransportException.Kind.IO, "cannot open a channel on "
                        + settings.target().login() + " for: " + request.command() + ": "
                        + Identities.summary(open.getException() == null ? new IOException("refused") : open.getException()));
            } else {
                feedStdin(channel, request);
                Set<ClientChannelEvent> events = channel.waitFor(EnumSet.of(ClientChannelEvent.CLOSED), remaining(deadline));
                timedOut = !events.contains(ClientChannelEvent.CLOSED);
            }
        } catch (IOException e) {
            closeChannel(channel);
            record(index, request, null, null, null, false, startedAt);
            if (s.isOpen()) {
                throw new TransportException(TransportException.Kind.IO, "call on " + settings.target().login()
                        + " failed: " + request.command() + ": " + Identities.summary(e), e);
            }
            throw lost(e);
        }
        if (timedOut) {
            closeChannel(channel);
        }
        long origin = times.opened != 0 ? times.opened : begin;
        Integer exitStatus = channel.getExitStatus();
        String exitSignal = channel.getExitSignal();
        Duration toExit = times.exited != 0 ? Duration.ofNanos(Math.max(0, times.exited - origin)) : null;
        Duration toClose = timedOut ? null : Duration.ofNanos(Math.max(0, (times.closed != 0 ? times.closed : System.nanoTime()) - origin));
        if (!timedOut && exitStatus == null && exitSignal == null && !s.isOpen()) {
            record(index, request, null, null, null, false, startedAt);
            throw lost(null);
        }
        byte[] stdout = out.bytes();
        ExecResult result = new ExecResult(index, request.command(), exitStatus, exitSignal,
                new String(stdout, StandardCharsets.UTF_8), new String(err.bytes(), StandardCharsets.UTF_8),
                out.truncated(), err.truncated(), toExit, toClose, timedOut);
        record(index, request, exitStatus, toExit, toClose, timedOut, startedAt);
        if (timedOut) {
            LOG.warn("session {}: no channel close within {} for: {} (exit status {}); stopped waiting", index,
                    seconds(timeout), request.command(), exitStatus);
        } else if (LOG.isDebugEnabled()) {
            LOG.debug("session {}: exit {}{} in {} ms (close {} ms), out {} B{}, err {} B{}: {}", index, exitStatus,
                    exitSignal == null ? "" : " signal " + exitSignal, toExit == null ? -1 : toExit.toMillis(),
                    toClose.toMillis(), out.total(), out.truncated() ? " (truncated)" : "", err.total(),
                    err.truncated() ? " (truncated)" : "", request.command());
        }
        return new Raw(result, stdout);
    }

    private void feedStdin(ChannelExec channel, ExecRequest request) throws IOException {
        byte[] stdin = request.stdin();
        OutputStream in = channel.getInvertedIn();
        if (stdin.length == 0) {
            in.close();
            return;
        }
        workers.execute(() -> {
            try (OutputStream o = in) {
                o.write(stdin);
                o.flush();
            } catch (IOException e) {
                LOG.debug("stdin of '{}' not fully written: {}", request.command(), e.toString());
            }
        });
    }

    private static Duration remaining(long deadline) {
        return Duration.ofNanos(Math.max(1, deadline - System.nanoTime()));
    }

    private void closeChannel(ChannelExec channel) {
        try {
            channel.close(false).await(GRACEFUL_CLOSE_WAIT);
        } catch (IOException e) {
            LOG.debug("closing channel: {}", e.toString());
        } finally {
            channel.close(true);
        }
    }

    private void record(int index, ExecRequest request, Integer exitStatus, Duration toExit, Duration toClose,
            boolean timedOut, Instant startedAt) {
        transcript.add(new TranscriptEntry(index, request.command(), exitStatus, toExit, toClose, timedOut, startedAt,
                request.purpose()));
    }

    private TransportException lost(Throwable cause) {
        return new TransportException(TransportException.Kind.CONNECTION_LOST, "connection to "
                + settings.target().login() + " was lost (session " + sessionIndex + ")"
                + (cause == null ? "" : ": " + Identities.summary(cause)), cause);
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
                ClientSession s = session;
                if (s == null || !s.isOpen()) {
                    throw lost(null);
                }
                fileMechanism = SftpFiles.tryOpen(s, settings.target(), sftpOperations, workers, settings.defaultCallTimeout())
                        .<FileMechanism>map(sftp -> sftp)
                        .orElseGet(() -> new ExecFiles(this, settings.target(), settings.defaultCallTimeout()));
                LOG.info("session {}: files over {}", sessionIndex, fileMechanism.name());
            }
            return fileMechanism;
        }
    }
}
