package io.sigkit.reports;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.sigkit.reports.FleetSummary.Member;
import io.sigkit.reports.FleetSummary.Status;
import io.sigkit.schemas.SchemaId;
import io.sigkit.schemas.SchemaValidator;
import io.sigkit.schemas.ValidationReport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** fleet.json, junit.xml and index.html of a fleet: valid, one suite per target, linked, payload text escaped. */
class FleetReportsTests {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path dir;

    /** A conformant, a not conformant (its reports written) and an unreachable target whose error is hostile. */
    private FleetSummary fleet() {
        Reports.writeAll(RunResultTestCase.conformant(), dir.resolve("fm-001"));
        Reports.writeAll(RunResultTestCase.notConformant(), dir.resolve("fm-002"));
        Instant t0 = RunResultTestCase.STARTED;
        return new FleetSummary("fleet.yaml", t0, t0.plusSeconds(95), 3, List.of(
                Member.certified("fm-001", "ssh://sigapi@10.0.0.2", RunResultTestCase.conformant(), 0,
                        Duration.ofSeconds(90), "fm-001"),
                Member.certified("fm-002", "ssh://sigapi@10.0.0.3", RunResultTestCase.notConformant(), 1,
                        Duration.ofSeconds(92), "fm-002"),
                Member.unreachable("fm-003", "ssh://sigapi@10.0.0.4", RunResultTestCase.connectionFailed(), 64,
                        Duration.ofMillis(40), "host key of 10.0.0.4:22 changed: " + RunResultTestCase.HOSTILE)));
    }

    @Test
    void every_verdict_has_a_fleet_status_and_waivers_rank_between_conformant_and_incomplete() {
        // GIVEN every verdict a certification can end with
        for (io.sigkit.run.Verdict v : io.sigkit.run.Verdict.values()) {
            // THEN it has a fleet status of the same name
            assertThat(Status.of(v).name()).isEqualTo(v.name());
        }
        // AND a fleet whose worst target is conformant with waivers ranks below one with an incomplete target
        assertThat(Status.CONFORMANT_WITH_WAIVERS).isGreaterThan(Status.CONFORMANT).isLessThan(Status.INCOMPLETE);
    }

    @Test
    void fleet_json_is_valid_and_names_the_worst_target_and_each_failure() throws Exception {
        // GIVEN a fleet of a conformant, a not conformant and an unreachable target
        // WHEN its summary is written
        List<Path> files = FleetReports.writeAll(fleet(), dir);
        // THEN fleet.json is valid against fleet.v1
        assertThat(files).extracting(p -> p.getFileName().toString()).containsExactly("fleet.json", "junit.xml", "index.html");
        ValidationReport report = SchemaValidator.of(SchemaId.FLEET_V1).validate(dir.resolve("fleet.json"));
        assertThat(report.valid()).as(report.describe()).isTrue();
        // AND the worst status is the unreachable target's, with its exit code
        JsonNode json = JSON.readTree(dir.resolve("fleet.json").toFile());
        assertThat(json.get("status").asText()).isEqualTo("UNREACHABLE");
        assertThat(json.get("exitCode").asInt()).isEqualTo(64);
        assertThat(json.at("/counts/CONFORMANT").asInt()).isEqualTo(1);
        // AND each target says what failed or why it has no verdict, the error kept exactly (JSON escapes it)
        assertThat(json.at("/targets/1/failed").toString()).contains("SIG-CONF-001", "SIG-TIME-002", "SIG-START-003");
        assertThat(json.at("/targets/2/error").asText()).contains("</script><script>alert(1)", "esc\u001b[31m", "rlo\u202eevil");
        assertThat(json.at("/targets/2/reportDir").isNull()).isTrue();
    }

    @Test
    void junit_xml_has_one_suite_per_target_named_by_the_target() throws Exception {
        // WHEN the fleet's summary is written
        FleetReports.writeAll(fleet(), dir);
        // THEN junit.xml is well-formed, with one testsuite per target in the inventory's order
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        Document doc = f.newDocumentBuilder().parse(dir.resolve("junit.xml").toFile());
        assertThat(doc.getDocumentElement().getTagName()).isEqualTo("testsuites");
        NodeList suites = doc.getElementsByTagName("testsuite");
        assertThat(suites.getLength()).isEqualTo(3);
        assertThat(((Element) suites.item(0)).getAttribute("name")).isEqualTo("fm-001");
        // AND a certified target's suite is its own report's: a testcase per requirement, its failures
        Element second = (Element) suites.item(1);
        assertThat(second.getAttribute("name")).isEqualTo("fm-002");
        assertThat(second.getElementsByTagName("testcase").getLength()).isEqualTo(31);
        assertThat(second.getAttribute("failures")).isEqualTo("2");
        // AND the unreachable one is a suite of one error, its control characters shown, not sent
        Element third = (Element) suites.item(2);
        assertThat(third.getAttribute("errors")).isEqualTo("1");
        String message = ((Element) third.getElementsByTagName("error").item(0)).getAttribute("message");
        assertThat(message).contains("host key of 10.0.0.4:22 changed", "esc\\x1b[31m").doesNotContain("\u001b");
    }

    @Test
    void index_html_links_each_report_and_escapes_what_the_payload_said() throws Exception {
        // WHEN the fleet's summary is written
        FleetReports.writeAll(fleet(), dir);
        String html = Files.readString(dir.resolve("index.html"));
        // THEN each certified target links its report.html, which exists; the unreachable one links nothing
        assertThat(html).contains("<a href=\"fm-001/report.html\">fm-001</a>", "<a href=\"fm-002/report.html\">fm-002</a>")
                .doesNotContain("fm-003/report.html");
        assertThat(dir.resolve("fm-001/report.html")).isRegularFile();
        // AND the hostile error is text, not markup or terminal control
        assertThat(html).doesNotContain("<script>alert(1)</script>").doesNotContain("<img src=x")
                .contains("&lt;/script&gt;&lt;script&gt;alert(1)").doesNotContain("\u001b").doesNotContain("\u202e");
        assertThat(html).contains("id=\"status\">UNREACHABLE<");
    }

    @Test
    void the_worst_status_orders_verdicts_before_unreachable_and_errors() {
        // GIVEN members of each status
        Instant t0 = RunResultTestCase.STARTED;
        Member conformant = Member.certified("a", "ssh://u@a", RunResultTestCase.conformant(), 0, Duration.ZERO, "a");
        Member failed = Member.certified("b", "ssh://u@b", RunResultTestCase.notConformant(), 1, Duration.ZERO, "b");
        Member error = Member.failed("c", "ssh://u@c", 70, Duration.ZERO, "internal error");
        // THEN NOT_CONFORMANT is worse than CONFORMANT, and a kit error worse than both
        assertThat(new FleetSummary("f", t0, t0, 1, List.of(conformant, failed)).worst().status())
                .isEqualTo(Status.NOT_CONFORMANT);
        assertThat(new FleetSummary("f", t0, t0, 1, List.of(error, conformant, failed)).worst().exitCode()).isEqualTo(70);
        assertThat(List.of(Status.values())).containsExactly(Status.CONFORMANT, Status.CONFORMANT_WITH_WAIVERS, Status.INCOMPLETE,
                Status.NOT_CONFORMANT, Status.UNREACHABLE, Status.ERROR);
    }
}
