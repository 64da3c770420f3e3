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
}
