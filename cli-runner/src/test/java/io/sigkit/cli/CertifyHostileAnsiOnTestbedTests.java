package io.sigkit.cli;

import static io.sigkit.cli.SigkitTestCase.sigkit;
import static io.sigkit.cli.SigkitTestCase.write;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.sigkit.bus.Window;
import io.sigkit.cli.SigkitTestCase.Execution;
import io.sigkit.testbed.junit.RequiresTestbed;
import io.sigkit.testbed.RunningPayload;
import io.sigkit.testbed.Testbed;
import io.sigkit.testbed.Variant;
import io.sigkit.testbed.Variants;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Terminal safety (issue 9) on a real payload: the testbed's {@code hostile-ansi-stderr} writes cursor movement, erase
 * line, colour, OSC 52 (set the clipboard), BEL, an 8-bit CSI, a bare CR and a right-to-left override on configure's
 * stderr and in its OS name, and is otherwise the reference. Certified and signalled through the CLI, none of it may
 * reach stdout, stderr or summary.md raw; it is shown escaped, and the verdict is the reference's.
 */
@RequiresTestbed
class CertifyHostileAnsiOnTestbedTests {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** What the variant's configure writes on stderr, as the kit must show it. */
    private static final String STDERR_SHOWN = "configure: calibrating\\x1b[1A\\x1b[2K\\r\\x1b[32mCONFORMANT\\x1b[0m "
            + "\\x1b]52;c;aGVsbG8=\\x07\\x07 \\u009b2J \\u202eexe.txt";
    /** The variant's OS name (PRETTY_NAME), as the kit must show it. */
    private static final String OS_SHOWN = "Debian GNU/Linux 12 \\x1b[1A\\x1b[2K\\x1b[32mCONFORMANT\\x1b[0m"
            + "\\x1b]52;c;aGVsbG8=\\x07\\r\\u202e";

    @TempDir
    Path dir;

    /**
     * No ESC, BEL or CSI byte (0x1b, 0x07, 0x9b: in UTF-8, U+009B is C2 9B, while 0x9b alone is part of other
     * characters), no bare CR, no other C0/C1 control and no bidi override.
     */
    static void assertNothingRaw(String what, String text) {
        assertThat(text.chars().filter(c -> c != '\n' && (c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == 0x202e)))
                .as("raw control characters on %s:%n%s", what, text).isEmpty();
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < bytes.length; i++) {
            assertThat(bytes[i]).as("byte %d on %s", i, what).isNotIn((byte) 0x1b, (byte) 0x07);
            assertThat(bytes[i] == (byte) 0xc2 && i + 1 < bytes.length && bytes[i + 1] == (byte) 0x9b)
                    .as("CSI at byte %d on %s", i, what).isFalse();
        }
    }

    @Test
    void a_payload_writing_terminal_sequences_gets_the_references_verdict_and_none_reaches_the_terminal() throws Exception {
        Variant hostile = Variants.named("hostile-ansi-stderr");
        assertThat(hostile.hostile()).isTrue();
        try (RunningPayload payload = Testbed.start(hostile.spec())) {
            // GIVEN the payload really carries the sequences (its OS name holds ESC)
            assertThat(payload.exec("cat", "/etc/os-release").stdout()).contains("\u001b]52;c;aGVsbG8=\u0007");
            Path reports = dir.resolve("reports");

            // WHEN it is certified with text output (plain progress, as on a pipe) and reports
            Execution e = sigkit(CertifyOnTestbedTests.certify(payload, payload.knownHosts(), "--report-dir",
                    reports.toString()));

            // THEN the verdict is the reference's without the opt-in tiers: INCOMPLETE, nothing failed
            assertThat(e.exitCode()).as("%s", e).isEqualTo(ExitCodes.INCOMPLETE);
            assertThat(e.out()).contains("Verdict: INCOMPLETE").contains(" 0 FAIL, 0 ERROR,");
            // AND no control character reached stdout or stderr; the OS name is shown escaped in the summary
            assertNothingRaw("stdout", e.out());
            assertNothingRaw("stderr", e.err());
            assertThat(e.out()).contains(OS_SHOWN);
            // AND summary.md holds nothing raw either
            assertNothingRaw("summary.md", Files.readString(reports.resolve("summary.md"), StandardCharsets.UTF_8));
            // AND junit.xml shows configure's stderr escaped, as the terminal would
            String junit = Files.readString(reports.resolve("junit.xml"), StandardCharsets.UTF_8);
            assertNothingRaw("junit.xml", junit);
            assertThat(junit).contains(STDERR_SHOWN);
            // AND report.json keeps the raw text, escaped by JSON itself
            String json = Files.readString(reports.resolve("report.json"), StandardCharsets.UTF_8);
            assertNothingRaw("report.json", json);
            JsonNode conf = null;
            for (JsonNode r : JSON.readTree(json).get("results")) {
                if (r.get("id").asText().equals("SIG-CONF-001")) {
                    conf = r;
                }
            }
            assertThat(conf).isNotNull();
            assertThat(conf.get("outcome").asText()).isEqualTo("PASS");
            assertThat(conf.get("evidence").get("stderr").asText()).contains("\u001b[1A\u001b[2K\r\u001b[32mCONFORMANT")
                    .contains("\u009b2J \u202eexe.txt");

            // WHEN configure is signalled by hand, which prints the payload's stderr
            long window = Window.RESERVED_FIRST + 4250;
            Path config = write(dir, "config.json", ValidateCommandTests.SPEC_EXAMPLE);
            Execution s = sigkit("signal", "configure", "--target", payload.target(), "--identity",
                    payload.identity().toString(), "--known-hosts", payload.knownHosts().toString(), "--window",
                    Long.toString(window), "--config", config.toString());

            // THEN it exits 0 and shows that stderr escaped, nothing raw
            assertThat(s.exitCode()).as("%s", s).isZero();
            assertNothingRaw("stdout of signal", s.out());
            assertNothingRaw("stderr of signal", s.err());
            assertThat(s.out()).contains("stderr:           " + STDERR_SHOWN);
        }
    }
}
