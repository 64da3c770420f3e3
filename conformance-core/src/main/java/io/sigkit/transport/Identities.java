package io.sigkit.transport;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.sshd.common.NamedResource;
import org.apache.sshd.common.config.keys.FilePasswordProvider;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.session.SessionContext;
import org.apache.sshd.common.util.io.resource.PathResource;
import org.apache.sshd.common.util.security.SecurityUtils;

/** Loads private key files up front, so that a missing, unreadable or undecryptable key fails before connecting. */
final class Identities {

    /**
     * A key pair, the file it came from and why that file was used.
     *
     * @param file the key file
     * @param pair the key pair
     * @param source {@code --identity}, {@code ssh config FILE:LINE} or {@code OpenSSH default}
     */
    record LoadedKey(Path file, KeyPair pair, String source) {
        String describe() {
            return file + " (" + source + ")";
        }
    }

    /**
     * The keys of one hop, and the files skipped (as ssh skips a missing or, without a passphrase, an encrypted
     * IdentityFile), each with why.
     *
     * @param keys the keys to offer
     * @param skipped one line per file skipped
     */
    record HopKeys(List<LoadedKey> keys, List<String> skipped) {
    }

    /** The message for an encrypted key with no passphrase given; names the flags. */
    static String encryptedWithoutPassphrase(Path file) {
        return "identity file " + file + " is encrypted: give its passphrase with --passphrase-env VAR or"
                + " --passphrase-file FILE (sigkit never prompts)";
    }

    /**
     * Loads the key files of one hop: a file given by flag must load; one from the ssh config or OpenSSH's defaults is
     * skipped when missing, or encrypted with no passphrase given, as ssh skips it (and noted for the failure message).
     *
     * @throws TransportException of kind KEY_FILE naming the file
     */
    static HopKeys load(List<Hop.Identity> identities, Optional<SecretSource> passphrase, Map<String, String> environment) {
        List<LoadedKey> keys = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        java.util.Set<Path> seen = new java.util.HashSet<>();
        for (Hop.Identity id : identities) {
            if (!seen.add(id.file().toAbsolutePath().normalize())) {
                continue;
            }
            if (id.optional() && !Files.isRegularFile(id.file())) {
                if (!id.source().equals("OpenSSH default")) {
                    skipped.add(id.file() + " (" + id.source() + "): no such file");
                }
                continue;
            }
            try {
                for (LoadedKey k : loadOne(id.file(), passphrase, environment, "identity file",
                        encryptedWithoutPassphrase(id.file()))) {
                    keys.add(new LoadedKey(k.file(), k.pair(), id.source()));
                }
            } catch (TransportException e) {
                if (id.optional() && passphrase.isEmpty() && e.getMessage().contains(" is encrypted")) {
                    skipped.add(id.file() + " (" + id.source() + "): encrypted, and no --passphrase-env or"
                            + " --passphrase-file was given");
                    continue;
                }
                throw e;
            }
        }
        return new HopKeys(List.copyOf(keys), List.copyOf(skipped));
    }

    private Identities() {
    }

    /**
     * Loads every key of one file, asking for the passphrase only if the file is encrypted.
     *
     * @param what what the file is, for messages: {@code identity file}, {@code signing key}
     * @param encryptedWithoutPassphrase the message when the file is encrypted and no passphrase was given
     * @throws TransportException of kind KEY_FILE naming the file
     */
    static List<LoadedKey> loadOne(Path file, Optional<SecretSource> passphrase, Map<String, String> environment,
            String what, String encryptedWithoutPassphrase) {
        if (!Files.isRegularFile(file)) {
            throw new TransportException(TransportException.Kind.KEY_FILE, "cannot read " + what + " " + file + ": "
                    + (Files.exists(file) ? "not a regular file" : "no such file"));
        }
        AtomicBoolean asked = new AtomicBoolean();
        FilePasswordProvider provider = new FilePasswordProvider() {
            @Override
            public String getPassword(SessionContext session, NamedResource resource, int retryIndex) {
                asked.set(true);
                if (passphrase.isEmpty()) {
                    throw new TransportException(TransportException.Kind.KEY_FILE, encryptedWithoutPassphrase);
                }
                return passphrase.get().read(environment, TransportException.Kind.KEY_FILE, "passphrase for " + file);
            }

            @Override
            public ResourceDecodeResult handleDecodeAttemptResult(SessionContext session, NamedResource resource,
                    int retryIndex, String password, Exception err) {
                return ResourceDecodeResult.TERMINATE;
            }
        };
        Iterable<KeyPair> pairs;
        try (InputStream in = Files.newInputStream(file)) {
            pairs = SecurityUtils.loadKeyPairIdentities(null, new PathResource(file), in, provider);
        } catch (TransportException e) {
            throw e;
        } catch (NoSuchFileException e) {
            throw new TransportException(TransportException.Kind.KEY_FILE, "cannot read " + what + " " + file + ": no such file");
        } catch (AccessDeniedException e) {
            throw new TransportException(TransportException.Kind.KEY_FILE, "cannot read " + what + " " + file + ": permission denied");
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            if (asked.get()) {
                throw new TransportException(TransportException.Kind.KEY_FILE, "cannot decrypt " + what + " " + file
                        + " with the passphrase from " + passphrase.map(SecretSource::describe).orElse("nowhere")
                        + ": wrong passphrase? (" + summary(e) + ")", e);
            }
            throw new TransportException(TransportException.Kind.KEY_FILE, "cannot load " + what + " " + file
                    + ": " + summary(e), e);
        }
        List<LoadedKey> loaded = new ArrayList<>();
        if (pairs != null) {
            for (KeyPair pair : pairs) {
                if (pair != null && pair.getPrivate() != null) {
                    loaded.add(new LoadedKey(file, pair, "--identity"));
                }
            }
        }
        if (loaded.isEmpty()) {
            throw new TransportException(TransportException.Kind.KEY_FILE, "no private key found in " + what + " " + file
                    + " (give the private key, not the .pub file; OpenSSH or PEM format)");
        }
        return loaded;
    }

    static String summary(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t && (t.getMessage() == null || t.getMessage().isBlank())) {
            t = t.getCause();
        }
        String m = t.getMessage();
        return (m == null || m.isBlank() ? t.getClass().getSimpleName() : m).replaceAll("\\s+", " ").strip();
    }
}
