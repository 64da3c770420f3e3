package io.sigkit.cli;

import io.sigkit.transport.ConnectionSettings;
import io.sigkit.transport.HostKeyPolicy;
import io.sigkit.transport.SecretSource;
import io.sigkit.transport.SshDestination;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * How to reach and log in to the payload: target, credentials, host key trust and timeouts; shared by
 * {@code certify} and {@code signal}.
 */
final class ConnectionOptions {

    @Option(names = "--target", paramLabel = "ssh://USER@HOST[:PORT]",
            converter = TargetConverter.class, order = 1,
            description = "The payload's SSH login: the signaling user the bus logs in as (port 22 when not given)."
                    + " With --ssh-config, HOST may be an alias and USER and PORT may come from it, as with ssh;"
                    + " required unless certify --image is given.")
    SshDestination target;

    @Option(names = {"-i", "--identity"}, paramLabel = "FILE", order = 2,
            description = "Private key file to offer (ed25519, ECDSA or RSA; OpenSSH or PEM format); repeatable.")
    List<Path> identities = new ArrayList<>();

    @Option(names = "--passphrase-env", paramLabel = "VAR", order = 3,
            description = "Environment variable holding the passphrase of encrypted identity files.")
    String passphraseEnv;

    @Option(names = "--passphrase-file", paramLabel = "FILE", order = 4,
            description = "File holding the passphrase of encrypted identity files (one trailing newline dropped).")
    Path passphraseFile;

    @Option(names = "--agent", order = 5, description = "Also offer the keys of the ssh-agent named by SSH_AUTH_SOCK.")
    boolean agent;

    @Option(names = "--password-env", paramLabel = "VAR", order = 6,
            description = "Log in with the password held in this environment variable (password authentication).")
    String passwordEnv;

    @Option(names = "--password-file", paramLabel = "FILE", order = 7,
            description = "Log in with the password held in this file (password authentication).")
    Path passwordFile;

    @Option(names = "--known-hosts", paramLabel = "FILE", order = 8,
            description = "known_hosts file the payload's host key is checked against (default: ~/.ssh/known_hosts).")
    Path knownHosts;

    @Option(names = "--accept-new-host-key", order = 9,
            description = "Trust an unknown host key on first use and add it to the known_hosts file; a changed key"
                    + " is still refused.")
    boolean acceptNewHostKey;

    @Option(names = "--insecure-ignore-host-key", order = 10,
            description = "Accept any host key without checking it (a throwaway lab payload only); the report says so.")
    boolean ignoreHostKey;

    @Option(names = "--ssh-config", paramLabel = "FILE", order = 11,
            description = "OpenSSH client configuration to read as ssh -F does (Host/Match, Include, HostName, Port,"
                    + " User, IdentityFile, IdentitiesOnly, ProxyJump, UserKnownHostsFile, StrictHostKeyChecking,"
                    + " ConnectTimeout, ServerAliveInterval); none is read unless given.")
    Path sshConfig;

    @Option(names = "--jump", paramLabel = "[USER@]HOST[:PORT][,...]", order = 12,
            description = "Connect through these bastions, first connected first (as ssh -J); hosts may be"
                    + " --ssh-config aliases. Each bastion's host key is checked against its own known_hosts entry.")
    String jump;

    @Option(names = "--connect-timeout", paramLabel = "SECONDS", order = 13,
            description = "Bound on the TCP connect, SSH banner and key exchange together, and on logging in, per"
                    + " server (default: the config's ConnectTimeout, else 10).")
    Integer connectTimeoutSeconds;

    /** The connection settings these options describe, after checking every file they name. */
    ConnectionSettings settings() {
        if (target == null) {
            throw CliError.usage("Missing required option: '--target=ssh://USER@HOST[:PORT]'");
        }
        if (ignoreHostKey && (acceptNewHostKey || knownHosts != null)) {
            throw CliError.usage("--insecure-ignore-host-key cannot be combined with "
                    + (acceptNewHostKey ? "--accept-new-host-key" : "--known-hosts"));
        }
        if (passphraseEnv != null && passphraseFile != null) {
            throw CliError.usage("give the passphrase either by --passphrase-env or by --passphrase-file, not both");
        }
        if (passwordEnv != null && passwordFile != null) {
            throw CliError.usage("give the password either by --password-env or by --password-file, not both");
        }
        if (connectTimeoutSeconds != null && (connectTimeoutSeconds < 1 || connectTimeoutSeconds > 600)) {
            throw CliError.usage("--connect-timeout must be 1 to 600 seconds, was " + connectTimeoutSeconds);
        }
        if (jump != null) {
            for (String hop : jump.split(",", -1)) {
                try {
                    SshDestination.parse(hop);
                } catch (IllegalArgumentException e) {
                    throw CliError.usage("invalid --jump '" + jump + "': '" + hop + "' is not [user@]host[:port]");
                }
            }
        }
        if (identities.isEmpty() && !agent && passwordEnv == null && passwordFile == null && sshConfig == null) {
            throw CliError.usage("no credentials for ssh://" + target + ": give --identity FILE, --agent, --password-env VAR"
                    + " or --password-file FILE");
        }
        identities.forEach(f -> Inputs.requireReadableFile(f, "identity file"));
        Inputs.requireReadableFileIfSet(passphraseFile, "passphrase file");
        Inputs.requireReadableFileIfSet(passwordFile, "password file");
        Inputs.requireReadableFileIfSet(sshConfig, "ssh config");
        if (knownHosts != null && Files.isDirectory(knownHosts)) {
            throw CliError.usage("known_hosts file " + knownHosts + " is a directory");
        }
        try {
            ConnectionSettings.Builder b = ConnectionSettings.builder(target).useAgent(agent);
            // a policy, timeout or known_hosts flag overrides the config; without one, the config's settings apply
            if (ignoreHostKey || acceptNewHostKey || sshConfig == null) {
                b.hostKeyPolicy(ignoreHostKey ? HostKeyPolicy.IGNORE
                        : acceptNewHostKey ? HostKeyPolicy.ACCEPT_NEW : HostKeyPolicy.STRICT);
            }
            if (connectTimeoutSeconds != null) {
                b.connectTimeout(Duration.ofSeconds(connectTimeoutSeconds)).authTimeout(Duration.ofSeconds(connectTimeoutSeconds));
            }
            identities.forEach(b::identity);
            if (knownHosts != null) {
                b.knownHosts(knownHosts);
            }
            if (passphraseEnv != null) {
                b.passphrase(SecretSource.environment(passphraseEnv));
            }
            if (passphraseFile != null) {
                b.passphrase(SecretSource.file(passphraseFile));
            }
            if (passwordEnv != null) {
                b.password(SecretSource.environment(passwordEnv));
            }
            if (passwordFile != null) {
                b.password(SecretSource.file(passwordFile));
            }
            if (sshConfig != null) {
                b.sshConfig(sshConfig);
            }
            if (jump != null) {
                b.jumps(jump);
            }
            return b.build();
        } catch (IllegalArgumentException e) {
            throw CliError.usage(e.getMessage());
        }
    }

    /**
     * The connection options given on the command line, by name: with {@code certify --image}, the container brings
     * its own target, key and host keys, so none of these may be given.
     */
    List<String> given() {
        List<String> names = new ArrayList<>();
        if (target != null) {
            names.add("--target");
        }
        if (!identities.isEmpty()) {
            names.add("--identity");
        }
        if (passphraseEnv != null || passphraseFile != null) {
            names.add(passphraseEnv != null ? "--passphrase-env" : "--passphrase-file");
        }
        if (agent) {
            names.add("--agent");
        }
        if (passwordEnv != null || passwordFile != null) {
            names.add(passwordEnv != null ? "--password-env" : "--password-file");
        }
        if (knownHosts != null) {
            names.add("--known-hosts");
        }
        if (acceptNewHostKey) {
            names.add("--accept-new-host-key");
        }
        if (ignoreHostKey) {
            names.add("--insecure-ignore-host-key");
        }
        if (sshConfig != null) {
            names.add("--ssh-config");
        }
        if (jump != null) {
            names.add("--jump");
        }
        return names;
    }

    /** Parses {@code [ssh://][user@]host[:port]}, naming the input when it is not of that form. */
    static final class TargetConverter implements CommandLine.ITypeConverter<SshDestination> {
        @Override
        public SshDestination convert(String value) {
            try {
                return SshDestination.parse(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }
}
