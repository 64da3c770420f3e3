package io.sigkit.transport;

import java.time.Duration;
import java.util.Objects;

/**
 * Who answered on the other end of a connection, and how the kit came to trust it.
 *
 * @param address the payload's {@code host:port}
 * @param serverVersion the server's identification line, e.g. {@code SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3}
 * @param hostKeyType the host key's SSH type, e.g. {@code ssh-ed25519}
 * @param hostKeyFingerprint the host key's SHA-256 fingerprint, {@code SHA256:…}
 * @param handshake time from the start of the TCP connect to an authenticated session
 * @param authMethod the method that authenticated, e.g. {@code publickey}
 * @param policy the host key policy in force
 * @param hostKeyNewlyTrusted whether the key was unknown and written to known_hosts on this connection
 */
public record ServerIdentity(
        String address,
        String serverVersion,
        String hostKeyType,
        String hostKeyFingerprint,
        Duration handshake,
        String authMethod,
        HostKeyPolicy policy,
        boolean hostKeyNewlyTrusted) {

    /** Validates the parts. */
    public ServerIdentity {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(serverVersion, "serverVersion");
        Objects.requireNonNull(hostKeyType, "hostKeyType");
        Objects.requireNonNull(hostKeyFingerprint, "hostKeyFingerprint");
        Objects.requireNonNull(handshake, "handshake");
        Objects.requireNonNull(authMethod, "authMethod");
        Objects.requireNonNull(policy, "policy");
    }
}
