package io.sigkit.reports;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sigkit.check.Outcome;
import io.sigkit.run.Certification;
import io.sigkit.run.RunOptions;
import io.sigkit.run.RunResult;
import io.sigkit.schemas.SchemaId;
import io.sigkit.schemas.SchemaValidator;
import io.sigkit.schemas.ValidationReport;
import io.sigkit.testbed.PayloadSpec;
import io.sigkit.testbed.junit.RequiresTestbed;
import io.sigkit.testbed.RunningPayload;
import io.sigkit.testbed.Testbed;
import io.sigkit.transport.ConnectionSettings;
import io.sigkit.transport.SshTarget;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;

/** The reports of a real certification of the testbed's reference payload (real sshd, shell, sudo, payload_exec). */
@RequiresTestbed
class ReportsOnTestbedTests {

    private static final Path OUT = Path.of("target", "testbed-reports").toAbsolutePath();

    @Test
    void every_report_of_a_real_run_is_complete_and_valid() throws Exception {
        // GIVEN a real certification run of the reference payload
        RunResult run;
        try (RunningPayload payload = Testbed.start(PayloadSpec.reference())) {
            ConnectionSettings settings = ConnectionSettings.builder(SshTarget.parse(payload.target()))
                    .identity(payload.identity()).knownHosts(payload.knownHosts()).build();
            run = Certification.run(RunOptions.builder(settings).windowLength(Duration.ofSeconds(3))
                    .endGrace(Duration.ofSeconds(1)).build());
        }
        assertThat(run.transcript()).as("the run talked to the payload").isNotEmpty();

        // WHEN every report is written
        List<Path> files = Reports.writeAll(run, OUT);

        // THEN report.json satisfies the schema and carries every result and command of the run
        ValidationReport schema = SchemaValidator.of(SchemaId.REPORT_V1).validate(files.get(0));
        assertThat(schema.valid()).as(schema.describe()).isTrue();
        JsonNode json = new ObjectMapper().readTree(files.get(0).toFile());
        assertThat(json.path("verdict").asText()).isEqualTo(run.verdict().name());
        assertThat(json.path("results")).hasSize(run.results().size());
        assertThat(json.path("transcript")).hasSize(run.transcript().size());
        assertThat(json.path("target").path("hostKeyFingerprint").asText()).startsWith("SHA256:");
        assertThat(json.path("target").path("payloadExecSha256").asText()).hasSize(64);
        // AND junit.xml has a testcase per result, its skipped count matching the run
        Element suite = JunitXmlReportTests.parse(files.get(1)).getDocumentElement();
        assertThat(suite.getElementsByTagName("testcase").getLength()).isEqualTo(run.results().size());
        assertThat(suite.getAttribute("skipped"))
                .isEqualTo(String.valueOf(run.count(Outcome.SKIPPED) + run.count(Outcome.NOT_VERIFIED)));
        // AND report.html shows the verdict and draws every configure timing
        String html = Files.readString(files.get(2), StandardCharsets.UTF_8);
        assertThat(html).contains("<h1 id=\"verdict\">" + run.verdict() + "</h1>");
        int timings = run.result("SIG-CONF-002").orElseThrow().timings().size();
        assertThat(timings).isPositive();
        assertThat(TimingChart.of(run).bars()).hasSize(timings);
        // AND summary.md starts with the verdict
        assertThat(Files.readString(files.get(3), StandardCharsets.UTF_8)).contains("**" + run.verdict() + "**");
    }
}
