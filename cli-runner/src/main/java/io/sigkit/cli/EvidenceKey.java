package io.sigkit.cli;

import io.sigkit.reports.EvidenceSignature;
import io.sigkit.reports.evidence.SignedEvidence;
import io.sigkit.transport.PrivateKeyFile;
import io.sigkit.transport.SecretSource;
import io.sigkit.transport.TransportException;
import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.util.List;
import java.util.Optional;

/**
 * The key {@code --sign} names, loaded before the run (a missing key or a wrong passphrase is a usage error before
 * anything is certified), and the signing of the report directory once the reports are written.
 */
final class EvidenceKey {
    private final Path file;
    private final KeyPair pair;
    private final EvidenceSignature signature;

    private EvidenceKey(Path file, KeyPair pair) {
        this.file = file;
        this.pair = pair;
        this.signature = SignedEvidence.describe(pair);
    }

    /**
     * Loads the signing key as identity files are loaded (OpenSSH or PEM; ed25519, ECDSA or RSA), its passphrase only
     * from the given source.
     */
    static EvidenceKey load(Path file, Optional<SecretSource> passphrase) {
        Inputs.requireReadableFile(file, "signing key");
        KeyPair pair;
        try {
            pair = PrivateKeyFile.load(file, "signing key", passphrase, "signing key " + file + " is encrypted: give its"
                    + " passphrase with --sign-passphrase-env VAR or --sign-passphrase-file FILE (sigkit never prompts)");
        } catch (TransportException e) {
            throw CliError.usage(e.getMessage());
        }
        try {
            return new EvidenceKey(file, pair);
        } catch (IllegalArgumentException e) {
            throw CliError.usage("signing key " + file + ": " + e.getMessage());
        }
    }

    /** What report.json records about the signature. */
    EvidenceSignature signature() {
        return signature;
    }

    /** Writes SHA256SUMS and SHA256SUMS.sig into {@code dir}; the reports must be written first. */
    List<Path> sign(Path dir) {
        try {
            return SignedEvidence.sign(dir, pair);
        } catch (IllegalArgumentException e) {
            throw new CliError(ExitCodes.INTERNAL, "the reports were written but not signed: " + e.getMessage());
        } catch (IOException | GeneralSecurityException e) {
            throw new CliError(ExitCodes.INTERNAL, "the reports were written to " + dir + " but could not be signed with "
                    + file + ": " + ExitCodes.summary(e));
        }
    }
}
