package io.sigkit.check;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.sigkit.bus.PlacedFile;
import io.sigkit.bus.Window;
import io.sigkit.schemas.SchemaId;
import io.sigkit.schemas.SchemaValidator;
import io.sigkit.schemas.ValidationReport;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * SIG-CFG-001/002 over a canned placement: obligations of the bus (here the kit), which no broken payload can break,
 * so their FAIL branches are proven here (testbed/README.md, "Requirements without a variant").
 */
class ConfigChecksTests {
    private static final WindowPlan PLAN = new WindowPlan(2100000000L, "0123456789abcdef", "sigkit", "sigkit-e0123",
            JsonNodeFactory.instance.objectNode(), 3);
    private static final Instant END = Instant.parse("2026-11-30T12:05:00Z");

    private static CheckContext.PlacedOrError placed(Window w) {
        return new CheckContext.PlacedOrError(w, new PlacedFile(w.configPath(), 120, "ab".repeat(32), false), null);
    }

    /** Every config of the plan placed and valid, with one entry changed by the test. */
    private static Placement placement(String key, CheckContext.PlacedOrError replacement, ValidationReport extra) {
        Map<String, CheckContext.PlacedOrError> all = new LinkedHashMap<>();
        all.put("main", placed(PLAN.main(END)));
        all.put("extra-keys", placed(PLAN.extraKeys(END)));
        all.put("malformed", placed(PLAN.malformed(END)));
        all.put("version-2", placed(PLAN.unsupportedVersion(END)));
        if (key != null) {
            all.put(key, replacement);
        }
        ValidationReport valid = SchemaValidator.of(SchemaId.WINDOW_CONFIG_V1).validate(PLAN.main(END).config(),
                PLAN.main(END).configPath());
        return Placement.of(all, extra == null ? List.of(valid) : List.of(valid, extra));
    }

    private static RequirementResult check(String id, CannedPayload payload, Placement placement) {
        CheckContext ctx = CheckContext.canned(CannedPayload.options(b -> b), payload).placement(placement).build();
        return CannedPayload.check(id, ctx);
    }

    @Test
    void SIG_CFG_001_fails_when_a_config_the_kit_wrote_is_not_valid_v1() {
        // GIVEN a config whose version was written as a string (a kit defect this check exists to catch)
        var bad = PLAN.main(END).config().put("version", "1");
        ValidationReport report = SchemaValidator.of(SchemaId.WINDOW_CONFIG_V1).validate(bad, "/signaling/window_configs/2100000000.json");
        RequirementResult r = check("SIG-CFG-001", CannedPayload.conformant(), placement(null, null, report));
        assertThat(r.outcome()).isEqualTo(Outcome.FAIL);
        assertThat(r.message()).startsWith("[SIG-CFG-001] window configs the kit wrote on " + CannedPayload.TARGET
                + " are not valid v1 configs as read back: /signaling/window_configs/2100000000.json:");
        assertThat(r.evidence()).containsKey("problems");
    }

    @Test
    void SIG_CFG_001_fails_when_a_config_could_not_be_placed() {
        Window w = PLAN.extraKeys(END);
        RequirementResult r = check("SIG-CFG-001", CannedPayload.conformant(), placement("extra-keys",
                new CheckContext.PlacedOrError(w, null, "read back 119 bytes, wrote 120"), null));
        assertThat(r.outcome()).isEqualTo(Outcome.FAIL);
        assertThat(r.message()).contains(w.configPath() + ": read back 119 bytes, wrote 120");
    }

    @Test
    void SIG_CFG_001_passes_when_every_config_is_valid_and_placed() {
        RequirementResult r = check("SIG-CFG-001", CannedPayload.conformant(), placement(null, null, null));
        assertThat(r.outcome()).isEqualTo(Outcome.PASS);
        assertThat(r.message()).contains("2 window configs validated against window-config.v1");
    }

    @Test
    void SIG_CFG_002_fails_when_the_config_could_not_be_placed() {
        Window w = PLAN.main(END);
        RequirementResult r = check("SIG-CFG-002", CannedPayload.conformant(), placement("main",
                new CheckContext.PlacedOrError(w, null, "Permission denied"), null));
        assertThat(r.outcome()).isEqualTo(Outcome.FAIL);
        assertThat(r.message()).startsWith("[SIG-CFG-002] the config for window 2100000000 could not be placed at "
                + "/signaling/window_configs/2100000000.json: Permission denied");
    }

    @Test
    void SIG_CFG_002_fails_when_the_config_is_gone_after_writing() {
        // GIVEN a payload that removes configs as they appear (a cleaner cron job)
        RequirementResult r = check("SIG-CFG-002", CannedPayload.conformant().onlyExisting(), placement(null, null, null));
        assertThat(r.outcome()).isEqualTo(Outcome.FAIL);
        assertThat(r.message()).contains("is not there any more");
        assertThat(r.actual()).isEqualTo("missing");
    }

    @Test
    void SIG_CFG_002_passes_when_the_config_is_at_its_path() {
        RequirementResult r = check("SIG-CFG-002", CannedPayload.conformant()
                .onlyExisting("/signaling/window_configs/2100000000.json"), placement(null, null, null));
        assertThat(r.outcome()).isEqualTo(Outcome.PASS);
        assertThat(r.evidence()).containsEntry("path", "/signaling/window_configs/2100000000.json");
    }
}
