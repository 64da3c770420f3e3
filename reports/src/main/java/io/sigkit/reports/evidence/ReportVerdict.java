package io.sigkit.reports.evidence;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.sigkit.catalog.Level;
import io.sigkit.check.Outcome;
import io.sigkit.check.RequirementResult;
import io.sigkit.run.Verdict;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Re-derives a report's verdict from the results it lists, with the kit's own rule ({@link Verdict#of}): the one
 * place the evidence check turns report.json's results back into the kit's results.
 */
final class ReportVerdict {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private ReportVerdict() {
    }

    /**
     * The verdict that {@code report}'s results and its {@code strict} setting give.
     *
     * @param problems receives one line per result that cannot be read back (and then no verdict is given)
     * @return the verdict, or {@code null} when a result could not be read
     */
    static Verdict of(JsonNode report, List<String> problems) {
        JsonNode results = report.path("results");
        if (!results.isArray()) {
            problems.add("report.json: has no results array: the verdict cannot be re-derived");
            return null;
        }
        List<RequirementResult> read = new ArrayList<>();
        int before = problems.size();
        for (int i = 0; i < results.size(); i++) {
            JsonNode r = results.get(i);
            String id = r.path("id").asText("");
            String where = "report.json: results[" + i + "]" + (id.isEmpty() ? "" : " (" + id + ")");
            try {
                Map<String, Object> evidence = r.path("evidence").isObject()
                        ? JSON.convertValue(r.path("evidence"), new TypeReference<Map<String, Object>>() { })
                        : Map.of();
                read.add(new RequirementResult(id, Level.valueOf(r.path("level").asText("")), r.path("title").asText(""),
                        Outcome.valueOf(r.path("outcome").asText("")), r.path("message").asText(""), text(r, "expected"),
                        text(r, "actual"), text(r, "blockedBy"), text(r, "enabledBy"), List.of(), evidence, List.of()));
            } catch (IllegalArgumentException e) {
                problems.add(where + ": cannot be read back (" + e.getMessage() + "): the verdict cannot be re-derived");
            }
        }
        if (problems.size() > before) {
            return null;
        }
        return Verdict.of(read, report.path("strict").asBoolean(false));
    }

    private static String text(JsonNode r, String field) {
        JsonNode n = r.get(field);
        return n == null || n.isNull() ? null : n.asText();
    }
}
