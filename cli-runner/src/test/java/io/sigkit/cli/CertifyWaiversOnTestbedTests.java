package io.sigkit.cli;

import static io.sigkit.cli.CertifyOnTestbedTests.certify;
import static io.sigkit.cli.SigkitTestCase.assertOneLineError;
import static io.sigkit.cli.SigkitTestCase.sigkit;
import static io.sigkit.cli.SigkitTestCase.write;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.sigkit.cli.SigkitTestCase.Execution;
import io.sigkit.testbed.CommandResult;
import io.sigkit.testbed.PayloadSpec;
import io.sigkit.testbed.junit.RequiresTestbed;
import io.sigkit.testbed.RunningPayload;
import io.sigkit.testbed.Testbed;
import io.sigkit.testbed.Variants;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sigkit certify --waivers} and {@code sigkit diff} on real payloads of the testbed: the broken variant
 * {@code config-rejects-unknown-keys} fails one REQUIRED requirement that nothing else depends on (SIG-CFG-003), so a
 * waiver for it is what stands between NOT_CONFORMANT and CONFORMANT_WITH_WAIVERS.
 */
@RequiresTestbed
class CertifyWaiversOnTestbedTests {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String VARIANT = "config-rejects-unknown-keys";
    /** The variant's failure and what it needs, without the slow windows of the start checks. */
    private static final String QUICK = "environment,SIG-FS-001,SIG-FS-002,SIG-CONF-001,SIG-CFG-003";
    private static final String OTHER_SHA = "0123456789abcdef".repeat(4);

    /** A variant payload shared by the tests that neither halt it nor need every requirement. */
    static RunningPayload variant;

    @TempDir
    Path dir;

    @BeforeAll
    static void startVariant() {
        variant = Testbed.start(Variants.named(VARIANT).spec());
    }

    @AfterAll
    static void stopVariant() {
        if (variant != null) {
            variant.close();
        }
    }

    /** The SHA-256 of the payload's /usr/bin/payload_exec, read on the payload itself. */
    static String payloadExecSha256(RunningPayload payload) {
        CommandResult r = payload.exec("sha256sum", "/usr/bin/payload_exec");
        assertThat(r.exitStatus()).as("%s", r).isZero();
        return r.stdout().strip().split("\\s+")[0];
    }

    static String waiver(String id, LocalDate expires, String sha) {
        return "  - id: " + id + "\n"
                + "    reason: unknown keys are refused on purpose until build 42 (NCR-7)\n"
                + "    approvedBy: J. Doe, customer QA\n"
                + "    expires: " + expires + "\n"
                + (sha == null ? "" : "    payloadExecSha256: " + sha + "\n");
    }

    static LocalDate today() {
        return LocalDate.now(ZoneOffset.UTC);
    }

    @Test
    void an_applied_waiver_makes_the_run_conformant_with_waivers_exit_3_and_all_four_reports_show_it()
            throws Exception {
        // GIVEN the variant, halting when shut down, and a waiver for its one failure bound to its payload_exec build
        try (RunningPayload payload = Testbed.start(Variants.named(VARIANT).spec().withHaltOnShutdown())) {
            String sha = payloadExecSha256(payload);
            Path waivers = write(dir, "waivers.yaml", "waivers:\n" + waiver("SIG-CFG-003", today(), sha)
                    + waiver("SIG-CONF-002", today().plusDays(30), OTHER_SHA));
            Path reports = dir.resolve("reports");

            // WHEN it is certified with every tier and the waivers
            Execution e = sigkit(certify(payload, payload.knownHosts(), "--allow-clock-set", "--allow-destructive",
                    "--waivers", waivers.toString(), "--report-dir", reports.toString()));

            // THEN exit 3, the summary says CONFORMANT_WITH_WAIVERS and lists both waivers under the verdict
            assertThat(e.exitCode()).as("%s", e).isEqualTo(3);
            assertThat(e.out()).contains("Verdict: CONFORMANT_WITH_WAIVERS")
                    .contains("Waivers: 1 applied of 2 (" + waivers + ")")
                    .containsPattern("APPLIED +SIG-CFG-003 approved by J. Doe, customer QA, until " + today())
                    .containsPattern("OTHER_PAYLOAD_EXEC +SIG-CONF-002 .*the certified payload_exec is " + sha);
            // AND report.json: the result is WAIVED with the failure's message and evidence, the waiver, every status
            JsonNode report = JSON.readTree(reports.resolve("report.json").toFile());
            assertThat(report.path("verdict").asText()).isEqualTo("CONFORMANT_WITH_WAIVERS");
            JsonNode cfg = result(report, "SIG-CFG-003");
            assertThat(cfg.path("outcome").asText()).isEqualTo("WAIVED");
            assertThat(cfg.path("message").asText()).startsWith("[SIG-CFG-003] ");
            assertThat(cfg.path("evidence").size()).isPositive();
            assertThat(cfg.at("/waiver/originalOutcome").asText()).isEqualTo("FAIL");
            assertThat(cfg.at("/waiver/payloadExecSha256").asText()).isEqualTo(sha);
            assertThat(report.path("waivers")).extracting(w -> w.path("id").asText() + " " + w.path("status").asText())
                    .containsExactly("SIG-CFG-003 APPLIED", "SIG-CONF-002 OTHER_PAYLOAD_EXEC");
            assertThat(report.at("/target/payloadExecSha256").asText()).isEqualTo(sha);
            // AND junit.xml keeps the failure, typed WAIVED, the waiver first in its message
            String junit = Files.readString(reports.resolve("junit.xml"));
            assertThat(junit).containsPattern("<failure message=\"WAIVED \\(approved by J. Doe, customer QA, until "
                    + today() + ", for payload_exec " + sha.substring(0, 12) + "…: unknown keys are refused on purpose"
                    + " until build 42 \\(NCR-7\\)\\): \\[SIG-CFG-003\\] [^\"]*\" type=\"WAIVED\">")
                    .contains("<property name=\"verdict\" value=\"CONFORMANT_WITH_WAIVERS\"")
                    .contains("<property name=\"waiver.SIG-CONF-002\" value=\"OTHER_PAYLOAD_EXEC: ");
            // AND report.html has the banner, summary.md the waivers table
            String html = Files.readString(reports.resolve("report.html"));
            assertThat(html).contains("<h1 id=\"verdict\">CONFORMANT_WITH_WAIVERS</h1>")
                    .contains("<h2>Waivers: 1 applied of 2</h2>")
                    .contains("<td class=\"status applied\">APPLIED</td>")
                    .contains("<td class=\"status not-applied\">OTHER_PAYLOAD_EXEC</td>");
            String md = Files.readString(reports.resolve("summary.md"));
            assertThat(md).startsWith("## ☑️ sigkit: **CONFORMANT_WITH_WAIVERS**")
                    .contains("### Waivers: 1 applied of 2").contains("| SIG-CFG-003 | **APPLIED** |")
                    .contains("| SIG-CONF-002 | **OTHER\\_PAYLOAD\\_EXEC** |")
                    .contains("| SIG-CFG-003 | REQUIRED | WAIVED (was FAIL) |");
        }
    }

    @Test
    void an_expired_waiver_is_not_applied_the_run_is_not_conformant_and_every_report_says_expired() throws Exception {
        // GIVEN a waiver whose last day was yesterday
        Path waivers = write(dir, "waivers.json", "{\"waivers\": [{\"id\": \"SIG-CFG-003\", \"reason\": \"old deal\","
                + " \"approvedBy\": \"J. Doe\", \"expires\": \"" + today().minusDays(1) + "\"}]}");
        Path reports = dir.resolve("reports");

        // WHEN the variant is certified with it
        Execution e = sigkit(certify(variant, variant.knownHosts(), "--include", QUICK, "--waivers",
                waivers.toString(), "--report-dir", reports.toString()));

        // THEN the failure stands: exit 1, and every report says the waiver expired and was not applied
        assertThat(e.exitCode()).as("%s", e).isEqualTo(1);
        assertThat(e.out()).contains("Verdict: NOT_CONFORMANT").contains("Waivers: 0 applied of 1")
                .containsPattern("EXPIRED +SIG-CFG-003 .*expired on " + today().minusDays(1))
                .containsPattern("Failed: +SIG-CFG-003 \\[REQUIRED\\] FAIL");
        assertReportsShow(reports, "NOT_CONFORMANT", "FAIL", "EXPIRED");
    }

    @Test
    void a_waiver_bound_to_another_payload_exec_build_is_not_applied_and_every_report_says_so() throws Exception {
        // GIVEN a valid waiver for the failure, but bound to another payload_exec build
        Path waivers = write(dir, "waivers.yml", "waivers:\n" + waiver("SIG-CFG-003", today().plusDays(7), OTHER_SHA));
        Path reports = dir.resolve("reports");

        // WHEN the variant is certified with it
        Execution e = sigkit(certify(variant, variant.knownHosts(), "--include", QUICK, "--waivers",
                waivers.toString(), "--report-dir", reports.toString()));

        // THEN exit 1, and the reports name both hashes
        String sha = payloadExecSha256(variant);
        assertThat(e.exitCode()).as("%s", e).isEqualTo(1);
        assertThat(e.out()).containsPattern("OTHER_PAYLOAD_EXEC +SIG-CFG-003 .*bound to payload_exec " + OTHER_SHA
                + ", but the certified payload_exec is " + sha + ": not applied; SIG-CFG-003 stays FAIL");
        assertReportsShow(reports, "NOT_CONFORMANT", "FAIL", "OTHER_PAYLOAD_EXEC");
    }

    @Test
    void an_unknown_requirement_id_is_one_line_exit_64_before_anything_runs() throws Exception {
        Path waivers = write(dir, "waivers.yaml", "waivers:\n" + waiver("SIG-CFG-033", today(), null));
        Path reports = dir.resolve("reports");
        Execution e = sigkit(certify(variant, variant.knownHosts(), "--waivers", waivers.toString(), "--report-dir",
                reports.toString()));
        assertThat(e.exitCode()).as("%s", e).isEqualTo(64);
        assertOneLineError(e);
        assertThat(e.err()).isEqualTo("sigkit certify: waivers file " + waivers + " /waivers/0/id: SIG-CFG-033 is not"
                + " a requirement of catalog " + io.sigkit.catalog.RequirementCatalog.load().version()
                + " (see 'sigkit list')" + System.lineSeparator());
        assertThat(e.out()).isEmpty();
        assertThat(reports).doesNotExist();
    }

    @Test
    void under_strict_a_waiver_accepts_a_recommended_failure_that_would_otherwise_fail_the_run() throws Exception {
        // GIVEN a payload whose payload_exec is world-writable (SIG-FS-006, RECOMMENDED), and a waiver for it
        try (RunningPayload payload = Testbed.start(Variants.named("payload-exec-world-writable").spec())) {
            Path waivers = write(dir, "waivers.yaml", "waivers:\n" + waiver("SIG-FS-006", today(), null));
            String[] filesystem = {"--include", "SIG-FS-001,SIG-FS-002,SIG-FS-003,SIG-FS-004,SIG-FS-005,SIG-FS-006",
                "--strict", "--format", "json"};

            // WHEN the filesystem requirements are certified under --strict, without and then with the waiver
            Execution without = sigkit(certify(payload, payload.knownHosts(), filesystem));
            Execution with = sigkit(certify(payload, payload.knownHosts(), concat(filesystem, "--waivers",
                    waivers.toString())));

            // THEN without it the RECOMMENDED failure counts: NOT_CONFORMANT, exit 1
            assertThat(without.exitCode()).as("%s", without).isEqualTo(1);
            assertThat(result(JSON.readTree(without.out()), "SIG-FS-006").path("outcome").asText()).isEqualTo("FAIL");
            // AND with it the failure is WAIVED and counts no more: only the requirements not selected keep the run
            // from CONFORMANT_WITH_WAIVERS (INCOMPLETE, exit 2)
            assertThat(with.exitCode()).as("%s", with).isEqualTo(2);
            JsonNode report = JSON.readTree(with.out());
            assertThat(report.path("strict").asBoolean()).isTrue();
            assertThat(result(report, "SIG-FS-006").path("outcome").asText()).isEqualTo("WAIVED");
            assertThat(report.at("/counts/countedFailures").asInt()).isZero();
            assertThat(report.at("/waivers/0/status").asText()).isEqualTo("APPLIED");
        }
    }

    @Test
    void diff_of_the_reference_and_the_variant_exits_1_naming_the_regressed_requirement() throws Exception {
        // GIVEN reports of the reference payload and of the variant, same selection
        Path old = dir.resolve("reference");
        Path neu = dir.resolve("variant");
        try (RunningPayload reference = Testbed.start(PayloadSpec.reference())) {
            assertThat(sigkit(certify(reference, reference.knownHosts(), "--include", QUICK, "--report-dir",
                    old.toString())).exitCode()).isEqualTo(2);
        }
        assertThat(sigkit(certify(variant, variant.knownHosts(), "--include", QUICK, "--report-dir", neu.toString()))
                .exitCode()).isEqualTo(1);

        // WHEN they are compared, as directories (text) and as report.json files (JSON)
        Execution text = sigkit("diff", old.toString(), neu.toString());
        Execution json = sigkit("diff", "--format", "json", old.resolve("report.json").toString(),
                neu.resolve("report.json").toString());

        // THEN exit 1, naming SIG-CFG-003 as regressed, and the other payload_exec build
        assertThat(text.exitCode()).as("%s", text).isEqualTo(1);
        assertThat(text.out()).contains("Verdict: INCOMPLETE -> NOT_CONFORMANT")
                .contains("Regressed (1):").contains("  SIG-CFG-003 [REQUIRED] PASS -> FAIL: [SIG-CFG-003] ")
                .contains("  payload_exec SHA-256: ").contains("  target address: 127.0.0.1:")
                .endsWith("1 requirement regressed: SIG-CFG-003\n");
        assertThat(text.err()).isEmpty();
        assertThat(json.exitCode()).as("%s", json).isEqualTo(1);
        JsonNode diff = JSON.readTree(json.out());
        assertThat(diff.path("regressed").asBoolean()).isTrue();
        assertThat(diff.path("outcomes")).filteredOn(o -> o.path("change").asText().equals("regressed"))
                .extracting(o -> o.path("id").asText()).containsExactly("SIG-CFG-003");
        // AND a report compared with itself has nothing to say: exit 0
        Execution same = sigkit("diff", neu.toString(), neu.toString());
        assertThat(same.exitCode()).as("%s", same).isZero();
        assertThat(same.out()).contains("No requirement regressed.");
    }

    /** report.json, junit.xml, report.html and summary.md all carry the verdict, the outcome and the waiver's status. */
    private static void assertReportsShow(Path reports, String verdict, String outcome, String status) throws Exception {
        JsonNode report = JSON.readTree(reports.resolve("report.json").toFile());
        assertThat(report.path("verdict").asText()).isEqualTo(verdict);
        assertThat(result(report, "SIG-CFG-003").path("outcome").asText()).isEqualTo(outcome);
        assertThat(result(report, "SIG-CFG-003").has("waiver")).isFalse();
        assertThat(report.at("/waivers/0/status").asText()).isEqualTo(status);
        assertThat(Files.readString(reports.resolve("junit.xml")))
                .contains("<property name=\"waiver.SIG-CFG-003\" value=\"" + status + ": ")
                .containsPattern("<failure message=\"\\[SIG-CFG-003\\][^\"]*\" type=\"REQUIRED\">");
        assertThat(Files.readString(reports.resolve("report.html"))).contains("<h2>Waivers: 0 applied of 1</h2>")
                .contains("<td class=\"status not-applied\">" + status + "</td>");
        assertThat(Files.readString(reports.resolve("summary.md"))).contains("### Waivers: 0 applied of 1")
                .contains("| SIG-CFG-003 | **" + status.replace("_", "\\_") + "** |");
    }

    private static JsonNode result(JsonNode report, String id) {
        for (JsonNode r : report.path("results")) {
            if (r.path("id").asText().equals(id)) {
                return r;
            }
        }
        throw new AssertionError("no result for " + id);
    }

    private static String[] concat(String[] a, String... b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
