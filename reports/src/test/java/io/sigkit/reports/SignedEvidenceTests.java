package io.sigkit.reports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.sigkit.reports.evidence.AllowedSigners;
import io.sigkit.reports.evidence.EvidenceVerifier;
import io.sigkit.reports.evidence.EvidenceVerifier.Verification;
import io.sigkit.reports.evidence.SignedEvidence;
import io.sigkit.reports.evidence.SshSignature;
import io.sigkit.run.RunResult;
import io.sigkit.run.Verdict;
import io.sigkit.transport.PrivateKeyFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Signed evidence against the real OpenSSH tools: ssh-keygen -Y verify accepts sigkit's SSHSIG signatures and
 * sha256sum -c its SHA256SUMS; sigkit verifies what ssh-keygen -Y sign wrote; a re-signed, hand-edited verdict is
 * caught and the signer named.
 */
class SignedEvidenceTests {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path tmp;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"ed25519", "ecdsa-256", "ecdsa-384", "ecdsa-521", "rsa-3072"})
    void ssh_keygen_verifies_the_signature_sigkit_writes(String type) throws Exception {
        // GIVEN the reports of a run, signed by sigkit with a key ssh-keygen made
        Path key = newKey(type, "signer");
        KeyPair pair = load(key);
        Path dir = reports(RunResultTestCase.conformant(), SignedEvidence.describe(pair));
        SignedEvidence.sign(dir, pair);
        Path allowed = allowedSigners("acceptance@example.org", key);
        // WHEN OpenSSH's own tools check it
        Run keygen = run(dir, Files.readAllBytes(dir.resolve("SHA256SUMS")), "ssh-keygen", "-Y", "verify", "-f",
                allowed.toString(), "-I", "acceptance@example.org", "-n", "sigkit-evidence", "-s", "SHA256SUMS.sig");
        Run sums = run(dir, new byte[0], "sha256sum", "--strict", "-c", "SHA256SUMS");
        // THEN both accept it: every file of the directory listed, the signature good for the namespace
        assertThat(keygen.exit()).as("%s", keygen).isZero();
        assertThat(keygen.output()).contains("Good \"sigkit-evidence\" signature for acceptance@example.org");
        assertThat(sums.exit()).as("%s", sums).isZero();
        assertThat(sums.output().lines().toList()).containsExactly("junit.xml: OK", "report.html: OK", "report.json: OK",
                "summary.md: OK");
        // and sigkit's own check agrees, naming the principal
        Verification v = EvidenceVerifier.verify(dir, Optional.of(AllowedSigners.read(allowed)), Instant.now());
        assertThat(v.problems()).isEmpty();
        assertThat(v.signer()).hasValueSatisfying(s -> assertThat(s).startsWith("acceptance@example.org (")
                .contains(SshSignature.fingerprint(pair.getPublic())));
        assertThat(v.verdict()).contains(Verdict.CONFORMANT);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"ed25519", "ecdsa-256", "rsa-3072"})
    void sigkit_verifies_what_ssh_keygen_signs(String type) throws Exception {
        // GIVEN reports whose SHA256SUMS was written by sha256sum and signed by ssh-keygen -Y sign
        Path key = newKey(type, "signer");
        KeyPair pair = load(key);
        Path dir = reports(RunResultTestCase.notConformant(), SignedEvidence.describe(pair));
        Run sums = run(dir, new byte[0], "sh", "-c", "sha256sum report.json junit.xml report.html summary.md > SHA256SUMS");
        assertThat(sums.exit()).as("%s", sums).isZero();
        Run sign = run(dir, new byte[0], "ssh-keygen", "-q", "-Y", "sign", "-f", key.toString(), "-n", "sigkit-evidence",
                "SHA256SUMS");
        assertThat(sign.exit()).as("%s", sign).isZero();
        Path allowed = allowedSigners("release@example.org", key);
        // WHEN sigkit checks it
        Verification v = EvidenceVerifier.verify(dir, Optional.of(AllowedSigners.read(allowed)), Instant.now());
        // THEN it is valid, signed by the principal, with the verdict its results give
        assertThat(v.problems()).isEmpty();
        assertThat(v.signer()).hasValueSatisfying(s -> assertThat(s).startsWith("release@example.org ("));
        assertThat(v.verdict()).contains(Verdict.NOT_CONFORMANT);
        assertThat(v.files()).isEqualTo(4);
    }

    @Test
    void a_signature_for_another_namespace_is_refused() throws Exception {
        // GIVEN a directory signed by ssh-keygen, but for the namespace "file"
        Path key = newKey("ed25519", "signer");
        KeyPair pair = load(key);
        Path dir = reports(RunResultTestCase.conformant(), SignedEvidence.describe(pair));
        SignedEvidence.sign(dir, pair);
        Files.delete(dir.resolve("SHA256SUMS.sig"));
        assertThat(run(dir, new byte[0], "ssh-keygen", "-q", "-Y", "sign", "-f", key.toString(), "-n", "file",
                "SHA256SUMS").exit()).isZero();
        // WHEN sigkit checks it
        Verification v = EvidenceVerifier.verify(dir, Optional.empty(), Instant.now());
        // THEN the namespace is the problem
        assertThat(v.problems()).containsExactly("SHA256SUMS.sig: made for namespace 'file', not sigkit-evidence");
    }

    @Test
    void a_hand_edited_verdict_resigned_by_another_key_is_caught_and_the_signer_named() throws Exception {
        // GIVEN a NOT_CONFORMANT run's reports, signed by the acceptance engineer's key
        Path engineer = newKey("ed25519", "engineer");
        KeyPair engineerPair = load(engineer);
        Path dir = reports(RunResultTestCase.notConformant(), SignedEvidence.describe(engineerPair));
        SignedEvidence.sign(dir, engineerPair);
        Path allowed = allowedSigners("engineer@example.org", engineer);
        // WHEN someone edits the verdict to CONFORMANT and re-signs the directory with another key
        Path report = dir.resolve("report.json");
        Files.writeString(report, Files.readString(report).replace("\"verdict\" : \"NOT_CONFORMANT\"",
                "\"verdict\" : \"CONFORMANT\""));
        KeyPair other = load(newKey("ed25519", "other"));
        SignedEvidence.sign(dir, other);
        Verification trusting = EvidenceVerifier.verify(dir, Optional.empty(), Instant.now());
        Verification checked = EvidenceVerifier.verify(dir, Optional.of(AllowedSigners.read(allowed)), Instant.now());
        // THEN the checksums and signature hold, but the verdict does not follow from the results, the report names
        // another signer, and the allowed signers do not know the key; each check says who signed
        String otherKey = "ssh-ed25519 " + SshSignature.fingerprint(other.getPublic());
        assertThat(trusting.problems()).containsExactly(
                "report.json: names signer " + SshSignature.fingerprint(engineerPair.getPublic())
                        + ", but SHA256SUMS.sig was made by " + SshSignature.fingerprint(other.getPublic()),
                "report.json: states verdict CONFORMANT, but its results give NOT_CONFORMANT");
        assertThat(trusting.signer()).contains(otherKey);
        assertThat(checked.problems()).contains("SHA256SUMS.sig: signed by " + otherKey + ", which " + allowed
                + " does not allow to sign sigkit-evidence");
    }

    @Test
    void flipping_any_byte_of_any_file_is_caught_and_the_file_named() throws Exception {
        // GIVEN a signed report directory
        KeyPair pair = load(newKey("ed25519", "signer"));
        Path dir = reports(RunResultTestCase.notConformant(), SignedEvidence.describe(pair));
        SignedEvidence.sign(dir, pair);
        int flips = 0;
        List<Path> files;
        try (var s = Files.list(dir)) {
            files = s.sorted().toList();
        }
        assertThat(files).hasSize(6);
        for (Path file : files) {
            byte[] original = Files.readAllBytes(file);
            String name = file.getFileName().toString();
            // every byte of the checksum list and the signature (where parsing could let a change through); every
            // 61st and the last of the reports, whose every byte the SHA-256 covers alike
            int step = name.startsWith("SHA256SUMS") ? 1 : 61;
            List<Integer> positions = new ArrayList<>();
            for (int i = 0; i < original.length; i += step) {
                positions.add(i);
            }
            positions.add(original.length - 1);
            for (int i : positions) {
                // WHEN a byte is flipped (its lowest bit: a newline becomes a vertical tab, a hex digit another, a
                // base64 letter another)
                byte[] changed = original.clone();
                changed[i] ^= 0x01;
                Files.write(file, changed);
                Verification v = EvidenceVerifier.verify(dir, Optional.empty(), Instant.now());
                // THEN the evidence is invalid and a problem names the file
                int at = i;
                assertThat(v.problems()).as("byte %d of %s", at, name).anySatisfy(p -> assertThat(p).contains(name));
                flips++;
            }
            Files.write(file, original);
        }
        assertThat(EvidenceVerifier.verify(dir, Optional.empty(), Instant.now()).valid()).isTrue();
        assertThat(flips).isGreaterThan(2_000);
    }

    @Test
    void report_json_records_the_signer_and_the_kit() throws Exception {
        // GIVEN a signing key
        KeyPair pair = load(newKey("ecdsa-256", "signer"));
        // WHEN the reports are written for it
        Path dir = reports(RunResultTestCase.conformant(), SignedEvidence.describe(pair));
        JsonNode report = JSON.readTree(dir.resolve("report.json").toFile());
        // THEN report.json names the signer's key and the kit's build
        assertThat(report.at("/signature/signerFingerprint").asText()).isEqualTo(SshSignature.fingerprint(pair.getPublic()));
        assertThat(report.at("/signature/signerKeyType").asText()).isEqualTo("ecdsa-sha2-nistp256");
        assertThat(report.at("/signature/namespace").asText()).isEqualTo("sigkit-evidence");
        assertThat(report.at("/kit/version").asText()).isEqualTo(RunResultTestCase.conformant().kitVersion());
        assertThat(report.at("/kit/commit").asText()).matches("[0-9a-f]{40}|unknown");
        assertThat(report.has("kit")).isTrue();
        // and an unsigned report says it is not signed
        Path unsigned = tmp.resolve("unsigned");
        Reports.writeAll(RunResultTestCase.conformant(), unsigned);
        assertThat(JSON.readTree(unsigned.resolve("report.json").toFile()).get("signature").isNull()).isTrue();
    }

    @Test
    void a_directory_without_sha256sums_is_bad_input() throws Exception {
        // GIVEN reports that were never signed, and a path that is no directory
        Path dir = reports(RunResultTestCase.conformant(), null);
        // WHEN / THEN verifying them is refused, naming what is missing
        assertThatThrownBy(() -> EvidenceVerifier.verify(dir, Optional.empty(), Instant.now()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("holds no SHA256SUMS");
        assertThatThrownBy(() -> EvidenceVerifier.verify(dir.resolve("report.json"), Optional.empty(), Instant.now()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("is not a directory");
    }

    private Path reports(RunResult result, EvidenceSignature signature) throws IOException {
        Path dir = Files.createTempDirectory(tmp, "reports");
        Reports.writeAll(result, dir, signature);
        return dir;
    }

    private static KeyPair load(Path key) {
        return PrivateKeyFile.load(key, "signing key", Optional.empty(), "encrypted");
    }

    /** A key made by ssh-keygen: {@code ed25519}, {@code ecdsa-BITS} or {@code rsa-BITS}. */
    private Path newKey(String type, String name) throws Exception {
        Path key = tmp.resolve(name + "-" + type);
        String[] t = type.split("-");
        List<String> cmd = new ArrayList<>(List.of("ssh-keygen", "-q", "-t", t[0], "-N", "", "-C", name, "-f",
                key.toString()));
        if (t.length > 1) {
            cmd.addAll(List.of("-b", t[1]));
        }
        Run r = run(tmp, new byte[0], cmd.toArray(String[]::new));
        assertThat(r.exit()).as("%s", r).isZero();
        return key;
    }

    private Path allowedSigners(String principal, Path key) throws IOException {
        Path file = Files.createTempFile(tmp, "allowed_signers", "");
        Files.writeString(file, principal + " namespaces=\"sigkit-evidence\" "
                + Files.readString(Path.of(key + ".pub")).strip() + "\n");
        return file;
    }

    record Run(int exit, String output) {
    }

    private static Run run(Path dir, byte[] stdin, String... command) throws Exception {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        p.getOutputStream().write(stdin);
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("%s did not end", List.of(command)).isTrue();
        return new Run(p.exitValue(), out);
    }
}
