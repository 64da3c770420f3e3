package io.sigkit.transport;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything {@link PayloadConnection#open(ConnectionSettings)} needs to reach a payload: the route (bastions and the
 * payload, resolved with OpenSSH's semantics from the command line and the ssh config), credentials, host key policy
 * and timeouts. Built with {@link #builder(SshTarget)} or {@link #builder(SshDestination)}.
 *
 * @param target the payload's SSH login as resolved: user, address and port actually used
 * @param identities private key files given by flag (ed25519, ECDSA or RSA; OpenSSH or PEM format), in order; the route's
 *     hops list every key offered to each hop, these included
 * @param passphrase where the passphrase of encrypted identity files comes from, if any
 * @param useAgent whether to offer the keys of the ssh-agent named by {@code SSH_AUTH_SOCK}
 * @param password where a password comes from, if password authentication is wanted
 * @param sshConfig the OpenSSH client configuration file read (host aliases, HostName, Port, User, IdentityFile,
 *     IdentitiesOnly, ProxyJump, Include, UserKnownHostsFile, StrictHostKeyChecking, ConnectTimeout,
 *     ServerAliveInterval); none is read unless given
 * @param route the bastions, in connection order, and the payload, each with its own address, user, keys, known_hosts
 *     and host key policy
 * @param knownHosts the payload's known_hosts file (new keys are added to it under {@link HostKeyPolicy#ACCEPT_NEW})
 * @param hostKeyPolicy how the payload's host key is trusted
 * @param connectTimeout bound on TCP connect, SSH banner and key exchange with the payload (each bastion has its own)
 * @param authTimeout bound on authentication, per hop
 * @param defaultCallTimeout bound on a call when the caller gives none
 * @param outputCap bytes kept of each of stdout and stderr per call (the rest is read and discarded), and the largest
 *     file {@link RemoteFiles#read(String)} returns
 */
public record ConnectionSettings(
        SshTarget target,
        List<Path> identities,
        Optional<SecretSource> passphrase,
        boolean useAgent,
        Optional<SecretSource> password,
        Optional<Path> sshConfig,
        Route route,
        Path knownHosts,
        HostKeyPolicy hostKeyPolicy,
        Duration connectTimeout,
        Duration authTimeout,
        Duration defaultCallTimeout,
        int outputCap) {

    /** Default bound on connecting. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
    /** Default bound on authenticating. */
    public static final Duration DEFAULT_AUTH_TIMEOUT = Duration.ofSeconds(10);
    /** Default bound on one call. */
    public static final Duration DEFAULT_CALL_TIMEOUT = Duration.ofSeconds(30);
    /** Default bytes kept of each output stream of a call, and the largest file read: 1 MiB. */
    public static final int DEFAULT_OUTPUT_CAP = 1 << 20;

    /** Validates the settings. */
    public ConnectionSettings {
        Objects.requireNonNull(target, "target");
        identities = List.copyOf(identities);
        Objects.requireNonNull(passphrase, "passphrase");
        Objects.requireNonNull(password, "password");
        Objects.requireNonNull(sshConfig, "sshConfig");
        Objects.requireNonNull(route, "route");
        Objects.requireNonNull(knownHosts, "knownHosts");
        Objects.requireNonNull(hostKeyPolicy, "hostKeyPolicy");
        requirePositive(connectTimeout, "connectTimeout");
        requirePositive(authTimeout, "authTimeout");
        requirePositive(defaultCallTimeout, "defaultCallTimeout");
        if (outputCap < 1) {
            throw new IllegalArgumentException("outputCap must be at least 1 byte, was " + outputCap);
        }
        if (identities.isEmpty() && !useAgent && password.isEmpty() && sshConfig.isEmpty()) {
            throw new IllegalArgumentException("no credentials for " + target
                    + ": give an identity file, ssh-agent or a password");
        }
    }

    /**
     * Starts settings for a fully given target, with strict host key checking against {@code ~/.ssh/known_hosts} and
     * the default timeouts and output cap.
     *
     * @param target the payload's SSH login
     * @return a builder
     */
    public static Builder builder(SshTarget target) {
        return new Builder(SshDestination.of(target));
    }

    /**
     * Starts settings for a destination as {@code ssh} takes it: the user and port may come from the ssh config.
     *
     * @param destination {@code [user@]host[:port]}, the host possibly an alias
     * @return a builder
     */
    public static Builder builder(SshDestination destination) {
        return new Builder(destination);
    }

    /**
     * The known_hosts file used when none is given: {@code ~/.ssh/known_hosts}.
     *
     * @return the path
     */
    public static Path defaultKnownHosts() {
        return Path.of(System.getProperty("user.home"), ".ssh", "known_hosts");
    }

    private static void requirePositive(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, was " + d);
        }
    }

    /** Builds {@link ConnectionSettings}; every setting but the destination is optional. */
    public static final class Builder {
        private final SshDestination destination;
        private final List<Path> identities = new ArrayList<>();
        private SecretSource passphrase;
        private boolean useAgent;
        private SecretSource password;
        private Path sshConfig;
        private String jumps;
        private Path knownHosts;
        private HostKeyPolicy hostKeyPolicy;
        private Duration connectTimeout;
        private Duration authTimeout = DEFAULT_AUTH_TIMEOUT;
        private Duration defaultCallTimeout = DEFAULT_CALL_TIMEOUT;
        private int outputCap = DEFAULT_OUTPUT_CAP;
        private Duration keepaliveInterval = RouteResolver.DEFAULT_KEEPALIVE;
        private int keepaliveCountMax = RouteResolver.DEFAULT_KEEPALIVE_COUNT;
        private Path home = Path.of(System.getProperty("user.home"));
        private String localUser = System.getProperty("user.name");

        private Builder(SshDestination destination) {
            this.destination = Objects.requireNonNull(destination, "destination");
        }

        /**
         * Adds a private key file to offer (to every hop).
         *
         * @param file the key file
         * @return this builder
         */
        public Builder identity(Path file) {
            identities.add(Objects.requireNonNull(file, "identity"));
            return this;
        }

        /**
         * Sets where the passphrase of encrypted identity files comes from.
         *
         * @param source an environment variable or a file
         * @return this builder
         */
        public Builder passphrase(SecretSource source) {
            this.passphrase = source;
            return this;
        }

        /**
         * Offers the keys of the ssh-agent named by {@code SSH_AUTH_SOCK}.
         *
         * @param use whether to use the agent
         * @return this builder
         */
        public Builder useAgent(boolean use) {
            this.useAgent = use;
            return this;
        }

        /**
         * Enables password authentication with a password from an environment variable or a file.
         *
         * @param source where the password comes from
         * @return this builder
         */
        public Builder password(SecretSource source) {
            this.password = source;
            return this;
        }

        /**
         * Reads an OpenSSH client configuration file (only when this is called), as {@code ssh -F FILE}.
         *
         * @param file the configuration file
         * @return this builder
         */
        public Builder sshConfig(Path file) {
            this.sshConfig = file;
            return this;
        }

        /**
         * Connects through a bastion.
         *
         * @param bastion the jump host's login
         * @return this builder
         */
        public Builder jumpHost(SshTarget bastion) {
            return jumps(SshDestination.of(bastion).toString());
        }

        /**
         * Connects through bastions, as {@code ssh -J}: {@code [user@]host[:port][,...]}, first connected first; hosts
         * may be ssh config aliases.
         *
         * @param list the jump list, or null for none (the ssh config's ProxyJump then applies)
         * @return this builder
         */
        public Builder jumps(String list) {
            this.jumps = list;
            return this;
        }

        /**
         * Sets the known_hosts file for every hop (over UserKnownHostsFile).
         *
         * @param file the file
         * @return this builder
         */
        public Builder knownHosts(Path file) {
            this.knownHosts = Objects.requireNonNull(file, "knownHosts");
            return this;
        }

        /**
         * Sets how host keys are trusted, on every hop (over StrictHostKeyChecking); strict when neither is given.
         *
         * @param policy the policy
         * @return this builder
         */
        public Builder hostKeyPolicy(HostKeyPolicy policy) {
            this.hostKeyPolicy = Objects.requireNonNull(policy, "hostKeyPolicy");
            return this;
        }

        /**
         * Sets the bound on TCP connect, banner and key exchange, for every hop (over ConnectTimeout).
         *
         * @param timeout the bound
         * @return this builder
         */
        public Builder connectTimeout(Duration timeout) {
            requirePositive(timeout, "connectTimeout");
            this.connectTimeout = timeout;
            return this;
        }

        /**
         * Sets the bound on authentication, per hop.
         *
         * @param timeout the bound
         * @return this builder
         */
        public Builder authTimeout(Duration timeout) {
            this.authTimeout = timeout;
            return this;
        }

        /**
         * Sets the bound on a call when the caller gives none.
         *
         * @param timeout the bound
         * @return this builder
         */
        public Builder defaultCallTimeout(Duration timeout) {
            this.defaultCallTimeout = timeout;
            return this;
        }

        /**
         * Sets how many bytes of each output stream of a call are kept, and the largest file read.
         *
         * @param bytes the cap
         * @return this builder
         */
        public Builder outputCap(int bytes) {
            this.outputCap = bytes;
            return this;
        }

        /**
         * Sets the keepalive of hops whose ssh config sets none (ServerAliveInterval, ServerAliveCountMax): a want-reply
         * request every interval once logged in, the session considered dead after {@code countMax} requests without
         * reply, so a dead link is noticed within about {@code interval x (countMax + 1)}. Default: every 5 s, 3 missed.
         *
         * @param interval the interval, zero for none
         * @param countMax missed replies after which the session is closed, at least 1
         * @return this builder
         */
        public Builder keepalive(Duration interval, int countMax) {
            Objects.requireNonNull(interval, "interval");
            if (interval.isNegative() || countMax < 1) {
                throw new IllegalArgumentException("keepalive needs an interval of 0 or more and a count of 1 or more, was "
                        + interval + " and " + countMax);
            }
            this.keepaliveInterval = interval;
            this.keepaliveCountMax = countMax;
            return this;
        }

        /** For tests: the home directory ({@code ~}) and local user name the ssh config is resolved with. */
        Builder localAccount(Path homeDirectory, String userName) {
            this.home = Objects.requireNonNull(homeDirectory, "home");
            this.localUser = Objects.requireNonNull(userName, "localUser");
            return this;
        }

        /**
         * Resolves the route (reading the ssh config, if any) and builds the settings.
         *
         * @return the settings
         * @throws IllegalArgumentException naming the input if a setting is invalid, the ssh config cannot be read or
         *     resolved, or no credential is given
         */
        public ConnectionSettings build() {
            SshConfig config;
            try {
                config = sshConfig == null ? SshConfig.empty() : SshConfig.read(sshConfig, home);
            } catch (TransportException e) {
                throw new IllegalArgumentException(e.getMessage(), e);
            }
            if (destination.user() == null && sshConfig == null) {
                throw new IllegalArgumentException("no user in '" + destination
                        + "': expected ssh://user@host[:port], or an --ssh-config that sets User for it");
            }
            Route route = RouteResolver.resolve(new RouteResolver.Request(destination, identities, jumps, config,
                    sshConfig != null, knownHosts, hostKeyPolicy, connectTimeout, keepaliveInterval, keepaliveCountMax,
                    home, localUser));
            Hop t = route.target();
            Path payloadKnownHosts = t.knownHosts().isEmpty() ? defaultKnownHosts() : t.knownHosts().get(0);
            return new ConnectionSettings(t.login(), identities, Optional.ofNullable(passphrase), useAgent,
                    Optional.ofNullable(password), Optional.ofNullable(sshConfig), route, payloadKnownHosts,
                    t.hostKeyPolicy(), t.connectTimeout(), authTimeout, defaultCallTimeout, outputCap);
        }
    }
}
