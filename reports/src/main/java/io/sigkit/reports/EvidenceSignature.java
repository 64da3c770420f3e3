package io.sigkit.reports;

import java.util.Objects;

/**
 * Who signs a report directory, recorded in {@code report.json} before the directory is signed (see
 * {@link io.sigkit.reports.evidence.SignedEvidence}), so that the verdict and the signer travel together.
 *
 * @param keyType the signer key's SSH type, e.g. {@code ssh-ed25519}
 * @param fingerprint the signer key's fingerprint as OpenSSH prints it, {@code SHA256:<base64>}
 * @param namespace the SSH signature namespace, {@code sigkit-evidence}
 * @param sumsFile the checksum file signed, {@code SHA256SUMS}
 * @param signatureFile the signature file, {@code SHA256SUMS.sig}
 */
public record EvidenceSignature(String keyType, String fingerprint, String namespace, String sumsFile,
        String signatureFile) {

    /** Validates the parts. */
    public EvidenceSignature {
        Objects.requireNonNull(keyType, "keyType");
        Objects.requireNonNull(fingerprint, "fingerprint");
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(sumsFile, "sumsFile");
        Objects.requireNonNull(signatureFile, "signatureFile");
        if (!fingerprint.matches("SHA256:[A-Za-z0-9+/]{43}=?")) {
            throw new IllegalArgumentException("not an OpenSSH SHA256 fingerprint: " + fingerprint);
        }
    }
}
