package io.sigkit.transport;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * One SSH server on the way to the payload, as resolved from the command line and the ssh config: a bastion, or the
 * payload itself (the last hop).
 *
 * @param index position in the route, 0 for the first server connected to
 * @param target whether this is the payload (the last hop)
 * @param name the host as written ({@code --target}, {@code --jump}, a ProxyJump entry): an alias or a host name
 * @param host the address connected to (after HostName)
 * @param port the port connected to
 * @param user the login name
 * @param userSource where the user came from ({@code --target}, {@code ssh config FILE:LINE}, {@code local user name}, …)
 * @param identities the key files offered to this hop, in order, each with where it came from
 * @param identitiesOnly whether only these files' keys are offered (IdentitiesOnly): agent keys then only if listed
 * @param knownHosts the known_hosts files this hop's key is looked up in (new keys are added to the first)
 * @param hostKeyAlias the name the key is looked up under (HostKeyAlias), or null for {@code host} and {@code port}
 * @param hostKeyPolicy how this hop's key is trusted
 * @param policySource where the policy came from (a flag, StrictHostKeyChecking, the default)
 * @param connectTimeout bound on TCP connect, banner and key exchange with this hop
 * @param keepaliveInterval interval of want-reply keepalives once logged in (zero: none)
 * @param keepaliveCountMax missed keepalive replies after which the session is considered dead
 */
public record Hop(
        int index,
        boolean target,
        String name,
        String host,
        int port,
        String user,
        String userSource,
        List<Identity> identities,
        boolean identitiesOnly,
        List<Path> knownHosts,
        String hostKeyAlias,
        HostKeyPolicy hostKeyPolicy,
        String policySource,
        Duration connectTimeout,
        Duration keepaliveInterval,
        int keepaliveCountMax) {

    /**
     * A key file to offer, and why.
     *
     * @param file the file, expanded
     * @param written the value as written (before {@code ~} and {@code %} expansion)
     * @param source {@code --identity}, {@code ssh config FILE:LINE} or {@code OpenSSH default}
     * @param optional whether a missing or encrypted-without-passphrase file is skipped (as ssh does) rather than an error
     */
    public record Identity(Path file, String written, String source, boolean optional) {
        /** Validates the parts. */
        public Identity {
            Objects.requireNonNull(file, "file");
            Objects.requireNonNull(written, "written");
            Objects.requireNonNull(source, "source");
        }
    }

    /** Validates the parts. */
    public Hop {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(userSource, "userSource");
        identities = List.copyOf(identities);
        knownHosts = List.copyOf(knownHosts);
        Objects.requireNonNull(hostKeyPolicy, "hostKeyPolicy");
        Objects.requireNonNull(policySource, "policySource");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(keepaliveInterval, "keepaliveInterval");
        new SshTarget(user, host, port);
    }

    /**
     * The hop as a target: user, host and port actually used.
     *
     * @return the login
     */
    public SshTarget login() {
        return new SshTarget(user, host, port);
    }

    /**
     * {@code host:port} actually connected to.
     *
     * @return the address
     */
    public String address() {
        return login().address();
    }

    /**
     * Which server this is, for messages: {@code the payload}, {@code bastion 'jump1'}, with the login and, when an
     * alias was resolved, the alias: {@code bastion 'jump1' (sig@10.0.0.1:2222)}.
     *
     * @return the description
     */
    public String describe() {
        String login = login().login();
        if (target) {
            return "the payload " + login + (name.equals(host) ? "" : " (alias '" + name + "')");
        }
        return "bastion " + (name.equals(host) ? login : "'" + name + "' (" + login + ")");
    }
}
