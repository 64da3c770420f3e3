package io.sigkit.transport;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.apache.sshd.client.config.hosts.KnownHostEntry;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.config.keys.PublicKeyEntryResolver;
import org.apache.sshd.common.digest.BuiltinDigests;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks one hop's SSH host key against that hop's known_hosts files under its {@link HostKeyPolicy}: the key is
 * looked up under the hop's own address and port (or its HostKeyAlias), hashed entries included, and a newly trusted
 * key is added to the hop's first file under that name. Remembers the outcome so that a failed connection can say
 * exactly why.
 */
final class KnownHostsVerifier {

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
     * @param host the name looked up
     * @param port the port looked up
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

    private final Hop hop;
    private final List<Path> files;
    private final HostKeyPolicy policy;
    private final String lookupHost;
    private final int lookupPort;
    private volatile Check last;

    /**
     * Creates the verifier of one hop.
     *
     * @param hop the hop: its known_hosts files, policy, address and HostKeyAlias
     */
    KnownHostsVerifier(Hop hop) {
        this.hop = hop;
        this.files = hop.knownHosts();
        this.policy = hop.hostKeyPolicy();
        this.lookupHost = hop.hostKeyAlias() != null ? hop.hostKeyAlias() : hop.host();
        this.lookupPort = hop.hostKeyAlias() != null ? SshTarget.DEFAULT_PORT : hop.port();
    }

    /** The file new keys are written to (the first), for messages. */
    Path file() {
        return files.isEmpty() ? Path.of("(no known_hosts file: UserKnownHostsFile none)") : files.get(0);
    }


    /** The last check made, if any. */
    Optional<Check> last() {
        return Optional.ofNullable(last);
    }

    /** The last check if it rejected the key. */
    Optional<Check> rejected() {
        return last().filter(c -> !c.outcome().accepted());
    }

    /**
     * Checks a presented key.
     *
     * @param serverKey the key the hop presented
     * @return whether it is trusted
     */
    boolean verify(PublicKey serverKey) {
        Check check = decide(lookupHost, lookupPort, serverKey);
        last = check;
        LOG.debug("host key of {} ({}): {} {} ({})", hop.describe(), check.address(), check.keyType(), check.fingerprint(),
                check.outcome());
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
    Set<String> knownKeyTypes() {
        Set<String> types = new LinkedHashSet<>();
        try {
            for (Known k : read(lookupHost, lookupPort)) {
                if (k.marker() == null) {
                    types.add(KeyUtils.getKeyType(k.key()));
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.debug("cannot read {} for {}: {}", files, address(lookupHost, lookupPort), e.toString());
        }
        return types;
    }

    private record Known(PublicKey key, String marker) {
    }

    private List<Known> read(String host, int port) throws IOException {
        List<Known> result = new ArrayList<>();
        for (Path file : files) {
            if (Files.exists(file)) {
                readInto(file, host, port, result);
            }
        }
        return result;
    }

    private static void readInto(Path file, String host, int port, List<Known> result) throws IOException {
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
    }

    private synchronized void append(String host, int port, PublicKey key) throws IOException {
        if (files.isEmpty()) {
            throw new IOException("UserKnownHostsFile is none: there is no file to add it to");
        }
        Path file = files.get(0);
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
        LOG.info("trusted the new host key of {} as {} ({} {}) and added it to {}", hop.describe(), address(host, port),
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



    /** The one-line message for a rejected key, naming the hop. */
    String rejection(Check c) {
        String presented = c.keyType() + " " + c.fingerprint();
        Path file = file();
        String fileNames = files.size() <= 1 ? file.toString() : String.join(", ", files.stream().map(Path::toString).toList());
        String keyscan = "ssh-keyscan " + (c.port() == SshTarget.DEFAULT_PORT ? "" : "-p " + c.port() + " ")
                + (hop.hostKeyAlias() != null ? hop.host() : c.host()) + " >> " + file;
        String who = hop.describe();
        String whom = hop.target() ? "the payload" : "the bastion";
        return switch (c.outcome()) {
            case UNKNOWN -> "host key of " + c.address() + " (" + who + ") is not in " + fileNames
                    + (files.stream().anyMatch(Files::exists) ? "" : " (the file does not exist)") + ": " + presented
                    + "; to trust it, add it with '" + keyscan + "' (and compare the fingerprint) or run with --accept-new-host-key";
            case CHANGED -> "host key of " + c.address() + " (" + who + ") has CHANGED: the server presents " + presented
                    + " but " + fileNames + " lists " + c.detail() + " for it; if " + whom + " was re-installed, remove the old"
                    + " entry with 'ssh-keygen -R " + hostPattern(c.host(), c.port()) + " -f " + file
                    + "' and trust the new key, otherwise someone may be intercepting the connection";
            case REVOKED -> "host key of " + c.address() + " (" + who + ", " + presented + ") is marked @revoked in "
                    + fileNames;
            case UNREADABLE -> "cannot check the host key of " + c.address() + " (" + who + ", " + presented + ") against "
                    + fileNames + ": " + c.detail();
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
