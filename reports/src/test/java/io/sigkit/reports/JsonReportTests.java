package io.sigkit.reports;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sigkit.run.RunResult;
import io.sigkit.schemas.SchemaId;
import io.sigkit.schemas.SchemaValidator;
import io.sigkit.schemas.ValidationReport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class JsonReportTests {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private final SchemaValidator validator = SchemaValidator.of(SchemaId.REPORT_V1);

    static Stream<Arguments> runs() {
        return Stream.of(
                Arguments.of("conformant", RunResultTestCase.conformant()),
                Arguments.of("conformant, strict", RunResultTestCase.conformant(true)),
                Arguments.of("not conformant with failures, skips and hostile output", RunResultTestCase.notConformant()),
                Arguments.of("connection failure, empty transcript", RunResultTestCase.connectionFailed()),
                Arguments.of("conformant with waivers", RunResultTestCase.waived()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("runs")
    void written_report_is_valid_against_report_v1_schema(String name, RunResult run, @TempDir Path dir) {
        // GIVEN a run, WHEN its report is written to a file
        Path file = dir.resolve("out/report.json");
        JsonReport.write(run, file);

        // THEN the file, read back as text, satisfies report.v1.schema.json
        ValidationReport report = validator.validate(file);
        assertThat(report.valid()).as("%s: %s", name, report.describe()).isTrue();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("runs")
    void contract_fields_carry_the_run(String name, RunResult run) throws Exception {
        JsonNode root = MAPPER.readTree(JsonReport.toJson(run));

        assertThat(root.path("verdict").asText()).isEqualTo(run.verdict().name());
        assertThat(root.path("results")).hasSize(run.results().size());
        for (int i = 0; i < run.results().size(); i++) {
            JsonNode r = root.path("results").get(i);
            assertThat(r.path("id").asText()).isEqualTo(run.results().get(i).id());
            assertThat(r.path("level").asText()).isEqualTo(run.results().get(i).level().name());
            assertThat(r.path("outcome").asText()).isEqualTo(run.results().get(i).outcome().name());
            assertThat(r.path("message").asText()).isEqualTo(run.results().get(i).message());
        }
        assertThat(root.path("transcript")).hasSize(run.transcript().size());
        assertThat(root.path("counts").path("total").asInt()).isEqualTo(run.results().size());
        for (var outcome : io.sigkit.check.Outcome.values()) {
            assertThat(root.path("counts").path(outcome.name()).asLong()).as(outcome.name()).isEqualTo(run.count(outcome));
        }
    }

    @Test
    void waivers_and_the_waived_result_are_reported() throws Exception {
        // GIVEN a run with an applied, an expired, a wrong-build and an unused waiver
        JsonNode root = MAPPER.readTree(JsonReport.toJson(RunResultTestCase.waived()));

        // THEN the verdict, the WAIVED count, and the waived result with its waiver and original outcome
        assertThat(root.path("verdict").asText()).isEqualTo("CONFORMANT_WITH_WAIVERS");
        assertThat(root.at("/counts/WAIVED").asInt()).isEqualTo(1);
        JsonNode cfg3 = root.path("results").get(14);
        assertThat(cfg3.path("id").asText()).isEqualTo("SIG-CFG-003");
        assertThat(cfg3.path("outcome").asText()).isEqualTo("WAIVED");
        assertThat(cfg3.path("expected").asText()).isEqualTo("exit status 0");
        assertThat(cfg3.at("/evidence/stderr").asText()).isEqualTo("unknown key 'x_extra'");
        assertThat(cfg3.at("/waiver/originalOutcome").asText()).isEqualTo("FAIL");
        assertThat(cfg3.at("/waiver/reason").asText()).isEqualTo(RunResultTestCase.WAIVER_REASON);
        assertThat(cfg3.at("/waiver/payloadExecSha256").asText()).isEqualTo(RunResultTestCase.SHA);
        // AND every waiver with its status, in file order
        assertThat(root.path("waivers")).extracting(w -> w.path("id").asText() + " " + w.path("status").asText())
                .containsExactly("SIG-CFG-003 APPLIED", "SIG-CONF-004 EXPIRED", "SIG-FS-006 OTHER_PAYLOAD_EXEC",
                        "SIG-CFG-001 UNUSED");
        assertThat(root.at("/waivers/2/note").asText()).contains("0".repeat(64));
        assertThat(root.at("/waivers/3/payloadExecSha256").isNull()).isTrue();
        // AND a run without waivers has an empty list
        assertThat(MAPPER.readTree(JsonReport.toJson(RunResultTestCase.conformant())).path("waivers")).isEmpty();
    }

    @Test
    void durations_are_milliseconds_and_instants_iso_8601() throws Exception {
        // GIVEN a run whose SIG-CONF-002 ran over budget and whose last command timed out
        RunResult run = RunResultTestCase.notConformant();

        JsonNode root = MAPPER.readTree(JsonReport.toJson(run));

        // THEN transcript timings are numbers of milliseconds, null where nothing arrived
        JsonNode first = root.path("transcript").get(1);
        assertThat(first.path("session").isInt()).isTrue();
        assertThat(first.path("exitStatus").asInt()).isZero();
        assertThat(first.path("millisToExit").isNumber()).isTrue();
        assertThat(first.path("millisToExit").asDouble()).isEqualTo(301.0);
        assertThat(first.path("millisToClose").asDouble()).isEqualTo(304.0);
        JsonNode timedOut = root.path("transcript").get(4);
        assertThat(timedOut.path("exitStatus").isNull()).isTrue();
        assertThat(timedOut.path("millisToExit").isNull()).isTrue();
        assertThat(timedOut.path("millisToClose").isNull()).isTrue();
        assertThat(timedOut.path("timedOut").asBoolean()).isTrue();
        // AND timings are milliseconds
        JsonNode conf = result(root, "SIG-CONF-002");
        assertThat(conf.path("timings")).hasSize(6);
        assertThat(conf.path("timings").get(3).path("name").asText()).isEqualTo("configure #2 to channel close");
        assertThat(conf.path("timings").get(3).path("millis").asDouble()).isEqualTo(15_800.0);
        assertThat(conf.path("timings").get(3).path("where").asText()).isEqualTo("kit");
        assertThat(conf.path("expected").asText()).isEqualTo("completes within 15 s");
        assertThat(conf.path("actual").asText()).isEqualTo("15.80 s");
        // AND instants are ISO-8601 in UTC, and evidence of any Java type becomes plain JSON
        assertThat(root.path("startedAt").asText()).isEqualTo("2026-11-23T11:00:00.125Z");
        assertThat(root.path("endedAt").asText()).isEqualTo("2026-11-23T11:01:32.470Z");
        assertThat(root.path("durationMillis").asDouble()).isEqualTo(92_345.0);
        JsonNode time = result(root, "SIG-TIME-002").path("evidence");
        assertThat(time.path("checkedAt").asText()).isEqualTo("2026-11-23T11:00:40.125Z");
        assertThat(time.path("waited").asDouble()).isEqualTo(1500.0);
        assertThat(time.path("sudo").get(0).asText()).isEqualTo("sudo: a password is required");
        assertThat(time.path("details").path("exitStatus").asInt()).isEqualTo(1);
    }

    @Test
    void skipped_and_not_verified_results_name_their_reason() throws Exception {
        JsonNode root = MAPPER.readTree(JsonReport.toJson(RunResultTestCase.notConformant()));

        JsonNode skipped = result(root, "SIG-CONF-003");
        assertThat(skipped.path("outcome").asText()).isEqualTo("SKIPPED");
        assertThat(skipped.path("blockedBy").asText()).isEqualTo("SIG-CONF-001");
        assertThat(skipped.path("enabledBy").isNull()).isTrue();
        JsonNode notVerified = result(root, "SIG-END-001");
        assertThat(notVerified.path("enabledBy").asText()).isEqualTo("--allow-destructive");
        assertThat(notVerified.path("section").asText()).isNotBlank();
        assertThat(notVerified.path("tags")).isNotEmpty();
    }

    @Test
    void identity_tiers_policy_counts_cleanup_and_settings_are_reported() throws Exception {
        RunResult run = RunResultTestCase.notConformant();

        JsonNode root = MAPPER.readTree(JsonReport.toJson(run));

        assertThat(root.path("reportVersion").asInt()).isEqualTo(1);
        assertThat(root.path("kitVersion").asText()).isEqualTo("0.1.0-test");
        assertThat(root.path("specVersion").asText()).isEqualTo("1.0");
        JsonNode target = root.path("target");
        assertThat(target.path("address").asText()).isEqualTo("127.0.0.1:2201");
        assertThat(target.path("hostKeyFingerprint").asText()).isEqualTo(RunResultTestCase.FINGERPRINT);
        assertThat(target.path("hostKeyType").asText()).isEqualTo("ssh-ed25519");
        assertThat(target.path("serverVersion").asText()).startsWith("SSH-2.0-OpenSSH");
        assertThat(target.path("loginShell").asText()).isEqualTo("/bin/bash");
        assertThat(target.path("payloadExecSha256").asText()).isEqualTo(RunResultTestCase.SHA);
        assertThat(root.path("tiers").toString()).isEqualTo("[\"read-only\",\"bus-equivalent\"]");
        assertThat(root.path("hostKeyPolicy").asText()).isEqualTo("ACCEPT_NEW");
        assertThat(root.path("hostKeyNewlyTrusted").asBoolean()).isTrue();
        assertThat(root.path("strict").asBoolean()).isFalse();
        assertThat(root.path("sessionsOpened").asInt()).isEqualTo(17);
        assertThat(root.path("execRequests").asInt()).isEqualTo(73);
        assertThat(root.path("counts").path("countedFailures").asInt()).isEqualTo(2);
        assertThat(root.path("settings").path("repetitions").asInt()).isEqualTo(5);
        assertThat(root.path("settings").path("windowIds")).hasSize(2);
        List<String> keys = new ArrayList<>();
        root.path("settings").fieldNames().forEachRemaining(keys::add);
        assertThat(keys).as("settings in a stable order").isSorted();
        assertThat(root.path("cleanup").path("complete").asBoolean()).isFalse();
        JsonNode item = root.path("cleanup").path("items").get(1);
        assertThat(item.path("path").asText()).isEqualTo("/signaling/inbox/john/sigkit-5eed1234.bin");
        assertThat(item.path("kind").asText()).isEqualTo("file");
        assertThat(item.path("removed").asBoolean()).isFalse();
        assertThat(item.path("note").asText()).contains("Permission denied");
        assertThat(root.path("cleanup").path("items").get(0).path("kind").asText()).isEqualTo("window-config");
    }

    @Test
    void unknown_identity_values_are_null_not_empty_strings() throws Exception {
        // GIVEN a run whose connection failed: no host key, shell, OS or payload_exec digest was learnt
        JsonNode root = MAPPER.readTree(JsonReport.toJson(RunResultTestCase.connectionFailed()));

        JsonNode target = root.path("target");
        assertThat(target.path("hostKeyFingerprint").isNull()).isTrue();
        assertThat(target.path("loginShell").isNull()).isTrue();
        assertThat(target.path("os").isNull()).isTrue();
        assertThat(target.path("payloadExecSha256").isNull()).isTrue();
        assertThat(target.path("user").asText()).isEqualTo("signal");
        assertThat(root.path("transcript")).isEmpty();
        assertThat(root.path("cleanup").path("items")).isEmpty();
        assertThat(root.path("cleanup").path("complete").asBoolean()).isTrue();
    }

    @Test
    void payload_output_survives_the_round_trip_exactly() throws Exception {
        // GIVEN a message and evidence full of markup, control characters and non-BMP text
        RunResult run = RunResultTestCase.notConformant();

        JsonNode root = MAPPER.readTree(JsonReport.toJson(run));

        // THEN JSON keeps it bit for bit: JSON escaping is lossless, so nothing is replaced here
        JsonNode fs = result(root, "SIG-FS-006");
        assertThat(fs.path("evidence").path("stderr").asText()).isEqualTo(RunResultTestCase.HOSTILE);
        assertThat(fs.path("message").asText()).isEqualTo(run.result("SIG-FS-006").orElseThrow().message());
    }

    @Test
    void schema_rejects_a_report_that_breaks_the_contract() {
        // GIVEN a valid report WHEN a contract field is removed or mistyped THEN the schema test would catch it
        ObjectNode root = JsonReport.toNode(RunResultTestCase.notConformant());
        ((ObjectNode) root.withArray("transcript").get(0)).remove("millisToClose");
        ((ObjectNode) root.withArray("results").get(0)).put("outcome", "PASSED");

        ValidationReport report = validator.validate(root, "broken report");

        assertThat(report.valid()).isFalse();
        assertThat(report.describe()).contains("/transcript/0").contains("/results/0/outcome");
    }

    @Test
    void to_node_and_to_json_agree() throws Exception {
        RunResult run = RunResultTestCase.conformant();

        assertThat(MAPPER.readTree(JsonReport.toJson(run)).toString()).isEqualTo(JsonReport.toNode(run).toString());
        assertThat(JsonReport.toJson(run)).endsWith("}\n");
    }

    @Test
    void write_replaces_an_earlier_report(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("report.json");
        Files.writeString(file, "old");

        JsonReport.write(RunResultTestCase.conformant(), file);

        assertThat(MAPPER.readTree(file.toFile()).path("verdict").asText()).isEqualTo("CONFORMANT");
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files).as("no temporary file left").containsExactly(file);
        }
    }

    private static JsonNode result(JsonNode root, String id) {
        for (JsonNode r : root.path("results")) {
            if (r.path("id").asText().equals(id)) {
                return r;
            }
        }
        throw new AssertionError("no result " + id + " in the report");
    }
}
