package io.sigkit.cli;

import static io.sigkit.cli.SigkitTestCase.sigkit;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.sigkit.catalog.Requirement;
import io.sigkit.catalog.RequirementCatalog;
import io.sigkit.cli.SigkitTestCase.Execution;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code sigkit list}: the catalog, as text and as JSON. */
class ListCommandTests {
    private final RequirementCatalog catalog = RequirementCatalog.load();

    @Test
    void text_lists_every_requirement_with_level_tier_and_title() {
        Execution e = sigkit("list");
        assertThat(e.exitCode()).as("%s", e).isZero();
        assertThat(e.err()).isEmpty();
        for (Requirement r : catalog.requirements()) {
            assertThat(e.out()).as(r.id()).containsPattern("(?m)^" + r.id() + " +" + r.level() + " +"
                    + r.tier().jsonName() + " .*" + java.util.regex.Pattern.quote(r.title()) + "$");
        }
        assertThat(e.out()).contains("--allow-clock-set").contains("--allow-destructive");
    }

    @Test
    void json_is_only_json_and_holds_the_catalog_in_order() throws Exception {
        Execution e = sigkit("list", "--format", "json");
        assertThat(e.exitCode()).as("%s", e).isZero();
        JsonNode root = JsonMapper.builder().build().readTree(e.out());
        assertThat(root.get("specVersion").asText()).isEqualTo(catalog.specVersion());
        assertThat(root.get("catalogVersion").asText()).isEqualTo(catalog.version());
        List<String> ids = new ArrayList<>();
        root.get("requirements").forEach(r -> ids.add(r.get("id").asText()));
        assertThat(ids).containsExactlyElementsOf(catalog.requirements().stream().map(Requirement::id).toList());
        JsonNode clockSet = root.get("requirements").get(ids.indexOf("SIG-TIME-002"));
        assertThat(clockSet.get("tier").asText()).isEqualTo("reversible");
        assertThat(clockSet.get("enabledBy").asText()).isEqualTo("--allow-clock-set");
        assertThat(clockSet.get("hints").size()).isPositive();
    }

    @Test
    void the_default_list_has_no_dlv_entry_and_the_delivery_profile_adds_them() throws Exception {
        // WHEN the catalog is listed without and with --profile delivery
        Execution plain = sigkit("list");
        Execution delivery = sigkit("list", "--profile", "delivery");
        Execution json = sigkit("list", "--profile", "delivery", "--format", "json");

        // THEN only the delivery listing shows SIG-DLV-001 and SIG-DLV-002, after the Signaling API's requirements
        assertThat(plain.out()).doesNotContain("SIG-DLV-");
        assertThat(delivery.exitCode()).as("%s", delivery).isZero();
        assertThat(delivery.out()).contains("(profile delivery)")
                .containsPattern("(?m)^SIG-DLV-001 +REQUIRED +read-only +delivery .*port 2005$")
                .containsPattern("(?m)^SIG-DLV-002 +RECOMMENDED +read-only +delivery .*start at boot$");
        JsonNode root = JsonMapper.builder().build().readTree(json.out());
        assertThat(root.get("profile").asText()).isEqualTo("delivery");
        List<String> ids = new ArrayList<>();
        root.get("requirements").forEach(r -> ids.add(r.get("id").asText()));
        assertThat(ids).containsExactlyElementsOf(catalog.requirements("delivery").stream().map(Requirement::id).toList());
        assertThat(sigkit("list", "--profile", "nope").exitCode()).isEqualTo(64);
    }
}
