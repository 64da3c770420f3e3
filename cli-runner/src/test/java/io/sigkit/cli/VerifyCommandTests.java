package io.sigkit.cli;

import static io.sigkit.cli.SigkitTestCase.assertOneLineError;
import static io.sigkit.cli.SigkitTestCase.newKey;
import static io.sigkit.cli.SigkitTestCase.sigkit;
import static org.assertj.core.api.Assertions.assertThat;

import io.sigkit.check.RequirementResult;
import io.sigkit.cli.SigkitTestCase.Execution;
import io.sigkit.reports.Reports;
import io.sigkit.transport.SecretSource;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sigkit verify} through the command line: a signed report directory is valid; flipping any byte of any of its
 * files, removing one or adding one makes it invalid (exit 1) naming the file; bad input is one line, exit 64.
 */
class VerifyCommandTests {

    @TempDir
    Path tmp;

    Path key;
    Path dir;

    @BeforeEach
    void signedReports() throws Exception {
        // reports of a run with a failure, signed with the CLI's own --sign code path
        key = newKey(tmp, "signer");
        EvidenceKey signing = EvidenceKey.load(key, Optional.empty());
        dir = tmp.resolve("reports");
        List<RequirementResult> results = List.of(ProgressTests.pass("SIG-ENV-002"), ProgressTests.fail("SIG-CONF-001"));
        Reports.writeAll(ProgressTests.run(results, List.of()), dir, signing.signature());
        signing.sign(dir);
    }

    @Test
    void a_signed_report_directory_is_valid_and_says_who_signed() throws Exception {
        // GIVEN an allowed signers file naming the key
        Path allowed = tmp.resolve("allowed_signers");
        Files.writeString(allowed, "qa@example.org " + Files.readString(Path.of(key + ".pub")));
        // WHEN it is verified with and without it
        Execution named = sigkit("verify", dir.toString(), "--allowed-signers", allowed.toString());
        Execution anyKey = sigkit("verify", dir.toString());
        // THEN both exit 0 on one line naming the signer and the re-derived verdict
        assertThat(named.exitCode()).as("%s", named).isZero();
        assertThat(named.out().lines().toList()).singleElement().asString()
                .startsWith("valid: " + dir + ": 4 files match SHA256SUMS; signed by qa@example.org (ssh-ed25519 SHA256:")
                .endsWith("verdict NOT_CONFORMANT re-derived from report.json's results");
        assertThat(anyKey.exitCode()).as("%s", anyKey).isZero();
        assertThat(anyKey.out()).contains("signed by ssh-ed25519 SHA256:", "whether this key may sign was not checked");
    }

    @Test
    void flipping_any_byte_of_any_file_makes_it_invalid_naming_the_file() throws Exception {
        // GIVEN every file of the signed directory
        List<Path> files = files();
        assertThat(files).extracting(p -> p.getFileName().toString())
                .containsExactly("SHA256SUMS", "SHA256SUMS.sig", "junit.xml", "report.html", "report.json", "summary.md");
        int checked = 0;
        for (Path file : files) {
            byte[] original = Files.readAllBytes(file);
            String name = file.getFileName().toString();
            // 24 positions spread over each file, first and last byte included (every byte of every file is flipped
            // through the verifier itself in SignedEvidenceTests)
            List<Integer> positions = new ArrayList<>();
            for (int i = 0; i < 24; i++) {
                positions.add((int) ((long) i * (original.length - 1) / 23));
            }
            for (int k = 0; k < positions.size(); k++) {
                int position = positions.get(k);
                int mask = k % 2 == 0 ? 0x01 : 0x20;
                // WHEN one byte is flipped
                byte[] changed = original.clone();
                changed[position] ^= (byte) mask;
                Files.write(file, changed);
                Execution e = sigkit("verify", dir.toString());
                // THEN exit 1, and a problem line names the file
                assertThat(e.exitCode()).as("byte %d of %s ^ 0x%02x: %s", position, name, mask, e).isEqualTo(1);
                assertThat(e.out().lines().filter(l -> l.startsWith("invalid: " + dir + "/"))
                        .anyMatch(l -> l.contains(name)))
                        .as("byte %d of %s ^ 0x%02x: %s", position, name, mask, e).isTrue();
                checked++;
            }
            Files.write(file, original);
        }
        assertThat(sigkit("verify", dir.toString()).exitCode()).isZero();
        assertThat(checked).isEqualTo(6 * 24);
    }

    @Test
    void removing_any_file_makes_it_invalid_naming_the_file() throws Exception {
        for (Path file : files()) {
            String name = file.getFileName().toString();
            if (name.equals("SHA256SUMS")) {
                continue; // without the list there is nothing to verify: bad input, below
            }
            byte[] original = Files.readAllBytes(file);
            // WHEN one file is removed
            Files.delete(file);
            Execution e = sigkit("verify", dir.toString());
            // THEN exit 1 naming it as missing
            assertThat(e.exitCode()).as("%s removed: %s", name, e).isEqualTo(1);
            assertThat(e.out()).as("%s removed", name).contains("invalid: " + dir + "/" + name + ": missing");
            Files.write(file, original);
        }
    }

    @Test
    void an_added_file_makes_it_invalid_naming_the_file() throws Exception {
        // GIVEN a file slipped into the directory after signing
        Files.writeString(dir.resolve("waiver.txt"), "approved\n");
        // WHEN it is verified
        Execution e = sigkit("verify", dir.toString());
        // THEN exit 1 naming the file
        assertThat(e.exitCode()).as("%s", e).isEqualTo(1);
        assertThat(e.out()).contains("invalid: " + dir + "/waiver.txt: not listed in SHA256SUMS");
    }

    @Test
    void a_key_not_in_the_allowed_signers_is_invalid_and_named() throws Exception {
        // GIVEN allowed signers that name another key
        Path other = newKey(tmp, "other");
        Path allowed = tmp.resolve("allowed_signers");
        Files.writeString(allowed, "qa@example.org " + Files.readString(Path.of(other + ".pub")));
        // WHEN it is verified against them
        Execution e = sigkit("verify", dir.toString(), "--allowed-signers", allowed.toString());
        // THEN exit 1, naming the key that did sign
        assertThat(e.exitCode()).as("%s", e).isEqualTo(1);
        assertThat(e.out()).contains("SHA256SUMS.sig: signed by ssh-ed25519 SHA256:", "which " + allowed
                + " does not allow to sign sigkit-evidence");
    }

    @Test
    void bad_input_is_one_line_with_the_usage_exit_code() throws Exception {
        Files.delete(dir.resolve("SHA256SUMS"));
        for (String[] args : List.of(new String[] {"verify", dir.toString()},
                new String[] {"verify", dir.resolve("report.json").toString()},
                new String[] {"verify", tmp.resolve("nothing").toString()},
                new String[] {"verify", dir.toString(), "--allowed-signers", tmp.resolve("nothing").toString()},
                new String[] {"verify"})) {
            // WHEN verify is given a directory without SHA256SUMS, a file, a missing path or allowed signers file,
            // or no directory
            Execution e = sigkit(args);
            // THEN exit 64 with one line
            assertThat(e.exitCode()).as("%s: %s", List.of(args), e).isEqualTo(64);
            assertOneLineError(e);
        }
        assertThat(sigkit("verify", dir.toString()).err()).contains("holds no SHA256SUMS");
    }

    @Test
    void an_encrypted_signing_key_loads_with_its_passphrase_and_is_refused_without() throws Exception {
        // GIVEN an RSA key encrypted with a passphrase, held in a file
        Path rsa = tmp.resolve("rsa-signer");
        Process p = new ProcessBuilder("ssh-keygen", "-q", "-t", "rsa", "-b", "3072", "-N", "s3cret phrase", "-f",
                rsa.toString()).redirectErrorStream(true).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isZero();
        Path passphrase = tmp.resolve("passphrase");
        Files.writeString(passphrase, "s3cret phrase\n", StandardCharsets.UTF_8);
        // WHEN it is loaded with and without the passphrase
        EvidenceKey loaded = EvidenceKey.load(rsa, Optional.of(SecretSource.file(passphrase)));
        CliError refused = org.junit.jupiter.api.Assertions.assertThrows(CliError.class,
                () -> EvidenceKey.load(rsa, Optional.empty()));
        // THEN it signs as rsa-sha2-512 under the key's own fingerprint; without, the error names the flags
        assertThat(loaded.signature().keyType()).isEqualTo("ssh-rsa");
        assertThat(loaded.signature().fingerprint()).isEqualTo(fingerprintOf(rsa));
        assertThat(refused.getMessage()).contains("signing key " + rsa + " is encrypted",
                "--sign-passphrase-env VAR or --sign-passphrase-file FILE");
        assertThat(refused.exitCode()).isEqualTo(64);
    }

    @Test
    void sign_without_a_report_directory_or_a_passphrase_flag_without_sign_is_a_usage_error() throws Exception {
        // WHEN --sign is given without --report-dir, or --sign-passphrase-env without --sign (nothing is connected to:
        // the checks come before the run)
        Execution noDir = sigkit("certify", "--target", "ssh://sigapi@127.0.0.1:" + SigkitTestCase.closedPort(),
                "--identity", key.toString(), "--sign", key.toString());
        Execution noSign = sigkit("certify", "--target", "ssh://sigapi@127.0.0.1:" + SigkitTestCase.closedPort(),
                "--identity", key.toString(), "--sign-passphrase-env", "X", "--report-dir", tmp.resolve("r").toString());
        // THEN exit 64, one line each, naming the flags
        assertThat(noDir.exitCode()).as("%s", noDir).isEqualTo(64);
        assertOneLineError(noDir);
        assertThat(noDir.err()).contains("--sign needs --report-dir");
        assertThat(noSign.exitCode()).as("%s", noSign).isEqualTo(64);
        assertOneLineError(noSign);
        assertThat(noSign.err()).contains("--sign-passphrase-env goes with --sign");
    }

    private static String fingerprintOf(Path privateKey) throws Exception {
        Process p = new ProcessBuilder("ssh-keygen", "-l", "-E", "sha256", "-f", privateKey + ".pub")
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return out.split(" ")[1];
    }

    private List<Path> files() throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.sorted(Comparator.comparing(Path::toString)).toList();
        }
    }
}
