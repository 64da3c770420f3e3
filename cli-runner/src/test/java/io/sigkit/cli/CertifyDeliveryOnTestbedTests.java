package io.sigkit.cli;

import static io.sigkit.cli.SigkitTestCase.sigkit;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.sigkit.cli.SigkitTestCase.Execution;
import io.sigkit.schemas.SchemaId;
import io.sigkit.schemas.SchemaValidator;
import io.sigkit.testbed.PayloadSpec;
import io.sigkit.testbed.junit.RequiresTestbed;
import io.sigkit.testbed.RunningPayload;
import io.sigkit.testbed.Testbed;
import io.sigkit.testbed.Variants;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code sigkit certify --profile delivery} on real payloads: the reference (with its OORT agent) and one without. */
@RequiresTestbed
class CertifyDeliveryOnTestbedTests {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path dir;

    @Test
    void the_reference_with_every_tier_is_conformant_in_the_delivery_profile_and_its_reports_name_sig_dlv()
            throws Exception {
        // GIVEN the reference payload with its OORT agent, on a link of its own, that really stops when shut down
        try (RunningPayload payload = Testbed.start(PayloadSpec.reference().withNetns().withHaltOnShutdown())) {
            Path reports = dir.resolve("reports");
            // WHEN it is certified in the delivery profile with both opt-in tiers
            Execution e = sigkit(CertifyOnTestbedTests.certify(payload, payload.knownHosts(), "--profile", "delivery",
                    "--allow-clock-set", "--allow-destructive", "--format", "json", "--report-dir", reports.toString()));

            // THEN exit 0, CONFORMANT, with SIG-DLV-001 and -002 passed among 33 results
            assertThat(e.exitCode()).as("%s", e).isZero();
            JsonNode report = JSON.readTree(e.out());
            assertThat(report.get("verdict").asText()).isEqualTo("CONFORMANT");
            assertThat(report.get("results").size()).isEqualTo(33);
            assertThat(report.at("/settings/profile").asText()).isEqualTo("delivery");
            JsonNode agent = report.get("results").get(31);
            assertThat(agent.get("id").asText()).isEqualTo("SIG-DLV-001");
            assertThat(agent.get("outcome").asText()).isEqualTo("PASS");
            assertThat(report.get("results").get(32).get("outcome").asText()).isEqualTo("PASS");
            // AND report.json satisfies its schema, and every report names the delivery requirements
            assertThat(SchemaValidator.of(SchemaId.REPORT_V1).validateText(Files.readString(reports.resolve("report.json")),
                    "report.json").errors()).isEmpty();
            assertThat(Files.readString(reports.resolve("junit.xml"))).contains("SIG-DLV-001").contains("SIG-DLV-002");
            assertThat(Files.readString(reports.resolve("report.html"))).contains("SIG-DLV-001");
            assertThat(Files.readString(reports.resolve("summary.md"))).contains("SIG-DLV-002");
        }
    }

    @Test
    void the_variant_without_agent_is_not_conformant_exit_1_naming_sig_dlv_001_and_port_2005() {
        // GIVEN a payload built without the OORT agent
        try (RunningPayload payload = Testbed.start(Variants.named("delivery-no-oort-agent").spec())) {
            // WHEN it is certified in the delivery profile (text output)
            Execution e = sigkit(CertifyOnTestbedTests.certify(payload, payload.knownHosts(), "--profile", "delivery"));

            // THEN exit 1, and the summary names SIG-DLV-001 and the port
            assertThat(e.exitCode()).as("%s", e).isEqualTo(1);
            assertThat(e.out()).contains("Verdict: NOT_CONFORMANT").containsPattern("Failed: +SIG-DLV-001 \\[REQUIRED\\] FAIL")
                    .contains("port 2005");
        }
    }
}
