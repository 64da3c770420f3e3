package io.sigkit.reports;

import static org.assertj.core.api.Assertions.assertThat;

import io.sigkit.run.RunResult;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MarkdownSummaryTests {

    @Test
    void verdict_line_and_counts_come_first() {
        String md = MarkdownSummary.render(RunResultTestCase.notConformant());

        List<String> lines = md.lines().toList();
        assertThat(lines.get(0)).isEqualTo("## ❌ sigkit: **NOT_CONFORMANT** — signal@127.0.0.1:2201");
        assertThat(md).contains("| PASS | FAIL | ERROR | SKIPPED | NOT\\_VERIFIED | WAIVED | total |")
                .contains("| 22 | 4 | 1 | 3 | 1 | 0 | 31 |")
                .contains("Host key: `ssh-ed25519 " + RunResultTestCase.FINGERPRINT + "`");
    }

    @Test
    void waivers_come_right_after_the_verdict_each_with_its_status() {
        // GIVEN a run with an applied, an expired, a wrong-build and an unused waiver
        String md = MarkdownSummary.render(RunResultTestCase.waived());

        // THEN the verdict says waivers, and the waivers table comes before the counts
        assertThat(md.lines().findFirst().orElseThrow())
                .isEqualTo("## ☑️ sigkit: **CONFORMANT_WITH_WAIVERS** — signal@127.0.0.1:2201");
        int waivers = md.indexOf("### Waivers: 1 applied of 4");
        assertThat(waivers).isPositive().isLessThan(md.indexOf("| PASS | FAIL |"));
        assertThat(md).contains("| SIG-CFG-003 | **APPLIED** | J. Doe \\(customer QA\\) | 2027-01-31 | rejects unknown keys"
                        + " \\<b\\>on purpose\\</b\\> \\| fixed in build 42 \\[NCR-7\\] |")
                .contains("| SIG-CONF-004 | **EXPIRED** |").contains("| SIG-FS-006 | **OTHER\\_PAYLOAD\\_EXEC** |")
                .contains("| SIG-CFG-001 | **UNUSED** |")
                .contains("| SIG-CFG-003 | REQUIRED | WAIVED (was FAIL) |");
    }

    @Test
    void results_that_did_not_pass_are_listed_before_all_results() {
        String md = MarkdownSummary.render(RunResultTestCase.notConformant());

        int notPassed = md.indexOf("### Not passed (9)");
        int all = md.indexOf("### All results (31)");
        assertThat(notPassed).isPositive();
        assertThat(all).isGreaterThan(notPassed);
        String attention = md.substring(notPassed, all);
        assertThat(attention).contains("| SIG-CONF-001 | REQUIRED | FAIL |")
                .contains("| SIG-CONF-002 | RECOMMENDED | FAIL (warning) |")
                .contains("| SIG-FS-006 | RECOMMENDED | FAIL (warning) |")
                .contains("| SIG-START-003 | REQUIRED | ERROR |")
                .contains("| SIG-END-001 | REQUIRED | NOT_VERIFIED |")
                .doesNotContain("| PASS |");
        assertThat(md.substring(all).lines().filter(l -> l.startsWith("| SIG-"))).hasSize(31);
        assertThat(md).contains("**Cleanup incomplete:** 1 item(s)");
    }

    @Test
    void payload_output_cannot_break_the_table_or_open_code_or_html() {
        // GIVEN messages carrying |, backticks, markup, line breaks and control characters
        String md = MarkdownSummary.render(RunResultTestCase.notConformant());

        // THEN every table row keeps exactly its five cell borders (escaped pipes do not count)
        md.lines().filter(l -> l.startsWith("| SIG-")).forEach(line ->
                assertThat(line.replace("\\|", "").chars().filter(c -> c == '|').count()).as(line).isEqualTo(5));
        // AND the hostile text is escaped, not live
        assertThat(md).contains("\\`tick\\` \\| pipe \\| \\$\\{x\\} \\{\\{y\\}\\}")
                .contains("\\</script\\>\\<script\\>alert\\(1\\)\\</script\\>")
                .contains("\\&amp;")
                .doesNotContain("\u0000");
        // AND terminal control sequences (cursor, erase, colour, OSC 52, bare CR, bidi override) are shown escaped
        assertThat(md).contains(MarkdownSummary.escape(RunResultTestCase.HOSTILE_CONTROLS_SHOWN))
                .contains("esc\\\\x1b\\[31m").contains("rlo\\\\u202eevil");
        assertThat(md.chars().filter(c -> c != '\n' && (c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == 0x202e)))
                .as("raw control characters").isEmpty();
        assertThat(md).as("no unescaped < that could open a tag").doesNotContainPattern("(?<!\\\\)<");
    }

    @Test
    void escape_and_code_spans() {
        assertThat(MarkdownSummary.escape("a|b`c*d_e\nf")).isEqualTo("a\\|b\\`c\\*d\\_e f");
        assertThat(MarkdownSummary.code("x `y` z")).isEqualTo("``x `y` z``");
        assertThat(MarkdownSummary.code("`start")).isEqualTo("`` `start ``");
        assertThat(MarkdownSummary.code("")).isEqualTo("unknown");
    }

    @Test
    void conformant_run_says_so() {
        RunResult run = RunResultTestCase.conformant();

        String md = MarkdownSummary.render(run);

        assertThat(md).startsWith("## ✅ sigkit: **CONFORMANT**").contains("### Not passed (2)")
                .doesNotContain("Cleanup incomplete");
    }

    @Test
    void write_creates_the_file(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("ci/summary.md");

        MarkdownSummary.write(RunResultTestCase.connectionFailed(), file);

        assertThat(Files.readString(file, StandardCharsets.UTF_8)).startsWith("## ❌ sigkit: **NOT_CONFORMANT**")
                .contains("| SIG-ENV-002 | REQUIRED | FAIL |");
    }
}
