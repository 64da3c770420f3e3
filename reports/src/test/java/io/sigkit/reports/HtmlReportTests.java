package io.sigkit.reports;

import static org.assertj.core.api.Assertions.assertThat;

import io.sigkit.check.Outcome;
import io.sigkit.reports.internal.HtmlView;
import io.sigkit.run.RunResult;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HtmlReportTests {

    @Test
    void hostile_payload_output_is_escaped_by_the_template_engine() {
        // GIVEN messages, evidence, commands and purposes carrying markup, ]]>, control characters and unicode
        String html = HtmlReport.render(RunResultTestCase.notConformant());

        // THEN no payload text became markup: the page has no script, no img, no injected attribute
        assertThat(html).doesNotContainIgnoringCase("<script").doesNotContainIgnoringCase("<img")
                .doesNotContain("<!-- -->");
        // AND it is shown escaped for element text
        assertThat(html).contains("&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;")
                .contains("\"&gt;&lt;img src=x onerror=alert(2)&gt;")
                .contains("]]&gt;")
                .contains("&amp;amp;");
        // AND control characters are shown escaped (\\x1b, \\u202e), unicode kept as it is
        assertThat(html).contains(RunResultTestCase.HOSTILE_CONTROLS_SHOWN)
                .contains("Grüße ✓ 漢字 😀")
                .doesNotContain("\u0000").doesNotContain("\u001b").doesNotContain("\u007f").doesNotContain("\u0007")
                .doesNotContain("\u202e").doesNotContain("cr\rover");
    }

    @Test
    void waivers_are_a_banner_under_the_verdict_and_the_waived_row_says_so() {
        // GIVEN a run with an applied, an expired, a wrong-build and an unused waiver
        String html = HtmlReport.render(RunResultTestCase.waived());

        // THEN the verdict is CONFORMANT_WITH_WAIVERS and names the waived requirement
        assertThat(html).contains("<header class=\"verdict conformant-with-waivers\">")
                .contains("<h1 id=\"verdict\">CONFORMANT_WITH_WAIVERS</h1>")
                .contains("except 1 that failed under an applied waiver: SIG-CFG-003");
        // AND a banner right under it lists every waiver with its status, the user's text escaped
        int banner = html.indexOf("<section class=\"waivers-banner\"");
        assertThat(banner).isPositive().isGreaterThan(html.indexOf("</header>"))
                .isLessThan(html.indexOf("<section class=\"counts\""));
        assertThat(html).contains("<h2>Waivers: 1 applied of 4</h2>")
                .contains("<td class=\"status applied\">APPLIED</td>")
                .contains("<td class=\"status not-applied\">EXPIRED</td>")
                .contains("<td class=\"status not-applied\">OTHER_PAYLOAD_EXEC</td>")
                .contains("<td class=\"status unused\">UNUSED</td>")
                .contains("rejects unknown keys &lt;b&gt;on purpose&lt;/b&gt; | fixed in build 42 [NCR-7]")
                .doesNotContain("<b>on purpose");
        // AND the waived row is badged WAIVED, keeps the failure's message, and names the waiver
        assertThat(html).contains("<span class=\"badge waived\">WAIVED</span>")
                .contains("[SIG-CFG-003] configure exited 1 for a config with an unknown key")
                .contains("FAIL accepted by a waiver, approved by J. Doe (customer QA), until 2027-01-31");
        // AND a run without waivers has no banner
        assertThat(HtmlReport.render(RunResultTestCase.conformant())).doesNotContain("waivers-banner\"");
    }

    @Test
    void escaping_follows_the_context_attribute_values_too() {
        // GIVEN a hostile transcript purpose, which lands in element text and in a title="..." attribute
        String html = HtmlReport.render(RunResultTestCase.notConformant());

        // THEN in the attribute its quote is escaped, so it cannot close the attribute and add its own
        assertThat(html).contains("<code title=\"SIG-START-003 start &lt;/script>&lt;script>alert(1)&lt;/script> "
                + "&#34;>&lt;img src=x onerror=alert(2)> ]]> &lt;!-- --> &amp;amp; `tick`");
        // AND no attribute value anywhere holds a tag opener; no event handler made it into the page
        Matcher attributes = Pattern.compile("\\s([a-zA-Z-]+)=\"([^\"]*)\"").matcher(html);
        int seen = 0;
        while (attributes.find()) {
            assertThat(attributes.group(2)).as("attribute %s", attributes.group(1)).doesNotContain("<");
            seen++;
        }
        assertThat(seen).isGreaterThan(100);
        assertThat(html).doesNotContainPattern("\\son[a-z]+=\"");
    }

    @Test
    void verdict_comes_first_then_identity_then_a_table_per_group() {
        String html = HtmlReport.render(RunResultTestCase.notConformant());

        int verdict = html.indexOf("<h1 id=\"verdict\">NOT_CONFORMANT</h1>");
        int target = html.indexOf("<h2>Target</h2>");
        int results = html.indexOf("<h2>Results</h2>");
        assertThat(verdict).isPositive();
        assertThat(target).isGreaterThan(verdict);
        assertThat(results).isGreaterThan(target);
        assertThat(html).contains("class=\"verdict not-conformant\"")
                .contains("2 requirements failed: SIG-CONF-001, SIG-TIME-002.");
        int previous = results;
        for (String group : new String[] {"SIG-ENV", "SIG-FS", "SIG-PRIV", "SIG-CFG", "SIG-CONF", "SIG-START", "SIG-END",
                "SIG-TIME"}) {
            int at = html.indexOf("<h3 id=\"" + group + "\">");
            assertThat(at).as(group).isGreaterThan(previous);
            previous = at;
        }
        assertThat(countOf(html, "<table class=\"results\">")).isEqualTo(8);
        assertThat(countOf(html, "<tr class=\"")).isGreaterThanOrEqualTo(31);
        assertThat(html).contains(RunResultTestCase.FINGERPRINT).contains(RunResultTestCase.SHA).contains("/bin/bash");
    }

    @Test
    void evidence_and_commands_expand_under_their_requirement() {
        String html = HtmlReport.render(RunResultTestCase.notConformant());

        // SIG-CONF-002's row holds its evidence, timings and the commands whose purpose names it
        String row = html.substring(html.indexOf("<tr class=\"fail\" id=\"SIG-CONF-002\">"));
        row = row.substring(0, row.indexOf("</tr>\n", row.indexOf("</details>")));
        assertThat(row).contains("<details>").contains("<summary>evidence (5), timings (6), commands (3)</summary>")
                .contains("completes within 15 s").contains("configure #2 to channel close")
                .contains("/usr/bin/payload_exec -u john -e -w 2100000017 &gt; /dev/null");
        assertThat(html).contains("<summary>5 commands, in the order the kit sent them</summary>");
    }

    @Test
    void chart_shows_every_configure_timing_against_the_budget() {
        RunResult run = RunResultTestCase.conformant();
        int samples = run.result("SIG-CONF-002").orElseThrow().timings().size();

        HtmlView.Chart chart = TimingChart.of(run);
        String html = HtmlReport.render(run);

        assertThat(chart).isNotNull();
        assertThat(chart.bars()).hasSize(samples);
        assertThat(chart.budgetLabel()).isEqualTo("budget 15 s");
        // every bar is drawn below the budget line (they are 0.3 s against 15 s) and above the axis
        double budgetY = Double.parseDouble(chart.budgetY());
        assertThat(chart.bars()).allSatisfy(b -> {
            assertThat(Double.parseDouble(b.y())).isGreaterThan(budgetY);
            assertThat(Double.parseDouble(b.y()) + Double.parseDouble(b.height()))
                    .isCloseTo(chart.plotBottom(), org.assertj.core.data.Offset.offset(0.11));
        });
        assertThat(countOf(html, "<rect class=\"bar ")).isEqualTo(samples + chart.legend().size());
        assertThat(html).contains("<line class=\"budget\"").contains(">budget 15 s</text>")
                .contains("<title>configure #1 to exit status: 319.0 ms (kit)</title>")
                .contains(">run #5</text>");
    }

    @Test
    void bars_over_budget_stand_out_and_reach_above_the_line() {
        HtmlView.Chart chart = TimingChart.of(RunResultTestCase.notConformant());

        double budgetY = Double.parseDouble(chart.budgetY());
        assertThat(chart.bars()).filteredOn(b -> b.cssClass().contains("over"))
                .extracting(HtmlView.Bar::tooltip)
                .containsExactly("configure #2 to exit status: 15.40 s (kit)", "configure #2 to channel close: 15.80 s (kit)");
        assertThat(chart.bars()).filteredOn(b -> b.cssClass().contains("over"))
                .allSatisfy(b -> assertThat(Double.parseDouble(b.y())).isLessThan(budgetY));
        assertThat(chart.bars()).filteredOn(b -> !b.cssClass().contains("over"))
                .allSatisfy(b -> assertThat(Double.parseDouble(b.y())).isGreaterThan(budgetY));
        assertThat(chart.legend()).extracting(HtmlView.Legend::text).contains("over budget");
    }

    @Test
    void connection_failure_page_says_why_there_is_nothing_to_show() {
        RunResult run = RunResultTestCase.connectionFailed();

        String html = HtmlReport.render(run);

        assertThat(TimingChart.of(run)).isNull();
        assertThat(html).contains("<h1 id=\"verdict\">" + run.verdict() + "</h1>")
                .contains("SIG-CONF-002 is SKIPPED and has no configure timings to show.")
                .contains("No command ran on the payload.")
                .contains("The kit ran no command on the payload, so it left nothing there.")
                .doesNotContain("<svg");
        assertThat(countOf(html, "<span class=\"badge skipped\">")).isEqualTo((int) run.count(Outcome.SKIPPED));
    }

    @Test
    void the_page_is_self_contained() {
        String html = HtmlReport.render(RunResultTestCase.notConformant());

        // nothing to fetch: no src/href attributes, no @import or url() in the CSS, and a CSP forbidding any load
        assertThat(html).doesNotContainPattern("\\s(src|href)=\"").doesNotContain("@import").doesNotContain("url(")
                .doesNotContain("http://").doesNotContain("https://")
                .contains("content=\"default-src 'none'; style-src 'unsafe-inline'");
    }

    @Test
    void cleanup_manifest_flags_what_was_not_removed() {
        String html = HtmlReport.render(RunResultTestCase.notConformant());

        assertThat(html).contains("1 of 3 items were NOT removed")
                .contains("<td class=\"removed-no\">NO</td>")
                .contains("/signaling/inbox/john/sigkit-5eed1234.bin");
    }

    @Test
    void write_creates_the_file(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("a/b/report.html");

        HtmlReport.write(RunResultTestCase.conformant(), file);

        assertThat(Files.readString(file, StandardCharsets.UTF_8)).startsWith("<!DOCTYPE html>")
                .contains("<h1 id=\"verdict\">CONFORMANT</h1>");
    }

    private static int countOf(String text, String part) {
        int n = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
            n++;
        }
        return n;
    }
}
