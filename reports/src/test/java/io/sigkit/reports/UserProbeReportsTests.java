package io.sigkit.reports;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sigkit.catalog.Level;
import io.sigkit.catalog.Requirement;
import io.sigkit.catalog.Tier;
import io.sigkit.check.RequirementResult;
import io.sigkit.probe.FactsDocument;
import io.sigkit.probe.PathFacts;
import io.sigkit.run.RunResult;
import io.sigkit.schemas.SchemaId;
import io.sigkit.schemas.SchemaValidator;
import io.sigkit.schemas.ValidationReport;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A run with a user's probe (ACME-FS-001) and typed facts as evidence: every report carries them. */
class UserProbeReportsTests {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static RunResult run() {
        PathFacts facts = new PathFacts("calibration", "/opt/acme/calibration.bin", null,
                new PathFacts.Stat("regular file", 0666, "acme", "acme", 4096), "", "/opt/acme/calibration.bin",
                new PathFacts.Access(true, true, false), "", null, null, null);
        Requirement user = new Requirement("ACME-FS-001", Level.REQUIRED, "calibration data is not writable by others",
                "user probes (acme-probes.json)", null, "path probe 'calibration' of acme-probes.json",
                "facts.v1 record of the probe", Tier.READ_ONLY, Set.of(Requirement.USER_TAG),
                List.of("This requirement was declared in acme-probes.json."), false);
        List<RequirementResult> results = new ArrayList<>(RunResultTestCase.results(RunResultTestCase::pass));
        results.add(RequirementResult.of(user).evidence("facts", FactsDocument.evidence(FactsDocument.of(facts)))
                .fail("[ACME-FS-001] /opt/acme/calibration.bin (regular file 0666 acme:acme): its mode 0666 has bits 0022 set",
                        "mode bits 0022 clear", "regular file 0666 acme:acme"));
        return RunResultTestCase.run(results, false, RunResultTestCase.identity(), RunResultTestCase.transcript(false),
                RunResultTestCase.cleanup(true), 3, 9);
    }

    @Test
    void the_json_report_carries_the_users_result_and_its_facts_and_stays_valid() throws Exception {
        // GIVEN a run whose user probe failed
        RunResult run = run();
        // WHEN the JSON report is written
        String json = JsonReport.toJson(run);
        // THEN it validates against report.v1, with the user's ID and the facts.v1 path record
        ValidationReport report = SchemaValidator.of(SchemaId.REPORT_V1).validateText(json, "report.json");
        assertThat(report.errors()).as(report.describe()).isEmpty();
        JsonNode user = null;
        for (JsonNode r : MAPPER.readTree(json).path("results")) {
            if (r.path("id").asText().equals("ACME-FS-001")) {
                user = r;
            }
        }
        assertThat(user).isNotNull();
        assertThat(user.path("outcome").asText()).isEqualTo("FAIL");
        assertThat(user.at("/evidence/facts/target/mode").asText()).isEqualTo("0666");
        assertThat(MAPPER.readTree(json).path("verdict").asText()).isEqualTo("NOT_CONFORMANT");
    }

    @Test
    void the_html_markdown_and_junit_reports_name_the_users_requirement() throws Exception {
        RunResult run = run();
        assertThat(HtmlReport.render(run)).contains("ACME-FS-001").contains("calibration data is not writable by others");
        assertThat(MarkdownSummary.render(run)).contains("ACME-FS-001");
        java.nio.file.Path xml = java.nio.file.Files.createTempFile("sigkit-junit", ".xml");
        JunitXmlReport.write(run, xml);
        assertThat(java.nio.file.Files.readString(xml)).contains("ACME-FS-001");
        java.nio.file.Files.delete(xml);
    }
}
