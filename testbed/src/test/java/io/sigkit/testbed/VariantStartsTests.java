package io.sigkit.testbed;

import io.sigkit.testbed.junit.RequiresTestbed;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each variant of variants.json starts and has its flaw: its setup.sh ran (a failing one stops {@code up}), the
 * payload_exec installed is the one generated for it, and its flaw.sh, where the flaw lies outside payload_exec, finds
 * the flaw in place. What the kit concludes about the variant is BrokenVariantsTests' and its siblings' business; this
 * proves only that the payload they certify is the one described.
 */
@RequiresTestbed
class VariantStartsTests {

    static Stream<Variant> variants() {
        return Variants.all().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("variants")
    void the_variant_starts_and_has_its_flaw(Variant variant) throws IOException {
        Path dir = Testbed.home().resolve("payloads").resolve("variants").resolve(variant.name());
        Path ownExec = dir.resolve("payload_exec");
        Path flaw = dir.resolve("flaw.sh");
        assertThat(Files.exists(ownExec) || Files.exists(flaw))
                .as("%s has its own payload_exec or a flaw.sh (make_variants.py requires one)", variant.name())
                .isTrue();
        // GIVEN the variant, WHEN it is started
        try (RunningPayload payload = Testbed.start(variant.spec())) {
            // THEN the payload_exec installed is the variant's own, byte for byte
            if (Files.exists(ownExec)) {
                CommandResult sum = payload.exec("sha256sum", "/usr/bin/payload_exec");
                assertThat(sum.stdout()).as("%s: sha256sum /usr/bin/payload_exec (%s)", variant.name(), sum.stderr())
                        .startsWith(sha256(ownExec) + " ");
            }
            // AND its flaw is in place
            if (Files.exists(flaw)) {
                CommandResult check = payload.exec("env", "SIGKIT_USER=" + payload.user(), "sh", "-c",
                        Files.readString(flaw));
                assertThat(check.exitStatus()).as("%s: flaw.sh finds the flaw (stdout: %s, stderr: %s)",
                        variant.name(), check.stdout(), check.stderr()).isZero();
            }
        }
    }

    @Test
    void no_flaw_check_finds_its_flaw_in_the_reference() throws IOException {
        // GIVEN the reference payload, WHEN every variant's flaw.sh runs in it
        try (RunningPayload reference = Testbed.start(PayloadSpec.reference())) {
            for (Variant variant : Variants.all()) {
                Path flaw = Testbed.home().resolve("payloads").resolve("variants").resolve(variant.name())
                        .resolve("flaw.sh");
                if (Files.exists(flaw)) {
                    // THEN none finds its flaw: a check that passes on the reference would prove nothing
                    CommandResult check = reference.exec("env", "SIGKIT_USER=" + reference.user(), "sh", "-c",
                            Files.readString(flaw));
                    assertThat(check.exitStatus()).as("%s: flaw.sh on the reference", variant.name()).isNotZero();
                }
            }
        }
    }

    private static String sha256(Path file) throws IOException {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
