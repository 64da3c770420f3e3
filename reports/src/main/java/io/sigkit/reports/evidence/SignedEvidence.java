package io.sigkit.reports.evidence;

import io.sigkit.reports.EvidenceSignature;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Signs a report directory so that anyone can check it with standard tools: {@code SHA256SUMS} (GNU
 * {@code sha256sum} format, one line per file of the directory) and {@code SHA256SUMS.sig}, an SSH signature
 * ({@code ssh-keygen -Y sign} format) over it in the namespace {@code sigkit-evidence}.
 *
 * <pre>
 * sha256sum -c SHA256SUMS
 * ssh-keygen -Y verify -f allowed_signers -I SIGNER -n sigkit-evidence -s SHA256SUMS.sig &lt; SHA256SUMS
 * </pre>
 */
public final class SignedEvidence {

    /** The checksum list's file name. */
    public static final String SUMS = "SHA256SUMS";
    /** The signature's file name. */
    public static final String SIGNATURE = "SHA256SUMS.sig";
    /** The SSH signature namespace of sigkit's evidence. */
    public static final String NAMESPACE = "sigkit-evidence";

    private SignedEvidence() {
    }

    /** What {@code report.json} records about a signature by {@code key}, before the directory is signed. */
    public static EvidenceSignature describe(KeyPair key) {
        SshSignature.signatureAlgorithm(key.getPublic()); // refuses a key type SSHSIG does not take here
        return new EvidenceSignature(org.apache.sshd.common.config.keys.KeyUtils.getKeyType(key.getPublic()),
                SshSignature.fingerprint(key.getPublic()), NAMESPACE, SUMS, SIGNATURE);
    }

    /**
     * Writes {@code SHA256SUMS} over every file of {@code dir} (replacing an earlier list and signature) and signs it
     * into {@code SHA256SUMS.sig}.
     *
     * @return the two files written
     * @throws IllegalArgumentException naming an entry that cannot be listed (a link, a name sha256sum would escape)
     * @throws IOException when the directory cannot be read or the files written
     * @throws GeneralSecurityException when the key cannot sign
     */
    public static List<Path> sign(Path dir, KeyPair key) throws IOException, GeneralSecurityException {
        Path sums = dir.resolve(SUMS);
        Path signature = dir.resolve(SIGNATURE);
        List<String> notRegular = new ArrayList<>();
        List<String> names = Sha256Sums.files(dir, Set.of(SUMS, SIGNATURE), notRegular);
        if (!notRegular.isEmpty()) {
            throw new IllegalArgumentException("cannot sign " + dir + ": '" + notRegular.get(0)
                    + "' is not a regular file (links and special files are not signed)");
        }
        Map<String, String> hashes = new LinkedHashMap<>();
        for (String name : names) {
            if (!Sha256Sums.plainName(name)) {
                throw new IllegalArgumentException("cannot sign " + dir + ": a file name holds a backslash or a line break");
            }
            hashes.put(name, Sha256Sums.sha256(dir.resolve(name)));
        }
        byte[] list = Sha256Sums.format(hashes).getBytes(StandardCharsets.UTF_8);
        SshSignature sig = SshSignature.sign(key, NAMESPACE, list);
        write(sums, list);
        write(signature, sig.armored().getBytes(StandardCharsets.US_ASCII));
        return List.of(sums, signature);
    }

    private static void write(Path file, byte[] bytes) throws IOException {
        Path tmp = Files.createTempFile(file.getParent(), ".sigkit-", ".tmp");
        try {
            Files.write(tmp, bytes);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
