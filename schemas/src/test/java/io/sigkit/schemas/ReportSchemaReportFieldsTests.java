package io.sigkit.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** The optional fields the reports module writes into report.json are typed by report.v1.schema.json. */
class ReportSchemaReportFieldsTests {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static final String REPORT = """
            {
              "reportVersion": 1, "kitVersion": "0.1.0", "catalogVersion": "1.0.0", "specVersion": "1.0",
              "kit": {"version": "0.1.0", "commit": "2b80db76f07ba93c84b099423e1e19a59651c8ee", "dirty": false,
                      "jar": "sigkit.jar", "jarSha256": "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
              "signature": {"namespace": "sigkit-evidence", "signerKeyType": "ssh-ed25519",
                            "signerFingerprint": "SHA256:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU",
                            "sums": "SHA256SUMS", "file": "SHA256SUMS.sig"},
              "target": {
                "address": "127.0.0.1:2201", "serverVersion": "SSH-2.0-OpenSSH_9.2p1", "hostKeyType": "ssh-ed25519",
                "hostKeyFingerprint": "SHA256:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU", "user": "signal",
                "loginShell": "/bin/bash", "os": "Linux", "payloadExecSha256": null
              },
              "tiers": ["read-only", "bus-equivalent"], "hostKeyPolicy": "ACCEPT_NEW", "hostKeyNewlyTrusted": true,
              "strict": false, "startedAt": "2026-11-23T11:00:00.125Z", "endedAt": "2026-11-23T11:01:30Z",
              "durationMillis": 89875.0, "verdict": "NOT_CONFORMANT",
              "counts": {"PASS": 0, "FAIL": 1, "ERROR": 0, "SKIPPED": 1, "NOT_VERIFIED": 0, "total": 2, "countedFailures": 1},
              "sessionsOpened": 3, "execRequests": 9, "settings": {"repetitions": 5, "include": []},
              "results": [
                {"id": "SIG-CONF-002", "level": "REQUIRED", "title": "configure completes within 15 seconds",
                 "section": "Window Configuration", "tags": ["configure", "timing"], "outcome": "FAIL",
                 "message": "[SIG-CONF-002] ran 15.8 s", "expected": "completes within 15 s", "actual": "15.80 s",
                 "blockedBy": null, "enabledBy": null, "warnings": [], "evidence": {"budgetMillis": 15000},
                 "timings": [{"name": "configure #1 to channel close", "millis": 15800.0, "where": "kit"}]},
                {"id": "SIG-CONF-003", "level": "REQUIRED", "title": "configure works with uplinked files",
                 "section": "Window Configuration", "tags": ["configure"], "outcome": "SKIPPED",
                 "message": "[SIG-CONF-003] blocked by SIG-CONF-002", "expected": null, "actual": null,
                 "blockedBy": "SIG-CONF-002", "enabledBy": null, "warnings": ["a remark"], "evidence": {}, "timings": []}
              ],
              "transcript": [
                {"session": 1, "command": "true", "purpose": "SIG-CONF-002 configure #1",
                 "startedAt": "2026-11-23T11:00:01Z", "exitStatus": 0, "millisToExit": 1.5, "millisToClose": 2.0,
                 "timedOut": false}
              ],
              "cleanup": {"complete": false, "items": [
                {"path": "/signaling/window_configs/2100000001.json", "kind": "window-config", "origin": "this run",
                 "removed": false, "note": "Permission denied"}
              ]}
            }
            """;

    private final SchemaValidator validator = SchemaValidator.of(SchemaId.REPORT_V1);

    @Test
    void accepts_a_report_as_the_reports_module_writes_it() {
        ValidationReport report = validator.validateText(REPORT, "report.json");

        assertThat(report.valid()).as(report.describe()).isTrue();
    }

    @Test
    void rejects_mistyped_report_fields() {
        assertRejectedAt("/hostKeyNewlyTrusted", root -> root.put("hostKeyNewlyTrusted", "yes"));
        assertRejectedAt("/durationMillis", root -> root.put("durationMillis", -1));
        assertRejectedAt("/counts/FAIL", root -> ((ObjectNode) root.get("counts")).put("FAIL", 1.5));
        assertRejectedAt("/sessionsOpened", root -> root.put("sessionsOpened", -1));
        assertRejectedAt("/settings", root -> root.put("settings", "none"));
        assertRejectedAt("/target/serverVersion", root -> ((ObjectNode) root.get("target")).put("serverVersion", ""));
    }

    @Test
    void rejects_mistyped_kit_and_signature_fields() {
        assertRejectedAt("/kit/commit", root -> ((ObjectNode) root.get("kit")).put("commit", "development"));
        assertRejectedAt("/kit/jarSha256", root -> ((ObjectNode) root.get("kit")).put("jarSha256", "ABC"));
        assertRejectedAt("/kit/dirty", root -> ((ObjectNode) root.get("kit")).put("dirty", "no"));
        assertRejectedAt("/signature/signerFingerprint",
                root -> ((ObjectNode) root.get("signature")).put("signerFingerprint", "MD5:aa:bb"));
        assertRejectedAt("/signature/namespace", root -> ((ObjectNode) root.get("signature")).put("namespace", "file"));
    }

    @Test
    void rejects_mistyped_result_fields() {
        assertRejectedAt("/results/0/blockedBy", root -> result(root).put("blockedBy", "the other one"));
        assertRejectedAt("/results/0/expected", root -> result(root).put("expected", 15));
        assertRejectedAt("/results/0/warnings", root -> result(root).put("warnings", "one"));
        assertRejectedAt("/results/0/tags/0", root -> result(root).withArray("tags").set(0, MAPPER.getNodeFactory().textNode("speed")));
        assertRejectedAt("/results/0/timings/0/where", root -> ((ObjectNode) result(root).withArray("timings").get(0)).put("where", "moon"));
    }

    @Test
    void rejects_mistyped_transcript_and_cleanup_fields() {
        assertRejectedAt("/transcript/0/timedOut", root -> transcript(root).put("timedOut", 0));
        assertRejectedAt("/transcript/0/startedAt", root -> transcript(root).put("startedAt", "now"));
        assertRejectedAt("/cleanup/complete", root -> ((ObjectNode) root.get("cleanup")).put("complete", "no"));
        assertRejectedAt("/cleanup/items/0/note", root -> ((ObjectNode) root.at("/cleanup/items/0")).putNull("note"));
    }

    private void assertRejectedAt(String pointer, Consumer<ObjectNode> change) {
        try {
            ObjectNode root = (ObjectNode) MAPPER.readTree(REPORT);
            change.accept(root);
            ValidationReport report = validator.validateText(MAPPER.writeValueAsString(root), "report.json");
            assertThat(report.errors()).as("after the change at %s", pointer).isNotEmpty()
                    .extracting(ValidationError::pointer).containsOnly(pointer);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new AssertionError(e);
        }
    }

    private static ObjectNode result(ObjectNode root) {
        return (ObjectNode) root.withArray("results").get(0);
    }

    private static ObjectNode transcript(ObjectNode root) {
        return (ObjectNode) root.withArray("transcript").get(0);
    }
}
