package io.sigkit.transport;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything {@link PayloadConnection#open(ConnectionSettings)} needs to reach a payload: target, credentials, host key
 * policy and timeouts. Built with {@link #builder(SshTarget)}.
 *
 * @param target the payload's SSH login
 * @param identities private key files to offer (ed25519, ECDSA or RSA; OpenSSH or PEM format), in order
 * @param passphrase where the passphrase of encrypted identity files comes from, if any
 * @param useAgent whether to offer the keys of the ssh-agent named by {@code SSH_AUTH_SOCK}
 * @param password where a password comes from, if password authentication is wanted
 * @param sshConfig an OpenSSH client configuration file to read (host aliases, HostName, Port, User, IdentityFile,
 *     ProxyJump); none is read unless given
 * @param jumpHost a bastion to connect through (like OpenSSH's ProxyJump), if any; its host key is checked against the
 *     same known_hosts file and it is offered the same credentials
 * @param knownHosts the known_hosts file host keys are checked against (and, with {@link HostKeyPolicy#ACCEPT_NEW},
 *     written to)
 * @param hostKeyPolicy how host keys are trusted
 * @param connectTimeout bound on reaching the server and exchanging keys
 * @param authTimeout bound on authentication
 * @param defaultCallTimeout bound on a call when the caller gives none
 * @param outputCap bytes kept of each of stdout and stderr per call; the rest is read and discarded
 */
public record ConnectionSettings(
        SshTarget target,
        List<Path> identities,
        Optional<SecretSource> passphrase,
        boolean useAgent,
        Optional<SecretSource> password,
        Optional<Path> sshConfig,
        Optional<SshTarget> jumpHost,
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
    /** Default bytes kept of each output stream of a call: 1 MiB. */
    public static final int DEFAULT_OUTPUT_CAP = 1 << 20;

    /** Validates the settings. */
    public ConnectionSettings {
        Objects.requireNonNull(target, "target");
        identities = List.copyOf(identities);
        Objects.requireNonNull(passphrase, "passphrase");
        Objects.requireNonNull(password, "password");
        Objects.requireNonNull(sshConfig, "sshConfig");
        Objects.requireNonNull(jumpHost, "jumpHost");
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
     * Starts settings for a target, with strict host key checking against {@code ~/.ssh/known_hosts} and the default
     * timeouts and output cap.
     *
     * @param target the payload's SSH login
     * @return a builder
     */
    public static Builder builder(SshTarget target) {
        return new Builder(target);
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

    /** Builds {@link ConnectionSettings}; every setting but the target is optional. */
    public static final class Builder {
        private final SshTarget target;
        private final List<Path> identities = new ArrayList<>();
        private SecretSource passphrase;
        private boolean useAgent;
        private SecretSource password;
        private Path sshConfig;
        private SshTarget jumpHost;
        private Path knownHosts = defaultKnownHosts();
        private HostKeyPolicy hostKeyPolicy = HostKeyPolicy.STRICT;
        private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
        private Duration authTimeout = DEFAULT_AUTH_TIMEOUT;
        private Duration defaultCallTimeout = DEFAULT_CALL_TIMEOUT;
        private int outputCap = DEFAULT_OUTPUT_CAP;

        private Builder(SshTarget target) {
            this.target = Objects.requireNonNull(target, "target");
        }

        /**
         * Adds a private key file to offer.
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
         * Reads an OpenSSH client configuration file (only when this is called).
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
            this.jumpHost = bastion;
            return this;
        }

        /**
         * Sets the known_hosts file.
         *
         * @param file the file
         * @return this builder
         */
        public Builder knownHosts(Path file) {
            this.knownHosts = Objects.requireNonNull(file, "knownHosts");
            return this;
        }

        /**
         * Sets how host keys are trusted.
         *
         * @param policy the policy
         * @return this builder
         */
        public Builder hostKeyPolicy(HostKeyPolicy policy) {
            this.hostKeyPolicy = Objects.requireNonNull(policy, "hostKeyPolicy");
            return this;
        }

        /**
         * Sets the bound on connecting and key exchange.
         *
         * @param timeout the bound
         * @return this builder
         */
        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = timeout;
            return this;
        }

        /**
         * Sets the bound on authentication.
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
         * Sets how many bytes of each output stream of a call are kept.
         *
         * @param bytes the cap
         * @return this builder
         */
        public Builder outputCap(int bytes) {
            this.outputCap = bytes;
            return this;
        }

        /**
         * Builds the settings.
         *
         * @return the settings
         * @throws IllegalArgumentException if a setting is invalid or no credential is given
         */
        public ConnectionSettings build() {
            return new ConnectionSettings(target, identities, Optional.ofNullable(passphrase), useAgent,
                    Optional.ofNullable(password), Optional.ofNullable(sshConfig), Optional.ofNullable(jumpHost),
                    knownHosts, hostKeyPolicy, connectTimeout, authTimeout, defaultCallTimeout, outputCap);
        }
    }
}
