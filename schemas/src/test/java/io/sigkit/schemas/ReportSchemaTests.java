package io.sigkit.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ReportSchemaTests {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static final String REPORT = """
            {
              "reportVersion": 1,
              "kitVersion": "0.1.0",
              "catalogVersion": "1.0.0",
              "specVersion": "1.0",
              "target": {
                "address": "127.0.0.1:2201",
                "hostKeyFingerprint": "SHA256:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU",
                "user": "signal",
                "loginShell": "/bin/bash",
                "os": "Linux 6.1.0-18-amd64 x86_64, Debian GNU/Linux 12 (bookworm)",
                "payloadExecSha256": "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
              },
              "tiers": ["read-only", "bus-equivalent"],
              "hostKeyPolicy": "pinned SHA256 fingerprint",
              "strict": false,
              "startedAt": "2026-11-23T11:00:00.123Z",
              "endedAt": "2026-11-23T11:01:30Z",
              "verdict": "INCOMPLETE",
              "results": [
                {
                  "id": "SIG-CONF-002", "level": "REQUIRED", "outcome": "PASS",
                  "message": "configure ran 0.4 s, 0.3 s, 0.3 s (budget 15 s)",
                  "evidence": {"p50Millis": 312.5, "maxMillis": 401},
                  "timings": [{"name": "configure#1", "millis": 401}, {"name": "configure#2", "millis": 312.5}]
                },
                {
                  "id": "SIG-END-001", "level": "REQUIRED", "outcome": "NOT_VERIFIED",
                  "message": "needs --allow-destructive", "evidence": {}, "timings": []
                }
              ],
              "transcript": [
                {"session": 1, "command": "/usr/bin/payload_exec -u john -e -w 2100000001 > /dev/null",
                 "exitStatus": 0, "millisToExit": 401.2, "millisToClose": 402},
                {"session": "start-verbatim", "command": "nohup /usr/bin/payload_exec -u john -w 2100000001 -t 1900000000 &> /dev/null &",
                 "exitStatus": null, "millisToExit": null, "millisToClose": null}
              ],
              "cleanup": {
                "items": [
                  {"path": "/signaling/window_configs/2100000001.json", "kind": "file", "removed": true},
                  {"path": "/var/lib/payload/2100000001/", "kind": "directory", "removed": false, "leftBy": "payload"}
                ]
              }
            }
            """;

    private final SchemaValidator validator = SchemaValidator.of(SchemaId.REPORT_V1);

    @Test
    void accepts_a_complete_report() {
        ValidationReport report = validator.validateText(REPORT, "report.json");

        assertThat(report.valid()).as(report.describe()).isTrue();
    }

    @Test
    void accepts_fields_a_later_issue_may_add() {
        ValidationReport report = validate(root -> {
            root.put("runId", "r-1");
            ((ObjectNode) root.get("target")).put("arch", "aarch64");
            ((ObjectNode) root.withArray("results").get(0)).put("blockedBy", "SIG-FS-001");
            ((ObjectNode) root.withArray("transcript").get(0)).put("stderrTail", "");
        });

        assertThat(report.valid()).as(report.describe()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"/verdict", "/results", "/transcript", "/kitVersion", "/catalogVersion", "/specVersion",
        "/target", "/tiers", "/hostKeyPolicy", "/startedAt", "/endedAt", "/cleanup",
        "/target/address", "/target/hostKeyFingerprint", "/target/user", "/target/loginShell", "/target/os",
        "/target/payloadExecSha256", "/cleanup/items"})
    void requires_the_report_fields(String pointer) {
        assertRejectedWithout(pointer);
    }

    @ParameterizedTest
    @ValueSource(strings = {"id", "level", "outcome", "message", "evidence", "timings"})
    void requires_the_result_fields(String field) {
        assertRejectedWithout("/results/0/" + field);
    }

    @ParameterizedTest
    @ValueSource(strings = {"session", "command", "exitStatus", "millisToExit", "millisToClose"})
    void requires_the_transcript_contract_fields(String field) {
        assertRejectedWithout("/transcript/0/" + field);
    }

    @ParameterizedTest
    @ValueSource(strings = {"path", "kind", "removed"})
    void requires_the_cleanup_item_fields(String field) {
        assertRejectedWithout("/cleanup/items/0/" + field);
    }

    @ParameterizedTest
    @ValueSource(strings = {"CONFORMANT", "NOT_CONFORMANT", "INCOMPLETE"})
    void accepts_every_verdict(String verdict) {
        assertThat(validate(root -> root.put("verdict", verdict)).valid()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"PASSED", "NOT CONFORMANT", "conformant", ""})
    void rejects_other_verdicts(String verdict) {
        assertRejectedAt("/verdict", root -> root.put("verdict", verdict));
    }

    @ParameterizedTest
    @ValueSource(strings = {"PASS", "FAIL", "ERROR", "SKIPPED", "NOT_VERIFIED"})
    void accepts_every_outcome(String outcome) {
        assertThat(validate(root -> result(root).put("outcome", outcome)).valid()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"OK", "WARN", "pass", "NOT VERIFIED"})
    void rejects_other_outcomes(String outcome) {
        assertRejectedAt("/results/0/outcome", root -> result(root).put("outcome", outcome));
    }

    @Test
    void rejects_an_unknown_level_and_a_malformed_requirement_id() {
        assertRejectedAt("/results/0/level", root -> result(root).put("level", "MUST"));
        assertRejectedAt("/results/0/id", root -> result(root).put("id", "CONF-002"));
    }

    @Test
    void rejects_evidence_that_is_not_an_object_and_negative_timings() {
        assertRejectedAt("/results/0/evidence", root -> result(root).put("evidence", "ok"));
        assertRejectedAt("/results/0/timings/0/millis", root -> ((ObjectNode) result(root).withArray("timings").get(0)).put("millis", -1));
    }

    @Test
    void rejects_malformed_transcript_values() {
        assertRejectedAt("/transcript/0/exitStatus", root -> transcript(root).put("exitStatus", "0"));
        assertRejectedAt("/transcript/0/millisToExit", root -> transcript(root).put("millisToExit", -3));
        assertRejectedAt("/transcript/0/command", root -> transcript(root).put("command", ""));
    }

    @Test
    void rejects_timestamps_that_are_not_rfc_3339() {
        assertRejectedAt("/startedAt", root -> root.put("startedAt", "yesterday"));
        assertRejectedAt("/endedAt", root -> root.put("endedAt", "2026-11-23 11:01:30"));
    }

    @Test
    void rejects_unknown_tiers_and_malformed_target_identity() {
        assertRejectedAt("/tiers/0", root -> root.withArray("tiers").set(0, MAPPER.getNodeFactory().textNode("everything")));
        assertRejectedAt("/target/hostKeyFingerprint", root -> ((ObjectNode) root.get("target")).put("hostKeyFingerprint", "MD5:aa:bb"));
        assertRejectedAt("/target/payloadExecSha256", root -> ((ObjectNode) root.get("target")).put("payloadExecSha256", "ABC"));
    }

    @Test
    void rejects_another_report_version() {
        assertRejectedAt("/reportVersion", root -> root.put("reportVersion", 2));
    }

    private void assertRejectedWithout(String pointer) {
        int slash = pointer.lastIndexOf('/');
        String parent = pointer.substring(0, slash);
        String field = pointer.substring(slash + 1);
        ValidationReport report = validate(root -> ((ObjectNode) root.at(parent)).remove(field));

        assertThat(report.errors()).as("report without %s", pointer).singleElement().satisfies(error -> {
            assertThat(error.keyword()).isEqualTo("required");
            assertThat(error.pointer()).isEqualTo(parent);
            assertThat(error.message()).contains("'" + field + "'");
        });
    }

    private void assertRejectedAt(String pointer, Consumer<ObjectNode> change) {
        ValidationReport report = validate(change);

        assertThat(report.errors()).as("after the change at %s", pointer).isNotEmpty()
                .extracting(ValidationError::pointer).containsOnly(pointer);
    }

    private ValidationReport validate(Consumer<ObjectNode> change) {
        try {
            ObjectNode root = (ObjectNode) MAPPER.readTree(REPORT);
            change.accept(root);
            return validator.validateText(MAPPER.writeValueAsString(root), "report.json");
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static ObjectNode result(JsonNode root) {
        return (ObjectNode) ((ArrayNode) root.get("results")).get(0);
    }

    private static ObjectNode transcript(JsonNode root) {
        return (ObjectNode) ((ArrayNode) root.get("transcript")).get(0);
    }
}
