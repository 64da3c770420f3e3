package io.sigkit.junit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.sigkit.check.Measurement;
import io.sigkit.check.RequirementResult;
import io.sigkit.cleanup.CleanupItem;
import io.sigkit.run.RunResult;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The report entries sigkit publishes: per requirement its outcome, message, warnings, timings and evidence; per run
 * its verdict, target and cleanup. Keys start with {@code sigkit.}; values are one line, at most {@value #MAX_VALUE}
 * characters.
 */
final class ReportEntries {

    static final int MAX_VALUE = 4000;

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private ReportEntries() {
    }

    /** The entries of one requirement's test: outcome, then timings, then evidence (each a separate entry). */
    static List<Map<String, String>> forRequirement(RequirementResult r) {
        List<Map<String, String>> entries = new ArrayList<>();
        Map<String, String> outcome = new LinkedHashMap<>();
        put(outcome, "sigkit.requirement", r.id());
        put(outcome, "sigkit.level", r.level().name());
        put(outcome, "sigkit.outcome", r.outcome().name());
        put(outcome, "sigkit.message", r.message());
        put(outcome, "sigkit.expected", r.expected());
        put(outcome, "sigkit.actual", r.actual());
        for (int i = 0; i < r.warnings().size(); i++) {
            put(outcome, "sigkit.warning." + (i + 1), r.warnings().get(i));
        }
        entries.add(outcome);
        if (!r.timings().isEmpty()) {
            Map<String, String> timings = new LinkedHashMap<>();
            for (Measurement m : r.timings()) {
                put(timings, "sigkit.timing." + m.name(), String.format(Locale.ROOT, "%.1f ms (%s)", m.millis(), m.where()));
            }
            entries.add(timings);
        }
        if (!r.evidence().isEmpty()) {
            Map<String, String> evidence = new LinkedHashMap<>();
            r.evidence().forEach((k, v) -> put(evidence, "sigkit.evidence." + k, text(v)));
            entries.add(evidence);
        }
        return List.copyOf(entries);
    }

    /** The entry of a whole run: verdict, target, kit and catalog versions, duration, cleanup. */
    static Map<String, String> forRun(RunResult run) {
        Map<String, String> entry = new LinkedHashMap<>();
        put(entry, "sigkit.verdict", run.verdict().name());
        put(entry, "sigkit.target", run.target().user() + "@" + run.target().address());
        put(entry, "sigkit.hostKey", run.target().hostKeyType() + " " + run.target().hostKeyFingerprint());
        put(entry, "sigkit.payloadExecSha256", run.target().payloadExecSha256());
        put(entry, "sigkit.kitVersion", run.kitVersion());
        put(entry, "sigkit.catalogVersion", run.catalogVersion());
        put(entry, "sigkit.strict", Boolean.toString(run.strict()));
        if (!run.waivers().isEmpty()) {
            put(entry, "sigkit.waivers", run.waivers().stream().map(d -> d.waiver().id() + " " + d.status())
                    .collect(java.util.stream.Collectors.joining(", ")));
        }
        put(entry, "sigkit.durationMillis", Long.toString(run.duration().toMillis()));
        long left = run.cleanup().stream().filter(i -> !i.removed()).count();
        put(entry, "sigkit.cleanup", left == 0 ? "complete (" + run.cleanup().size() + " item(s) removed)"
                : left + " of " + run.cleanup().size() + " item(s) not removed: " + run.cleanup().stream()
                .filter(i -> !i.removed()).map(CleanupItem::target).toList());
        return entry;
    }

    private static void put(Map<String, String> entry, String key, String value) {
        if (value == null || value.isBlank()) {
            return;
        }
        String line = value.replaceAll("\\p{Cntrl}+", " ").strip();
        if (line.isEmpty()) {
            return;
        }
        entry.put(key.replaceAll("\\p{Cntrl}+", " ").strip(),
                line.length() <= MAX_VALUE ? line : line.substring(0, MAX_VALUE) + "…");
    }

    private static String text(Object value) {
        if (value instanceof String s) {
            return s;
        }
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            return String.valueOf(value);
        }
    }
}
