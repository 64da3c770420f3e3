package io.sigkit.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.sigkit.check.Outcome;
import io.sigkit.check.RequirementResult;
import io.sigkit.probe.ProbeDocument;
import io.sigkit.testbed.PayloadSpec;
import io.sigkit.testbed.junit.RequiresTestbed;
import io.sigkit.testbed.RunningPayload;
import io.sigkit.testbed.Testbed;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** A user's probes file on a real payload: its probes run in the one facts probe and report under the user's IDs. */
@RequiresTestbed
class UserProbesOnTestbedTests {
    private static final ProbeDocument ACME = ProbeDocument.parse("""
            {"version": 1,
             "paths": [
               {"id": "passwd", "requirement": "ACME-FS-001", "level": "REQUIRED", "path": "/etc/passwd", "kind": "file",
                "owner": "root", "modeForbids": "0022", "access": ["read"]},
               {"id": "acme-inbox", "requirement": "ACME-FS-002", "path": "/signaling/inbox", "kind": "directory",
                "access": ["create-entry"]},
               {"id": "shadow", "requirement": "ACME-FS-003", "path": "/etc/shadow", "kind": "file", "access": ["read"]}],
             "sudo": [
               {"id": "visudo", "requirement": "ACME-PRIV-001", "command": ["visudo", "-c"], "expect": "refused"},
               {"id": "cat-shadow", "requirement": "ACME-PRIV-002", "command": ["cat", "/etc/shadow"]}]}
            """, "acme-probes.json");

    @Test
    void user_probes_are_decided_on_a_real_payload_under_the_users_ids() {
        try (RunningPayload payload = Testbed.start(PayloadSpec.reference())) {
            // GIVEN the reference payload and a probes file, the run limited to the environment and filesystem reads
            RunOptions options = CertificationOnTestbedTests.options(payload).probes(ACME).include("SIG-ENV-001")
                    .include("SIG-ENV-002").include("SIG-ENV-003").include("SIG-FS-001").include("SIG-FS-003")
                    .include("ACME-FS-001").include("ACME-FS-002").include("ACME-FS-003").include("ACME-PRIV-001")
                    .include("ACME-PRIV-002").build();
            // WHEN the kit certifies it
            RunResult r = Certification.run(options);
            Map<String, RequirementResult> byId = r.results().stream()
                    .collect(Collectors.toMap(RequirementResult::id, x -> x));
            String all = CertificationOnTestbedTests.describe(r);
            // THEN the catalog's checks read the same probe as before, and every user probe has its own result
            assertThat(byId.get("SIG-FS-001").outcome()).as(all).isEqualTo(Outcome.PASS);
            assertThat(byId.get("SIG-FS-003").outcome()).as(all).isEqualTo(Outcome.PASS);
            assertThat(byId.get("ACME-FS-001").outcome()).as(all).isEqualTo(Outcome.PASS);
            assertThat(byId.get("ACME-FS-002").outcome()).as(all).isEqualTo(Outcome.PASS);
            assertThat(byId.get("ACME-FS-003").outcome()).as(all).isEqualTo(Outcome.FAIL);
            assertThat(byId.get("ACME-FS-003").message()).contains("'sigapi' cannot read it (test -r)");
            assertThat(byId.get("ACME-PRIV-001").outcome()).as(all).isEqualTo(Outcome.PASS);
            assertThat(byId.get("ACME-PRIV-002").outcome()).as(all).isEqualTo(Outcome.FAIL);
            // AND the failed user probes are RECOMMENDED (the default level) and not every catalog requirement ran
            // (so INCOMPLETE)
            assertThat(r.verdict()).isEqualTo(Verdict.INCOMPLETE);
            assertThat(r.cleanupComplete()).as("cleanup %s", r.cleanup()).isTrue();
        }
    }
}
