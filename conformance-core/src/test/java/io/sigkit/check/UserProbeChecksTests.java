package io.sigkit.check;

import static org.assertj.core.api.Assertions.assertThat;

import io.sigkit.catalog.RequirementCatalog;
import io.sigkit.probe.ProbeDocument;
import io.sigkit.transport.TransportException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Users' probes files: each probe is a check under the user's own ID, decided from canned facts. */
class UserProbeChecksTests {
    private static final ProbeDocument ACME = ProbeDocument.parse("""
            {"version": 1,
             "paths": [{"id": "calibration", "requirement": "ACME-FS-001", "level": "REQUIRED",
                        "path": "/opt/acme/calibration.bin", "kind": "file", "owner": "root", "modeForbids": "0022",
                        "access": ["read"]},
                       {"id": "spool", "requirement": "ACME-FS-002", "path": "/var/spool/acme", "kind": "directory",
                        "access": ["create-entry"]}],
             "sudo": [{"id": "camera-reset", "requirement": "ACME-PRIV-001", "command": ["/opt/acme/bin/camera", "--reset"]},
                      {"id": "no-root-shell", "requirement": "ACME-PRIV-002", "command": ["bash"], "expect": "refused"}]}
            """, "acme-probes.json");

    /** A payload where every ACME probe holds. */
    private static CannedPayload acme() {
        return CannedPayload.conformant().probes(ACME).facts(f -> f
                .put("calibration.lstat", "regular file|644|root|root|4096\n")
                .put("calibration.stat", "regular file|644|root|root|4096\n").put("calibration.access", "r\n")
                .put("spool.lstat", "directory|770|acme|sigapi|4096\n").put("spool.stat", "directory|770|acme|sigapi|4096\n")
                .put("spool.access", "rwx\n").put("spool.write", "ok\n")
                .put("sudo-allows-camera-reset", "/opt/acme/bin/camera --reset\nexit=0\n")
                .put("sudo-allows-no-root-shell", "Sorry, user sigapi is not allowed to execute '/usr/bin/bash' as root.\nexit=1\n"));
    }

    private static Map<String, RequirementResult> evaluate(CannedPayload payload) {
        CheckContext ctx = payload.context();
        RequirementResult login = RequirementResult.of(RequirementCatalog.load().get("SIG-ENV-003"))
                .evidence("canned", true).pass("[canned] logged in");
        Map<String, RequirementResult> byId = new java.util.LinkedHashMap<>();
        for (RequirementResult r : UserProbeChecks.evaluate(ctx, id -> id.equals("SIG-ENV-003") ? login : null)) {
            byId.put(r.id(), r);
        }
        return byId;
    }

    @Test
    void every_user_probe_passes_under_its_own_id_when_its_expectations_hold() {
        Map<String, RequirementResult> results = evaluate(acme());
        assertThat(results.keySet()).containsExactly("ACME-FS-001", "ACME-FS-002", "ACME-PRIV-001", "ACME-PRIV-002");
        assertThat(results.values()).allSatisfy(r -> assertThat(r.outcome()).as(r.message()).isEqualTo(Outcome.PASS));
        assertThat(results.get("ACME-FS-001").message()).isEqualTo("[ACME-FS-001] /opt/acme/calibration.bin is regular file"
                + " 0644 root:root (a regular file, owner root, mode bits 0022 clear, read by sigapi), as the probes file declares");
        assertThat(results.get("ACME-FS-001").level()).isEqualTo(io.sigkit.catalog.Level.REQUIRED);
        assertThat(results.get("ACME-FS-002").level()).isEqualTo(io.sigkit.catalog.Level.RECOMMENDED);
    }

    @Test
    void a_user_path_probe_fails_naming_every_broken_expectation() {
        CannedPayload payload = acme().facts(f -> f.put("calibration.stat", "regular file|666|acme|acme|4096\n")
                .put("calibration.access", "-\n"));
        RequirementResult r = evaluate(payload).get("ACME-FS-001");
        assertThat(r.outcome()).isEqualTo(Outcome.FAIL);
        assertThat(r.message()).startsWith("[ACME-FS-001] /opt/acme/calibration.bin on " + CannedPayload.TARGET
                + " (regular file 0666 acme:acme): it is owned by 'acme', not 'root'; its mode 0666 has bits 0022 set,"
                + " which 0022 forbids; 'sigapi' cannot read it (test -r)");
    }

    @Test
    void a_user_path_probe_fails_when_the_path_is_missing() {
        RequirementResult r = evaluate(acme().facts(f -> f.put("calibration.stat", "stat: No such file or directory\n")))
                .get("ACME-FS-001");
        assertThat(r.outcome()).isEqualTo(Outcome.FAIL);
        assertThat(r.actual()).isEqualTo("missing");
    }

    @Test
    void a_user_directory_probe_fails_when_no_entry_can_be_created() {
        RequirementResult r = evaluate(acme().facts(f -> f.put("spool.write", "denied sh: Permission denied\n")))
                .get("ACME-FS-002");
        assertThat(r.outcome()).isEqualTo(Outcome.FAIL);
        assertThat(r.message()).contains("'sigapi' cannot create an entry in it (denied sh: Permission denied)");
    }

    @Test
    void a_user_sudo_probe_fails_when_sudo_refuses_or_allows_against_the_file() {
        CannedPayload payload = acme().facts(f -> f.put("sudo-allows-camera-reset", "sudo: a password is required\nexit=1\n")
                .put("sudo-allows-no-root-shell", "/usr/bin/bash\nexit=0\n"));
        Map<String, RequirementResult> results = evaluate(payload);
        assertThat(results.get("ACME-PRIV-001").outcome()).isEqualTo(Outcome.FAIL);
        assertThat(results.get("ACME-PRIV-001").message()).contains("refused: sudo: a password is required")
                .contains("needs it allowed");
        assertThat(results.get("ACME-PRIV-002").outcome()).isEqualTo(Outcome.FAIL);
        assertThat(results.get("ACME-PRIV-002").message()).contains("needs it refused");
    }

    @Test
    void user_probes_are_skipped_when_the_kit_could_not_log_in() {
        CheckContext ctx = CheckContext.canned(CannedPayload.options(b -> b.probes(ACME)), CannedPayload.conformant())
                .connectFailure(new TransportException(TransportException.Kind.AUTH_FAILED, "refused")).build();
        List<RequirementResult> results = UserProbeChecks.evaluate(ctx, id -> null);
        assertThat(results).hasSize(4).allSatisfy(r -> {
            assertThat(r.outcome()).isEqualTo(Outcome.SKIPPED);
            assertThat(r.blockedBy()).isEqualTo("SIG-ENV-003");
        });
    }

    @Test
    void user_probes_are_error_when_the_facts_probe_failed() {
        CannedPayload payload = acme().factsFail(new io.sigkit.probe.IncompleteOutputException("the facts probe: cut"));
        assertThat(evaluate(payload).values()).allSatisfy(r -> assertThat(r.outcome()).isEqualTo(Outcome.ERROR));
    }

    @Test
    void an_excluded_user_probe_is_not_verified() {
        CheckContext ctx = acme().context(b -> b.exclude("ACME-FS-002"));
        List<RequirementResult> results = UserProbeChecks.evaluate(ctx, id -> null);
        assertThat(results.get(1).outcome()).isEqualTo(Outcome.NOT_VERIFIED);
        assertThat(results.get(0).outcome()).isEqualTo(Outcome.PASS);
    }
}
