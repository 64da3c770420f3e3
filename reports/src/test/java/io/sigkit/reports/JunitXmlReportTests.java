package io.sigkit.reports;

import static org.assertj.core.api.Assertions.assertThat;

import io.sigkit.catalog.Level;
import io.sigkit.check.Outcome;
import io.sigkit.check.RequirementResult;
import io.sigkit.run.RunResult;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import org.apache.maven.plugin.surefire.log.api.NullConsoleLogger;
import org.apache.maven.plugins.surefire.report.ReportTestCase;
import org.apache.maven.plugins.surefire.report.ReportTestSuite;
import org.apache.maven.plugins.surefire.report.TestSuiteXmlParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

class JunitXmlReportTests {

    @TempDir
    Path dir;

    @Test
    void one_testcase_per_requirement_with_counts_that_match() throws Exception {
        // GIVEN a not conformant run: 2 REQUIRED failures, 1 RECOMMENDED failure, 1 error, 3 skipped, 1 not verified
        RunResult run = RunResultTestCase.notConformant();

        Element suite = parse(write(run)).getDocumentElement();

        // THEN the suite counts what a CI server shows
        assertThat(suite.getTagName()).isEqualTo("testsuite");
        assertThat(suite.getAttribute("name")).isEqualTo("sigkit Signaling API 1.0 certification of signal@127.0.0.1:2201");
        assertThat(suite.getAttribute("tests")).isEqualTo(String.valueOf(run.results().size()));
        assertThat(suite.getAttribute("failures")).isEqualTo("2");
        assertThat(suite.getAttribute("errors")).isEqualTo("1");
        assertThat(suite.getAttribute("skipped")).isEqualTo("4");
        assertThat(suite.getAttribute("time")).isEqualTo("92.345");
        assertThat(suite.getAttribute("timestamp")).isEqualTo("2026-11-23T11:00:00");
        assertThat(suite.getAttribute("hostname")).isEqualTo("127.0.0.1");
        List<Element> cases = children(suite, "testcase");
        assertThat(cases).hasSize(run.results().size());
        assertThat(count(cases, "failure")).isEqualTo(2);
        assertThat(count(cases, "error")).isEqualTo(1);
        assertThat(count(cases, "skipped")).isEqualTo(4);
        assertThat(cases).allSatisfy(c -> assertThat(children(c, "system-out")).hasSize(1));
    }

    @Test
    void testcases_are_named_and_grouped_by_requirement() throws Exception {
        RunResult run = RunResultTestCase.notConformant();

        var document = parse(write(run));
        Element conf = testcase(document, "SIG-CONF-002");

        // a RECOMMENDED miss: named with its level, timed, no <failure> without --strict, the message in system-out
        assertThat(conf.getAttribute("classname")).isEqualTo("sigkit.SIG-CONF");
        assertThat(conf.getAttribute("name")).isEqualTo("SIG-CONF-002 [RECOMMENDED] configure completes within 15 seconds");
        assertThat(conf.getAttribute("time")).as("the longest sample").isEqualTo("15.800");
        assertThat(children(conf, "failure")).isEmpty();
        assertThat(text(conf, "system-out"))
                .contains("[SIG-CONF-002] configure for window 2100000017 ran 15.80 s (budget 15 s)")
                .contains("configure #2 to channel close: 15.80 s (kit)")
                .contains("budgetMillis: 15000");
        // a REQUIRED failure: a <failure> typed with the level, the message, expected and actual
        Element configured = testcase(document, "SIG-CONF-001");
        Element failure = children(configured, "failure").get(0);
        assertThat(failure.getAttribute("type")).isEqualTo("REQUIRED");
        assertThat(failure.getAttribute("message"))
                .startsWith("[SIG-CONF-001] configure for window 2100000017 gave no exit status within 20.00 s");
        assertThat(failure.getTextContent()).contains("expected: exit status 0")
                .contains("actual: no exit status within 20.00 s");
    }

    @Test
    void skipped_and_not_verified_say_why() throws Exception {
        Document xml = parse(write(RunResultTestCase.notConformant()));

        assertThat(children(testcase(xml, "SIG-CONF-003"), "skipped").get(0).getAttribute("message"))
                .isEqualTo("[SIG-CONF-003] blocked by SIG-CONF-001: SIG-CONF-001 is FAIL");
        assertThat(children(testcase(xml, "SIG-END-001"), "skipped").get(0).getAttribute("message"))
                .isEqualTo("[SIG-END-001] shutting down is destructive (enable with --allow-destructive)");
        Element error = children(testcase(xml, "SIG-START-003"), "error").get(0);
        assertThat(error.getAttribute("type")).isEqualTo("REQUIRED");
        assertThat(error.getAttribute("message")).startsWith("[SIG-START-003] the SSH connection dropped");
    }

    @Test
    void recommended_failure_is_a_warning_unless_strict() throws Exception {
        // GIVEN a conformant run whose only failure is the RECOMMENDED SIG-CONF-004
        Element lenient = testcase(parse(write(RunResultTestCase.conformant(false))), "SIG-CONF-004");
        // THEN without --strict it passes, with a WARNING in its output: CI is red exactly when the verdict is
        assertThat(children(lenient, "failure")).isEmpty();
        assertThat(text(lenient, "system-out")).startsWith("WARNING: RECOMMENDED requirement failed")
                .contains("--strict makes it count");

        // AND with --strict it is a failure of type RECOMMENDED
        RunResult strict = RunResultTestCase.conformant(true);
        Document xml = parse(write(strict));
        Element counted = testcase(xml, "SIG-CONF-004");
        assertThat(children(counted, "failure").get(0).getAttribute("type")).isEqualTo("RECOMMENDED");
        assertThat(xml.getDocumentElement().getAttribute("failures")).isEqualTo("1");
        assertThat(strict.verdict().name()).isEqualTo("NOT_CONFORMANT");
    }

    @Test
    void a_waived_failure_stays_a_failure_of_type_waived_with_the_waiver_first_in_its_message() throws Exception {
        // GIVEN a run whose REQUIRED SIG-CFG-003 failed under an applied waiver
        Document xml = parse(write(RunResultTestCase.waived()));
        Element waived = testcase(xml, "SIG-CFG-003");

        // THEN it is a failure of type WAIVED whose message reads the waiver, then the kit's message
        Element failure = children(waived, "failure").get(0);
        assertThat(failure.getAttribute("type")).isEqualTo("WAIVED");
        assertThat(failure.getAttribute("message")).startsWith("WAIVED (approved by J. Doe (customer QA), until"
                        + " 2027-01-31, for payload_exec " + RunResultTestCase.SHA.substring(0, 12) + "…: "
                        + RunResultTestCase.WAIVER_REASON + "): [SIG-CFG-003] configure exited 1");
        assertThat(text(waived, "system-out")).startsWith("WAIVED (").contains("outcome: WAIVED")
                .contains("expected: exit status 0").contains("actual: exit status 1");
        // AND the expired waiver left SIG-CONF-004 a RECOMMENDED warning, as without waivers
        assertThat(children(testcase(xml, "SIG-CONF-004"), "failure")).isEmpty();
        // AND the suite counts it, and says what became of every waiver
        Element suite = xml.getDocumentElement();
        assertThat(suite.getAttribute("failures")).isEqualTo("1");
        Map<String, String> properties = new java.util.HashMap<>();
        for (Element p : children(children(suite, "properties").get(0), "property")) {
            properties.put(p.getAttribute("name"), p.getAttribute("value"));
        }
        assertThat(properties).containsEntry("verdict", "CONFORMANT_WITH_WAIVERS").containsEntry("waived", "1");
        assertThat(properties.get("waiver.SIG-CFG-003")).startsWith("APPLIED: approved by J. Doe");
        assertThat(properties.get("waiver.SIG-CONF-004")).startsWith("EXPIRED: ").contains("expired on 2026-01-31");
        assertThat(properties.get("waiver.SIG-FS-006")).startsWith("OTHER_PAYLOAD_EXEC: ");
        assertThat(properties.get("waiver.SIG-CFG-001")).startsWith("UNUSED: ").contains("is PASS, not FAIL");
    }

    @Test
    void suite_properties_identify_the_target_and_the_kit() throws Exception {
        Document xml = parse(write(RunResultTestCase.conformant()));

        Map<String, String> properties = new HashMap<>();
        for (Element p : children(children(xml.getDocumentElement(), "properties").get(0), "property")) {
            properties.put(p.getAttribute("name"), p.getAttribute("value"));
        }
        assertThat(properties).containsEntry("target", "signal@127.0.0.1:2201")
                .containsEntry("verdict", "CONFORMANT")
                .containsEntry("host_key", "ssh-ed25519 " + RunResultTestCase.FINGERPRINT)
                .containsEntry("payload_exec_sha256", RunResultTestCase.SHA)
                .containsEntry("kit_version", "0.1.0-test")
                .containsEntry("host_key_policy", "ACCEPT_NEW")
                .containsEntry("tiers", "read-only,bus-equivalent")
                .containsEntry("recommended_failures", "1");
    }

    @Test
    void hostile_payload_output_stays_text_in_well_formed_xml() throws Exception {
        // GIVEN evidence and messages carrying markup, ]]>, NUL, ESC, DEL, C1, a lone surrogate and U+FFFF
        Path file = write(RunResultTestCase.notConformant());

        // THEN a strict XML 1.0 parser accepts the file (it would reject any forbidden character)
        Document xml = parse(file);
        String out = text(testcase(xml, "SIG-FS-006"), "system-out");
        // AND the markup is text, not elements
        assertThat(out).contains("</script><script>alert(1)</script> \"><img src=x onerror=alert(2)> ]]> <!-- -->");
        assertThat(xml.getElementsByTagName("script").getLength()).isZero();
        assertThat(xml.getElementsByTagName("img").getLength()).isZero();
        // AND characters XML forbids are shown, not dropped; text XML allows is kept as it is
        assertThat(out).contains(RunResultTestCase.HOSTILE_CONTROLS_SHOWN)
                .contains("Grüße ✓ 漢字 😀");
        String raw = Files.readString(file, StandardCharsets.UTF_8);
        assertThat(raw).doesNotContain("\u0000").doesNotContain("\u001b").doesNotContain("\u0007")
                .doesNotContain("\u202e").doesNotContain("\r").doesNotContain("<script>");
    }

    @Test
    void surefire_report_parser_reads_it_back() throws Exception {
        // GIVEN the file, WHEN Maven Surefire's own report parser (used by the surefire-report plugin) reads it
        RunResult run = RunResultTestCase.notConformant();
        Path file = write(run);
        List<ReportTestSuite> suites;
        try (InputStreamReader reader = new InputStreamReader(Files.newInputStream(file), StandardCharsets.UTF_8)) {
            suites = new TestSuiteXmlParser(new NullConsoleLogger()).parse(reader);
        }

        // THEN it reads one class per requirement group (it splits a suite by classname, as its report page does)
        assertThat(suites).extracting(ReportTestSuite::getFullClassName)
                .containsExactly("sigkit.SIG-ENV", "sigkit.SIG-FS", "sigkit.SIG-PRIV", "sigkit.SIG-CFG", "sigkit.SIG-CONF",
                        "sigkit.SIG-START", "sigkit.SIG-END", "sigkit.SIG-TIME");
        // AND the same counts as the run
        assertThat(suites.stream().mapToInt(ReportTestSuite::getNumberOfTests).sum()).isEqualTo(run.results().size());
        assertThat(suites.stream().mapToInt(ReportTestSuite::getNumberOfFailures).sum()).isEqualTo(2);
        assertThat(suites.stream().mapToInt(ReportTestSuite::getNumberOfErrors).sum()).isEqualTo(1);
        assertThat(suites.stream().mapToInt(ReportTestSuite::getNumberOfSkipped).sum()).isEqualTo(4);
        // AND every testcase in its state, in catalog order
        List<ReportTestCase> cases = suites.stream().flatMap(s -> s.getTestCases().stream()).toList();
        assertThat(cases).hasSize(run.results().size());
        for (int i = 0; i < run.results().size(); i++) {
            RequirementResult r = run.results().get(i);
            ReportTestCase c = cases.get(i);
            assertThat(c.getFullClassName()).isEqualTo("sigkit." + ReportText.group(r.id()));
            assertThat(c.getName()).startsWith(r.id() + " [" + r.level() + "] ");
            assertThat(c.hasFailure()).as(r.id()).isEqualTo(r.isFailure(false));
            assertThat(c.hasError()).as(r.id()).isEqualTo(r.outcome() == Outcome.ERROR);
            assertThat(c.hasSkipped()).as(r.id())
                    .isEqualTo(r.outcome() == Outcome.SKIPPED || r.outcome() == Outcome.NOT_VERIFIED);
        }
        ReportTestCase conf = cases.stream().filter(c -> c.getName().startsWith("SIG-CONF-001")).findFirst().orElseThrow();
        assertThat(conf.getFailureType()).isEqualTo("REQUIRED");
        ReportTestCase timing = cases.stream().filter(c -> c.getName().startsWith("SIG-CONF-002")).findFirst().orElseThrow();
        assertThat(timing.hasFailure()).as("a RECOMMENDED miss without --strict").isFalse();
        assertThat(timing.getTime()).isEqualTo(15.8f);
    }

    @Test
    void connection_failure_reports_every_requirement() throws Exception {
        RunResult run = RunResultTestCase.connectionFailed();

        Element suite = parse(write(run)).getDocumentElement();

        assertThat(children(suite, "testcase")).hasSize(run.results().size());
        assertThat(suite.getAttribute("failures")).isEqualTo("1");
        assertThat(suite.getAttribute("skipped")).isEqualTo(String.valueOf(run.results().size() - 1));
        assertThat(RunResultTestCase.count(run, Level.REQUIRED, Outcome.FAIL)).isEqualTo(1);
    }

    private Path write(RunResult run) {
        Path file = dir.resolve("junit-" + System.nanoTime() + ".xml");
        JunitXmlReport.write(run, file);
        return file;
    }

    static Document parse(Path file) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        return factory.newDocumentBuilder().parse(file.toFile());
    }

    private static Element testcase(Document xml, String id) {
        return children(xml.getDocumentElement(), "testcase").stream()
                .filter(c -> c.getAttribute("name").startsWith(id + " ")).findFirst()
                .orElseThrow(() -> new AssertionError("no testcase for " + id));
    }

    private static List<Element> children(Element parent, String tag) {
        List<Element> out = new ArrayList<>();
        NodeList nodes = parent.getChildNodes();
        for (int i = 0; i < nodes.getLength(); i++) {
            Node n = nodes.item(i);
            if (n instanceof Element e && e.getTagName().equals(tag)) {
                out.add(e);
            }
        }
        return out;
    }

    private static long count(List<Element> cases, String tag) {
        return cases.stream().filter(c -> !children(c, tag).isEmpty()).count();
    }

    private static String text(Element parent, String tag) {
        return children(parent, tag).get(0).getTextContent();
    }
}
