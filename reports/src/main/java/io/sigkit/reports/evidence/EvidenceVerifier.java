package io.sigkit.reports.evidence;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.sigkit.run.Verdict;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Checks a signed report directory as a receiver would: every file against {@code SHA256SUMS} (a changed, missing or
 * added file is named), the SSH signature over {@code SHA256SUMS} (and, given an allowed signers file, that its key
 * may sign sigkit evidence), that report.json names the key that signed, and that report.json's verdict is the one
 * its results give under the kit's own rule.
 */
public final class EvidenceVerifier {

    /** The largest report.json read back. */
    public static final long MAX_REPORT_BYTES = 256L * 1024 * 1024;

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private EvidenceVerifier() {
    }

    /**
     * What the check found.
     *
     * @param dir the directory checked
     * @param problems one line per problem, naming the file; empty when the evidence is valid
     * @param files how many files SHA256SUMS lists
     * @param signer who signed: the allowed signers' principals and the key, or the key alone; empty when the
     *     signature could not be read
     * @param verdict report.json's verdict as re-derived from its results; empty when it could not be
     */
    public record Verification(Path dir, List<String> problems, int files, Optional<String> signer,
            Optional<Verdict> verdict) {
        /** Copies the lists. */
        public Verification {
            problems = List.copyOf(problems);
        }

        /** Whether nothing is wrong. */
        public boolean valid() {
            return problems.isEmpty();
        }
    }

    /**
     * Checks {@code dir}.
     *
     * @param allowedSigners the keys allowed to sign sigkit evidence, with their principals; empty: any key (then the
     *     signer is named by its fingerprint and the caller must judge it)
     * @throws IllegalArgumentException when {@code dir} is not a directory or holds no SHA256SUMS (nothing to check)
     * @throws IOException when the directory cannot be read
     */
    public static Verification verify(Path dir, Optional<AllowedSigners> allowedSigners, Instant now) throws IOException {
        Objects.requireNonNull(dir, "dir");
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException(dir + " is not a directory" + (Files.exists(dir) ? "" : " (no such file)"));
        }
        Path sumsFile = dir.resolve(SignedEvidence.SUMS);
        if (!Files.isRegularFile(sumsFile, LinkOption.NOFOLLOW_LINKS)) {
            throw new IllegalArgumentException(dir + " holds no " + SignedEvidence.SUMS
                    + ": it is not signed evidence (sigkit certify --sign KEY writes it)");
        }
        List<String> problems = new ArrayList<>();
        byte[] sumsBytes = readCapped(sumsFile, Sha256Sums.MAX_BYTES, SignedEvidence.SUMS);
        Map<String, String> sums = Sha256Sums.parse(new String(sumsBytes, StandardCharsets.UTF_8), SignedEvidence.SUMS,
                problems);

        byte[] report = null;
        for (Map.Entry<String, String> e : sums.entrySet()) {
            Path file = dir.resolve(e.getKey());
            if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
                problems.add(e.getKey() + ": missing (SHA256SUMS lists it)");
            } else if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
                problems.add(e.getKey() + ": not a regular file (SHA256SUMS lists a file)");
            } else if (e.getKey().equals("report.json")) {
                report = readCapped(file, MAX_REPORT_BYTES, "report.json");
                if (!Sha256Sums.sha256(report).equals(e.getValue())) {
                    problems.add("report.json: changed (its SHA-256 is not the one in SHA256SUMS)");
                }
            } else if (!Sha256Sums.sha256(file).equals(e.getValue())) {
                problems.add(e.getKey() + ": changed (its SHA-256 is not the one in SHA256SUMS)");
            }
        }
        List<String> notRegular = new ArrayList<>();
        for (String name : Sha256Sums.files(dir, Set.of(SignedEvidence.SUMS, SignedEvidence.SIGNATURE), notRegular)) {
            if (!sums.containsKey(name)) {
                problems.add(name + ": not listed in SHA256SUMS (added or renamed after signing)");
            }
        }
        for (String name : notRegular) {
            if (!sums.containsKey(name)) {
                problems.add(name + ": not a regular file, and not listed in SHA256SUMS");
            }
        }

        Optional<String> signer = Optional.empty();
        String signerFingerprint = null;
        Path sigFile = dir.resolve(SignedEvidence.SIGNATURE);
        if (!Files.isRegularFile(sigFile, LinkOption.NOFOLLOW_LINKS)) {
            problems.add(SignedEvidence.SIGNATURE + ": missing: SHA256SUMS is not signed");
        } else {
            SshSignature sig = null;
            try {
                sig = SshSignature.parse(new String(readCapped(sigFile, SshSignature.MAX_ARMORED_BYTES,
                        SignedEvidence.SIGNATURE), StandardCharsets.US_ASCII));
            } catch (IllegalArgumentException e) {
                problems.add(SignedEvidence.SIGNATURE + ": " + e.getMessage());
            }
            if (sig != null) {
                signerFingerprint = sig.fingerprint();
                String key = sig.keyType() + " " + sig.fingerprint();
                if (!sig.namespace().equals(SignedEvidence.NAMESPACE)) {
                    problems.add(SignedEvidence.SIGNATURE + ": made for namespace '" + sig.namespace() + "', not "
                            + SignedEvidence.NAMESPACE);
                } else if (!sig.verifies(sumsBytes, SignedEvidence.NAMESPACE)) {
                    problems.add(SignedEvidence.SIGNATURE + ": does not verify over SHA256SUMS with the key it carries ("
                            + key + "): SHA256SUMS or the signature was changed");
                }
                if (allowedSigners.isPresent()) {
                    Optional<String> principals = allowedSigners.get().principalsFor(sig.publicKey(), sig.namespace(), now);
                    if (principals.isPresent()) {
                        signer = Optional.of(principals.get() + " (" + key + ")");
                    } else {
                        signer = Optional.of(key);
                        problems.add(SignedEvidence.SIGNATURE + ": signed by " + key + ", which "
                                + allowedSigners.get().file() + " does not allow to sign " + SignedEvidence.NAMESPACE);
                    }
                } else {
                    signer = Optional.of(key);
                }
            }
        }

        Optional<Verdict> verdict = Optional.empty();
        if (report != null) {
            verdict = checkReport(report, signerFingerprint, problems);
        } else if (!sums.containsKey("report.json")) {
            problems.add("report.json: not listed in SHA256SUMS: the verdict cannot be checked");
        }
        return new Verification(dir, problems, sums.size(), signer, verdict);
    }

    private static Optional<Verdict> checkReport(byte[] bytes, String signerFingerprint, List<String> problems) {
        JsonNode report;
        try {
            report = JSON.readTree(bytes);
        } catch (JsonProcessingException e) {
            problems.add("report.json: not valid JSON (" + e.getOriginalMessage() + ")");
            return Optional.empty();
        } catch (IOException e) {
            problems.add("report.json: cannot be read (" + e.getMessage() + ")");
            return Optional.empty();
        }
        if (report == null || !report.isObject()) {
            problems.add("report.json: not a JSON object");
            return Optional.empty();
        }
        if (signerFingerprint != null) {
            String recorded = report.path("signature").path("signerFingerprint").asText(null);
            if (recorded == null) {
                problems.add("report.json: names no signer, but the directory is signed by " + signerFingerprint);
            } else if (!recorded.equals(signerFingerprint)) {
                problems.add("report.json: names signer " + recorded + ", but SHA256SUMS.sig was made by "
                        + signerFingerprint);
            }
        }
        Verdict derived = ReportVerdict.of(report, problems);
        if (derived == null) {
            return Optional.empty();
        }
        String stated = report.path("verdict").asText("");
        if (!stated.equals(derived.name())) {
            problems.add("report.json: states verdict " + (stated.isEmpty() ? "(none)" : stated) + ", but its results"
                    + " give " + derived.name());
        }
        return Optional.of(derived);
    }

    private static byte[] readCapped(Path file, long max, String name) throws IOException {
        try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
            byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, max + 1));
            if (bytes.length > max) {
                throw new IllegalArgumentException(name + " is larger than " + max + " bytes: not sigkit evidence");
            }
            return bytes;
        }
    }
}
