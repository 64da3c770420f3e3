package io.sigkit.transport;

import java.io.IOException;
import java.io.Writer;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import org.apache.sshd.client.config.hosts.KnownHostEntry;
import org.apache.sshd.client.keyverifier.ServerKeyVerifier;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.config.keys.PublicKeyEntryResolver;
import org.apache.sshd.common.digest.BuiltinDigests;
import org.apache.sshd.common.util.net.SshdSocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks SSH host keys against a known_hosts file under a {@link HostKeyPolicy}, and remembers the outcome per address
 * so that a failed connection can say exactly why.
 */
final class KnownHostsVerifier implements ServerKeyVerifier {

    private static final Logger LOG = LoggerFactory.getLogger(KnownHostsVerifier.class);

    /** How a key check ended. */
    enum Outcome {
        KNOWN, NEWLY_TRUSTED, IGNORED, UNKNOWN, CHANGED, REVOKED, UNREADABLE;

        boolean accepted() {
            return this == KNOWN || this == NEWLY_TRUSTED || this == IGNORED;
        }
    }

    /**
     * The outcome of one check.
     *
     * @param host the host name as connected to
     * @param port the port
     * @param outcome how it ended
     * @param keyType the presented key's type
     * @param fingerprint the presented key's SHA-256 fingerprint
     * @param detail for CHANGED: the fingerprints on file; for UNREADABLE: the reason
     */
    record Check(String host, int port, Outcome outcome, String keyType, String fingerprint, String detail) {
        String address() {
            return KnownHostsVerifier.address(host, port);
        }
    }

    private final Path file;
    private final HostKeyPolicy policy;
    private final Function<ClientSession, SocketAddress> hops;
    private final Map<String, Check> checks = new ConcurrentHashMap<>();

    /**
     * Creates a verifier.
     *
     * @param file the known_hosts file
     * @param policy how keys are trusted
     * @param hops which host and port a session stands for (through a jump host, the session's own connect address is
     *     a local forward, not the payload)
     */
    KnownHostsVerifier(Path file, HostKeyPolicy policy, Function<ClientSession, SocketAddress> hops) {
        this.file = file;
        this.policy = policy;
        this.hops = hops;
    }

    Path file() {
        return file;
    }

    HostKeyPolicy policy() {
        return policy;
    }

    /** The last check made for an address ({@code host:port}), if any. */
    Optional<Check> check(String address) {
        return Optional.ofNullable(checks.get(address));
    }

    /** A check that rejected a key, if any was made since {@link #forget()}. */
    Optional<Check> rejected() {
        return checks.values().stream().filter(c -> !c.outcome().accepted()).findFirst();
    }

    /** Addresses checked since {@link #forget()}, other than the given one. */
    List<String> checkedOtherThan(String address) {
        return checks.keySet().stream().filter(a -> !a.equals(address)).toList();
    }

    void forget() {
        checks.clear();
    }

    @Override
    public boolean verifyServerKey(ClientSession session, SocketAddress remoteAddress, PublicKey serverKey) {
        SocketAddress hop = hops.apply(session);
        SocketAddress where = hop != null ? hop : remoteAddress;
        String host = hostOf(where);
        int port = portOf(where);
        Check check = decide(host, port, serverKey);
        checks.put(check.address(), check);
        if (check.outcome().accepted()) {
            LOG.debug("host key of {}: {} {} ({})", check.address(), check.keyType(), check.fingerprint(), check.outcome());
        } else {
            LOG.debug("host key of {} rejected: {} {} ({})", check.address(), check.keyType(), check.fingerprint(),
                    check.outcome());
        }
        return check.outcome().accepted();
    }

    private Check decide(String host, int port, PublicKey key) {
        String type = KeyUtils.getKeyType(key);
        String fingerprint = fingerprint(key);
        if (policy == HostKeyPolicy.IGNORE) {
            return new Check(host, port, Outcome.IGNORED, type, fingerprint, "");
        }
        List<Known> known;
        try {
            known = read(host, port);
        } catch (IOException | RuntimeException e) {
            return new Check(host, port, Outcome.UNREADABLE, type, fingerprint, String.valueOf(e.getMessage()));
        }
        List<String> sameTypeOnFile = new ArrayList<>();
        for (Known k : known) {
            if (KeyUtils.compareKeys(k.key(), key)) {
                if ("revoked".equals(k.marker())) {
                    return new Check(host, port, Outcome.REVOKED, type, fingerprint, "");
                }
                return new Check(host, port, Outcome.KNOWN, type, fingerprint, "");
            }
            if (type.equals(KeyUtils.getKeyType(k.key())) && k.marker() == null) {
                sameTypeOnFile.add(fingerprint(k.key()));
            }
        }
        if (!sameTypeOnFile.isEmpty()) {
            return new Check(host, port, Outcome.CHANGED, type, fingerprint, String.join(", ", sameTypeOnFile));
        }
        if (policy == HostKeyPolicy.ACCEPT_NEW) {
            try {
                append(host, port, key);
            } catch (IOException | RuntimeException e) {
                return new Check(host, port, Outcome.UNREADABLE, type, fingerprint,
                        "cannot add the key to it: " + e.getMessage());
            }
            return new Check(host, port, Outcome.NEWLY_TRUSTED, type, fingerprint, "");
        }
        return new Check(host, port, Outcome.UNKNOWN, type, fingerprint, "");
    }

    /**
     * The key types on file for a host, in file order, used to prefer host key algorithms the kit can verify (as
     * OpenSSH does).
     */
    Set<String> knownKeyTypes(String host, int port) {
        Set<String> types = new LinkedHashSet<>();
        try {
            for (Known k : read(host, port)) {
                if (k.marker() == null) {
                    types.add(KeyUtils.getKeyType(k.key()));
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.debug("cannot read {} for {}: {}", file, address(host, port), e.toString());
        }
        return types;
    }

    private record Known(PublicKey key, String marker) {
    }

    private List<Known> read(String host, int port) throws IOException {
        if (!Files.exists(file)) {
            return List.of();
        }
        List<Known> result = new ArrayList<>();
        for (KnownHostEntry entry : KnownHostEntry.readKnownHostEntries(file)) {
            if (entry.getKeyEntry() == null || "cert-authority".equals(entry.getMarker()) || !entry.isHostMatch(host, port)) {
                continue;
            }
            try {
                PublicKey key = entry.getKeyEntry().resolvePublicKey(null, PublicKeyEntryResolver.IGNORING);
                if (key != null) {
                    result.add(new Known(key, entry.getMarker()));
                }
            } catch (IOException | java.security.GeneralSecurityException | RuntimeException e) {
                LOG.debug("skipping an unreadable key in {} for {}: {}", file, address(host, port), e.toString());
            }
        }
        return result;
    }

    private synchronized void append(String host, int port, PublicKey key) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        boolean needsNewline = Files.exists(file) && Files.size(file) > 0 && !endsWithNewline(file);
        String line = (needsNewline ? "\n" : "") + hostPattern(host, port) + " " + PublicKeyEntry.toString(key) + "\n";
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND, StandardOpenOption.WRITE)) {
            w.write(line);
        }
        LOG.info("trusted the new host key of {} ({} {}) and added it to {}", address(host, port),
                KeyUtils.getKeyType(key), fingerprint(key), file);
    }

    private static boolean endsWithNewline(Path p) throws IOException {
        byte[] all = Files.readAllBytes(p);
        return all.length == 0 || all[all.length - 1] == '\n';
    }

    /** The known_hosts host field OpenSSH writes: {@code host} on port 22, {@code [host]:port} otherwise. */
    static String hostPattern(String host, int port) {
        return port == SshTarget.DEFAULT_PORT ? host : "[" + host + "]:" + port;
    }

    static String address(String host, int port) {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }

    static String fingerprint(PublicKey key) {
        return KeyUtils.getFingerPrint(BuiltinDigests.sha256, key);
    }

    static String hostOf(SocketAddress a) {
        if (a instanceof SshdSocketAddress s) {
            return s.getHostName();
        }
        if (a instanceof InetSocketAddress i) {
            return i.getHostString();
        }
        return String.valueOf(a);
    }

    static int portOf(SocketAddress a) {
        if (a instanceof SshdSocketAddress s) {
            return s.getPort();
        }
        if (a instanceof InetSocketAddress i) {
            return i.getPort();
        }
        return SshTarget.DEFAULT_PORT;
    }

    /** The one-line message for a rejected key. */
    String rejection(Check c) {
        String presented = c.keyType() + " " + c.fingerprint();
        String keyscan = "ssh-keyscan " + (c.port() == SshTarget.DEFAULT_PORT ? "" : "-p " + c.port() + " ") + c.host()
                + " >> " + file;
        return switch (c.outcome()) {
            case UNKNOWN -> "host key of " + c.address() + " is not in " + file
                    + (Files.exists(file) ? "" : " (the file does not exist)") + ": " + presented
                    + "; to trust it, add it with '" + keyscan + "' (and compare the fingerprint) or run with --accept-new-host-key";
            case CHANGED -> "host key of " + c.address() + " has CHANGED: the server presents " + presented + " but "
                    + file + " lists " + c.detail() + " for it; if the payload was re-installed, remove the old entry with"
                    + " 'ssh-keygen -R " + hostPattern(c.host(), c.port()) + " -f " + file
                    + "' and trust the new key, otherwise someone may be intercepting the connection";
            case REVOKED -> "host key of " + c.address() + " (" + presented + ") is marked @revoked in " + file;
            case UNREADABLE -> "cannot check the host key of " + c.address() + " (" + presented + ") against " + file
                    + ": " + c.detail();
            default -> throw new IllegalStateException("not a rejection: " + c);
        };
    }

    TransportException.Kind rejectionKind(Check c) {
        return switch (c.outcome()) {
            case UNKNOWN -> TransportException.Kind.HOST_KEY_UNKNOWN;
            case CHANGED, REVOKED -> TransportException.Kind.HOST_KEY_CHANGED;
            default -> TransportException.Kind.IO;
        };
    }
}
