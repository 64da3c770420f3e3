package io.sigkit.reports;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sigkit.schemas.SchemaId;
import io.sigkit.schemas.SchemaValidator;
import io.sigkit.schemas.ValidationError;
import io.sigkit.schemas.ValidationReport;
import io.sigkit.text.SafeJson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What changed between two certification reports ({@code report.json}, e.g. two payload_exec builds, or the bench
 * and the flight model): requirements whose outcome changed, timings that moved beyond their noise, and the
 * identity and versions of the target and the kit.
 *
 * <p>A requirement <em>regressed</em> when it was PASS and is now FAIL, ERROR or WAIVED (a waived failure is still
 * a failure of the payload; the waiver only accepts it). A timing <em>moved</em> when the median of its samples (the
 * samples of one requirement with one name, run numbers {@code #1, #2, …} taken as one series) at least doubled
 * and grew by at least {@value #TIMING_FLOOR_MILLIS} ms, or at least halved and shrank by at least that much: the
 * kit's timings vary from run to run by tens of milliseconds on a quiet payload, so smaller moves are noise.
 */
public final class ReportDiff {

    /** A median must change by at least this factor to count as moved. */
    public static final double TIMING_FACTOR = 2.0;
    /** ... and by at least this many milliseconds. */
    public static final long TIMING_FLOOR_MILLIS = 100;

    /** Larger files are refused rather than read into memory. */
    static final long MAX_REPORT_BYTES = 64L * 1024 * 1024;

    private static final JsonMapper READER = JsonMapper.builder().build();
    private static final JsonMapper WRITER = JsonMapper.builder(SafeJson.factory())
            .enable(SerializationFeature.INDENT_OUTPUT).build();

    /** One requirement whose outcome differs; an outcome is {@code ABSENT} when that report has no result for it. */
    public record OutcomeChange(String id, String level, String oldOutcome, String newOutcome, String newMessage) {
        /** PASS before, and FAIL, ERROR or WAIVED now. */
        public boolean regressed() {
            return oldOutcome.equals("PASS") && Set.of("FAIL", "ERROR", "WAIVED").contains(newOutcome);
        }

        /** FAIL, ERROR or WAIVED before, and PASS now. */
        public boolean improved() {
            return newOutcome.equals("PASS") && Set.of("FAIL", "ERROR", "WAIVED").contains(oldOutcome);
        }
    }

    /** One timing series whose median moved beyond the noise rule. */
    public record TimingChange(String id, String name, String where, double oldMedianMillis, double newMedianMillis,
                               int oldSamples, int newSamples) {
        public boolean slower() {
            return newMedianMillis > oldMedianMillis;
        }
    }

    /** One identity or version field that differs ({@code null} when a report does not have it). */
    public record FieldChange(String field, String oldValue, String newValue) {
    }

    private final String oldName;
    private final String newName;
    private final String oldVerdict;
    private final String newVerdict;
    private final List<OutcomeChange> outcomes;
    private final List<TimingChange> timings;
    private final List<FieldChange> fields;
    private final int unchanged;

    private ReportDiff(String oldName, String newName, String oldVerdict, String newVerdict,
                       List<OutcomeChange> outcomes, List<TimingChange> timings, List<FieldChange> fields, int unchanged) {
        this.oldName = oldName;
        this.newName = newName;
        this.oldVerdict = oldVerdict;
        this.newVerdict = newVerdict;
        this.outcomes = List.copyOf(outcomes);
        this.timings = List.copyOf(timings);
        this.fields = List.copyOf(fields);
        this.unchanged = unchanged;
    }

    /** A report that cannot be read or is not a sigkit report; the message is one line naming the file. */
    public static final class InputException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        InputException(String message) {
            super(message);
        }
    }

    /**
     * Reads a report: a {@code report.json} file, or a report directory holding one; checked against
     * {@code report.v1.schema.json}.
     *
     * @throws InputException with one line naming the file and what is wrong
     */
    public static JsonNode read(Path path) {
        Objects.requireNonNull(path, "path");
        Path file = Files.isDirectory(path) ? path.resolve("report.json") : path;
        if (!Files.exists(file)) {
            throw new InputException(Files.isDirectory(path) ? "report directory " + path + " has no report.json"
                    : "cannot read report " + path + ": no such file or directory");
        }
        try {
            if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
                throw new InputException("cannot read report " + file + ": not a readable file");
            }
            if (Files.size(file) > MAX_REPORT_BYTES) {
                throw new InputException("report " + file + " is larger than " + MAX_REPORT_BYTES / (1024 * 1024)
                        + " MiB: not a sigkit report.json");
            }
        } catch (IOException e) {
            throw new InputException("cannot read report " + file + ": " + e.getMessage());
        }
        ValidationReport check = SchemaValidator.of(SchemaId.REPORT_V1).validate(file);
        if (!check.valid()) {
            ValidationError first = check.errors().get(0);
            String why = first.keyword().equals(ValidationError.SYNTAX) || first.keyword().equals(ValidationError.IO)
                    ? first.toString() : first + " (not a sigkit report.json, version 1)";
            throw new InputException(ReportText.oneLine(why));
        }
        try {
            return READER.readTree(file.toFile());
        } catch (IOException e) {
            throw new InputException("cannot read report " + file + ": " + e.getMessage());
        }
    }

    /** Compares two reports read by {@link #read}; the names are how the output refers to them. */
    public static ReportDiff compare(JsonNode old, String oldName, JsonNode neu, String newName) {
        Map<String, JsonNode> before = byId(old);
        Map<String, JsonNode> after = byId(neu);
        Set<String> ids = new LinkedHashSet<>(after.keySet());
        ids.addAll(before.keySet());
        List<OutcomeChange> outcomes = new ArrayList<>();
        List<TimingChange> timings = new ArrayList<>();
        int unchanged = 0;
        for (String id : ids) {
            JsonNode o = before.get(id);
            JsonNode n = after.get(id);
            String oldOutcome = o == null ? "ABSENT" : o.path("outcome").asText();
            String newOutcome = n == null ? "ABSENT" : n.path("outcome").asText();
            if (oldOutcome.equals(newOutcome)) {
                unchanged++;
            } else {
                JsonNode either = n == null ? o : n;
                outcomes.add(new OutcomeChange(id, either.path("level").asText(), oldOutcome, newOutcome,
                        n == null ? "" : n.path("message").asText()));
            }
            if (o != null && n != null) {
                timings.addAll(timings(id, o, n));
            }
        }
        List<FieldChange> fields = new ArrayList<>();
        field(fields, "payload_exec SHA-256", old.at("/target/payloadExecSha256"), neu.at("/target/payloadExecSha256"));
        field(fields, "kit version", old.path("kitVersion"), neu.path("kitVersion"));
        kitFields(fields, old.path("kit"), neu.path("kit"));
        field(fields, "catalog version", old.path("catalogVersion"), neu.path("catalogVersion"));
        field(fields, "spec version", old.path("specVersion"), neu.path("specVersion"));
        field(fields, "target address", old.at("/target/address"), neu.at("/target/address"));
        field(fields, "target host key", old.at("/target/hostKeyFingerprint"), neu.at("/target/hostKeyFingerprint"));
        field(fields, "target SSH server", old.at("/target/serverVersion"), neu.at("/target/serverVersion"));
        field(fields, "target user", old.at("/target/user"), neu.at("/target/user"));
        field(fields, "target login shell", old.at("/target/loginShell"), neu.at("/target/loginShell"));
        field(fields, "target OS", old.at("/target/os"), neu.at("/target/os"));
        field(fields, "tiers", old.path("tiers"), neu.path("tiers"));
        field(fields, "strict", old.path("strict"), neu.path("strict"));
        return new ReportDiff(oldName, newName, old.path("verdict").asText(), neu.path("verdict").asText(), outcomes,
                timings, fields, unchanged);
    }

    private static Map<String, JsonNode> byId(JsonNode report) {
        Map<String, JsonNode> map = new LinkedHashMap<>();
        for (JsonNode r : report.path("results")) {
            map.putIfAbsent(r.path("id").asText(), r);
        }
        return map;
    }

    /** Provenance fields a later report version may carry in a {@code kit} object (version, commit, jar hash). */
    private static void kitFields(List<FieldChange> fields, JsonNode old, JsonNode neu) {
        Set<String> names = new LinkedHashSet<>();
        old.fieldNames().forEachRemaining(names::add);
        neu.fieldNames().forEachRemaining(names::add);
        for (String name : names) {
            JsonNode o = old.path(name);
            JsonNode n = neu.path(name);
            if (!o.isContainerNode() && !n.isContainerNode()) {
                field(fields, "kit " + name, o, n);
            }
        }
    }

    private static void field(List<FieldChange> fields, String name, JsonNode old, JsonNode neu) {
        String o = text(old);
        String n = text(neu);
        if (!Objects.equals(o, n)) {
            fields.add(new FieldChange(name, o, n));
        }
    }

    private static String text(JsonNode node) {
        if (node == null || node.isMissingNode() || node.isNull()) {
            return null;
        }
        return node.isValueNode() ? node.asText() : node.toString();
    }

    private static List<TimingChange> timings(String id, JsonNode old, JsonNode neu) {
        Map<String, List<Double>> before = series(old);
        Map<String, List<Double>> after = series(neu);
        List<TimingChange> changes = new ArrayList<>();
        for (Map.Entry<String, List<Double>> e : after.entrySet()) {
            List<Double> o = before.get(e.getKey());
            if (o == null || o.isEmpty() || e.getValue().isEmpty()) {
                continue;
            }
            double m0 = median(o);
            double m1 = median(e.getValue());
            if (moved(m0, m1)) {
                int cut = e.getKey().lastIndexOf(" (");
                changes.add(new TimingChange(id, e.getKey().substring(0, cut),
                        e.getKey().substring(cut + 2, e.getKey().length() - 1), m0, m1, o.size(), e.getValue().size()));
            }
        }
        return changes;
    }

    /** Whether a median moved beyond the noise: at least doubled or halved, and by at least the floor. */
    static boolean moved(double oldMillis, double newMillis) {
        double lo = Math.min(oldMillis, newMillis);
        double hi = Math.max(oldMillis, newMillis);
        return hi - lo >= TIMING_FLOOR_MILLIS && hi >= lo * TIMING_FACTOR;
    }

    /** Timing samples by series: the name with run numbers as {@code #N}, and where it was measured. */
    private static Map<String, List<Double>> series(JsonNode result) {
        Map<String, List<Double>> map = new LinkedHashMap<>();
        for (JsonNode t : result.path("timings")) {
            String name = t.path("name").asText().replaceAll("#[0-9]+", "#N");
            String where = t.path("where").asText("kit");
            map.computeIfAbsent(name + " (" + where + ")", k -> new ArrayList<>()).add(t.path("millis").asDouble());
        }
        return map;
    }

    static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    /** Whether any requirement regressed (PASS before, FAIL, ERROR or WAIVED now). */
    public boolean regressed() {
        return outcomes.stream().anyMatch(OutcomeChange::regressed);
    }

    /** The requirements that regressed, in catalog order. */
    public List<OutcomeChange> regressions() {
        return outcomes.stream().filter(OutcomeChange::regressed).toList();
    }

    public List<OutcomeChange> outcomes() {
        return outcomes;
    }

    public List<TimingChange> timings() {
        return timings;
    }

    public List<FieldChange> fields() {
        return fields;
    }

    /** The comparison as JSON, for tools. */
    public String toJson() {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        root.put("old", oldName);
        root.put("new", newName);
        ObjectNode verdict = root.putObject("verdict");
        verdict.put("old", oldVerdict);
        verdict.put("new", newVerdict);
        root.put("regressed", regressed());
        ArrayNode changed = root.putArray("outcomes");
        for (OutcomeChange c : outcomes) {
            ObjectNode n = changed.addObject();
            n.put("id", c.id());
            n.put("level", c.level());
            n.put("old", c.oldOutcome());
            n.put("new", c.newOutcome());
            n.put("change", c.regressed() ? "regressed" : c.improved() ? "improved" : "changed");
            n.put("message", c.newMessage());
        }
        ArrayNode moved = root.putArray("timings");
        for (TimingChange t : timings) {
            ObjectNode n = moved.addObject();
            n.put("id", t.id());
            n.put("name", t.name());
            n.put("where", t.where());
            n.put("oldMedianMillis", t.oldMedianMillis());
            n.put("newMedianMillis", t.newMedianMillis());
            n.put("oldSamples", t.oldSamples());
            n.put("newSamples", t.newSamples());
            n.put("change", t.slower() ? "slower" : "faster");
        }
        ArrayNode identity = root.putArray("fields");
        for (FieldChange f : fields) {
            ObjectNode n = identity.addObject();
            n.put("field", f.field());
            n.put("old", f.oldValue());
            n.put("new", f.newValue());
        }
        root.put("unchangedOutcomes", unchanged);
        root.put("timingRule", "median at least x" + TIMING_FACTOR + " or /" + TIMING_FACTOR + ", and at least "
                + TIMING_FLOOR_MILLIS + " ms apart");
        try {
            return WRITER.writeValueAsString(root) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise the comparison: " + e.getOriginalMessage(), e);
        }
    }

    /** The comparison as text for a terminal: what the reports said is shown with control characters escaped. */
    public String toText() {
        StringBuilder b = new StringBuilder();
        b.append("Comparing ").append(ReportText.oneLine(oldName)).append(" (old) with ")
                .append(ReportText.oneLine(newName)).append(" (new)\n");
        b.append("Verdict: ").append(oldVerdict).append(oldVerdict.equals(newVerdict) ? " (unchanged)" : " -> " + newVerdict)
                .append('\n');
        List<OutcomeChange> regressed = regressions();
        List<OutcomeChange> improved = outcomes.stream().filter(OutcomeChange::improved).toList();
        List<OutcomeChange> other = outcomes.stream().filter(c -> !c.regressed() && !c.improved()).toList();
        section(b, "Regressed", regressed, true);
        section(b, "Improved", improved, false);
        section(b, "Changed", other, false);
        b.append("Outcome unchanged: ").append(unchanged).append(" requirement").append(unchanged == 1 ? "" : "s")
                .append('\n');
        if (timings.isEmpty()) {
            b.append("Timings: none moved beyond the noise (median x").append(fmt(TIMING_FACTOR)).append(" and ")
                    .append(TIMING_FLOOR_MILLIS).append(" ms)\n");
        } else {
            b.append("Timings moved beyond the noise (").append(timings.size()).append("; median x")
                    .append(fmt(TIMING_FACTOR)).append(" and ").append(TIMING_FLOOR_MILLIS).append(" ms):\n");
            for (TimingChange t : timings) {
                b.append("  ").append(t.slower() ? "slower " : "faster ").append(t.id()).append(' ')
                        .append(ReportText.oneLine(t.name())).append(" (").append(ReportText.oneLine(t.where()))
                        .append("): median ").append(ms(t.oldMedianMillis())).append(" -> ").append(ms(t.newMedianMillis()))
                        .append(" (").append(t.oldSamples()).append(" -> ").append(t.newSamples()).append(" samples)\n");
            }
        }
        if (fields.isEmpty()) {
            b.append("Identity and versions: unchanged\n");
        } else {
            b.append("Identity and versions:\n");
            for (FieldChange f : fields) {
                b.append("  ").append(f.field()).append(": ").append(show(f.oldValue())).append(" -> ")
                        .append(show(f.newValue())).append('\n');
            }
        }
        b.append(regressed.isEmpty() ? "No requirement regressed.\n" : regressed.size() + " requirement"
                + (regressed.size() == 1 ? "" : "s") + " regressed: " + String.join(", ",
                regressed.stream().map(OutcomeChange::id).toList()) + "\n");
        return b.toString();
    }

    private static void section(StringBuilder b, String title, List<OutcomeChange> changes, boolean messages) {
        if (changes.isEmpty()) {
            return;
        }
        b.append(title).append(" (").append(changes.size()).append("):\n");
        for (OutcomeChange c : changes) {
            b.append("  ").append(c.id()).append(" [").append(c.level()).append("] ").append(c.oldOutcome())
                    .append(" -> ").append(c.newOutcome());
            if (messages && !c.newMessage().isEmpty()) {
                String m = ReportText.oneLine(c.newMessage());
                b.append(": ").append(m.length() > 300 ? m.substring(0, 300) + " …" : m);
            }
            b.append('\n');
        }
    }

    private static String show(String value) {
        return value == null ? "(none)" : ReportText.oneLine(value);
    }

    private static String ms(double millis) {
        return ReportText.duration(Duration.ofNanos(Math.round(millis * 1_000_000)));
    }

    private static String fmt(double d) {
        return d == Math.rint(d) ? String.valueOf((long) d) : String.valueOf(d);
    }

    @Override
    public String toString() {
        return "ReportDiff[" + oldName + " -> " + newName + ", " + outcomes.size() + " outcome change(s), "
                + timings.size() + " timing(s) moved, " + fields.size() + " field(s) changed]";
    }
}
