package io.sigkit.waiver;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.sigkit.catalog.RequirementCatalog;
import io.sigkit.check.Outcome;
import io.sigkit.check.RequirementResult;
import io.sigkit.schemas.SchemaId;
import io.sigkit.schemas.SchemaValidator;
import io.sigkit.schemas.ValidationError;
import io.sigkit.schemas.ValidationReport;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * The waivers of one run, read from a {@code waivers.v1} file (JSON, or YAML), and the one place that applies them to
 * a run's results: a FAIL of a waived requirement becomes WAIVED when the waiver has not expired and, if it is bound
 * to a payload_exec build, the certified payload_exec has that SHA-256. Every waiver gets a {@link WaiverDecision}
 * saying what became of it, so that reports can show the ones not applied too.
 */
public final class Waivers {

    /** Larger files are refused: a waivers file lists a few agreed deviations. */
    static final long MAX_FILE_BYTES = 1024 * 1024;

    private static final Waivers NONE = new Waivers("", List.of());
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final YAMLMapper YAML = YAMLMapper.builder().build();

    private final String source;
    private final List<Waiver> entries;

    private Waivers(String source, List<Waiver> entries) {
        this.source = source;
        this.entries = List.copyOf(entries);
    }

    /** No waivers: every result stays as the checks made it. */
    public static Waivers none() {
        return NONE;
    }

    /**
     * Waivers given directly (e.g. by tests or a user's own tooling); their IDs are checked against {@code catalog}.
     *
     * @throws WaiverFileException naming {@code source} when an ID is not in the catalog
     */
    public static Waivers of(String source, List<Waiver> entries, RequirementCatalog catalog) {
        Objects.requireNonNull(source, "source");
        for (int i = 0; i < entries.size(); i++) {
            requireKnown(source, i, entries.get(i).id(), catalog);
        }
        return new Waivers(source, entries);
    }

    /**
     * Reads a waivers file: JSON when its name ends in {@code .json}, YAML otherwise; validated against
     * {@code waivers.v1.schema.json}; every ID must be a requirement of {@code catalog}.
     *
     * @throws WaiverFileException with one line naming the file and what is wrong
     */
    public static Waivers load(Path file, RequirementCatalog catalog) {
        Objects.requireNonNull(file, "file");
        String name = file.toString();
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new WaiverFileException("waivers file " + name + " does not exist or is not a readable file");
        }
        byte[] bytes;
        try {
            if (Files.size(file) > MAX_FILE_BYTES) {
                throw new WaiverFileException("waivers file " + name + " is larger than " + MAX_FILE_BYTES / 1024
                        + " KiB: it should list a few waivers");
            }
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new WaiverFileException("waivers file " + name + " cannot be read: " + e.getMessage(), e);
        }
        String text = new String(bytes, StandardCharsets.UTF_8);
        boolean json = name.toLowerCase(Locale.ROOT).endsWith(".json");
        return parse(text, name, json, catalog);
    }

    /**
     * Parses waivers text, as {@link #load} does for a file's content.
     *
     * @param json whether the text is JSON (with line and column in errors) rather than YAML
     * @throws WaiverFileException with one line naming {@code source} and what is wrong
     */
    public static Waivers parse(String text, String source, boolean json, RequirementCatalog catalog) {
        SchemaValidator validator = SchemaValidator.of(SchemaId.WAIVERS_V1);
        JsonNode node;
        ValidationReport report;
        if (json) {
            report = validator.validateText(text, source);
            if (report.valid()) {
                try {
                    node = JSON.readTree(text);
                } catch (JsonProcessingException e) {
                    throw new WaiverFileException("waivers file " + source + " is not JSON: " + e.getOriginalMessage(), e);
                }
            } else {
                node = null;
            }
        } else {
            try {
                node = YAML.readTree(text);
            } catch (JsonProcessingException e) {
                JsonLocation at = e.getLocation();
                throw new WaiverFileException("waivers file " + source + (at != null && at.getLineNr() > 0
                        ? ":" + at.getLineNr() : "") + " is not YAML: " + firstLine(e.getOriginalMessage()), e);
            }
            if (node == null || node.isMissingNode() || node.isNull()) {
                throw new WaiverFileException("waivers file " + source + " is empty: it needs a 'waivers' list");
            }
            report = validator.validate(node, source);
        }
        if (!report.valid()) {
            ValidationError first = report.errors().get(0);
            int more = report.errors().size() - 1;
            throw new WaiverFileException("waivers file " + first + (more > 0 ? " (and " + more + " more error"
                    + (more == 1 ? "" : "s") + ")" : "") + "; see waivers.v1.schema.json");
        }
        List<Waiver> entries = new ArrayList<>();
        JsonNode list = node.get("waivers");
        for (int i = 0; i < list.size(); i++) {
            JsonNode w = list.get(i);
            String id = w.get("id").asText();
            requireKnown(source, i, id, catalog);
            LocalDate expires;
            try {
                expires = LocalDate.parse(w.get("expires").asText());
            } catch (DateTimeParseException e) {
                throw new WaiverFileException("waivers file " + source + " /waivers/" + i + "/expires: '"
                        + w.get("expires").asText() + "' is not a date (YYYY-MM-DD)", e);
            }
            JsonNode sha = w.get("payloadExecSha256");
            entries.add(new Waiver(id, w.get("reason").asText(), w.get("approvedBy").asText(), expires,
                    sha == null || sha.isNull() ? null : sha.asText()));
        }
        return new Waivers(source, entries);
    }

    private static void requireKnown(String source, int index, String id, RequirementCatalog catalog) {
        if (catalog.find(id).isEmpty()) {
            throw new WaiverFileException("waivers file " + source + " /waivers/" + index + "/id: " + id
                    + " is not a requirement of catalog " + catalog.version() + " (see 'sigkit list')");
        }
    }

    private static String firstLine(String s) {
        String line = s == null ? "" : s.strip();
        int nl = line.indexOf('\n');
        return nl < 0 ? line : line.substring(0, nl).strip();
    }

    /** Where the waivers came from (a file name), or empty for {@link #none()}. */
    public String source() {
        return source;
    }

    /** The waivers, in file order. */
    public List<Waiver> entries() {
        return entries;
    }

    public boolean isEmpty() {
        return entries.isEmpty();
    }

    /** The results with the applicable waivers applied, and what became of every waiver. */
    public record Applied(List<RequirementResult> results, List<WaiverDecision> decisions) {
        public Applied {
            results = List.copyOf(results);
            decisions = List.copyOf(decisions);
        }
    }

    /**
     * Applies the waivers to a run's results.
     *
     * @param results every requirement's result, in order
     * @param payloadExecSha256 the certified payload_exec's SHA-256 (hex), or empty when the run could not read it
     * @param today the day (UTC) the run is judged on: a waiver applies through its expiry date
     * @return the results in the same order, each waived FAIL now WAIVED (message, expected, actual, evidence and
     *         timings kept), and one decision per waiver in file order
     */
    public Applied apply(List<RequirementResult> results, String payloadExecSha256, LocalDate today) {
        Objects.requireNonNull(today, "today");
        String certified = payloadExecSha256 == null ? "" : payloadExecSha256.toLowerCase(Locale.ROOT);
        List<RequirementResult> out = new ArrayList<>(results);
        List<WaiverDecision> decisions = new ArrayList<>();
        for (Waiver w : entries) {
            int index = indexOf(out, w.id());
            Optional<RequirementResult> result = index < 0 ? Optional.empty() : Optional.of(out.get(index));
            String stays = result.map(r -> "; " + w.id() + " stays " + r.outcome()).orElse("");
            if (w.expiredOn(today)) {
                decisions.add(new WaiverDecision(w, WaiverDecision.Status.EXPIRED, "expired on " + w.expires()
                        + " (the run is judged on " + today + ", UTC): not applied" + stays));
            } else if (w.boundTo().isPresent() && certified.isEmpty()) {
                decisions.add(new WaiverDecision(w, WaiverDecision.Status.PAYLOAD_EXEC_UNKNOWN, "bound to payload_exec "
                        + w.payloadExecSha256() + ", but this run could not read payload_exec's SHA-256: not applied"
                        + stays));
            } else if (w.boundTo().isPresent() && !w.payloadExecSha256().equals(certified)) {
                decisions.add(new WaiverDecision(w, WaiverDecision.Status.OTHER_PAYLOAD_EXEC, "bound to payload_exec "
                        + w.payloadExecSha256() + ", but the certified payload_exec is " + certified
                        + ": not applied" + stays));
            } else if (result.isEmpty()) {
                decisions.add(new WaiverDecision(w, WaiverDecision.Status.UNUSED, w.id() + " has no result in this run"));
            } else if (result.get().outcome() == Outcome.FAIL) {
                RequirementResult r = result.get();
                out.set(index, new RequirementResult(r.id(), r.level(), r.title(), Outcome.WAIVED, r.message(),
                        r.expected(), r.actual(), r.blockedBy(), r.enabledBy(), r.warnings(), r.evidence(), r.timings()));
                decisions.add(new WaiverDecision(w, WaiverDecision.Status.APPLIED, w.id() + " failed; the waiver"
                        + " accepts it: WAIVED"));
            } else if (result.get().outcome() == Outcome.WAIVED) {
                decisions.add(new WaiverDecision(w, WaiverDecision.Status.UNUSED, w.id()
                        + " is already waived by an earlier entry"));
            } else {
                decisions.add(new WaiverDecision(w, WaiverDecision.Status.UNUSED, w.id() + " is "
                        + result.get().outcome() + ", not FAIL: nothing to waive"
                        + (result.get().outcome() == Outcome.ERROR ? " (a waiver accepts a failure the kit observed,"
                        + " not one it could not evaluate)" : "")));
            }
        }
        return new Applied(out, decisions);
    }

    private static int indexOf(List<RequirementResult> results, String id) {
        for (int i = 0; i < results.size(); i++) {
            if (results.get(i).id().equals(id)) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public String toString() {
        return "Waivers[" + source + ", " + entries.size() + " entries]";
    }
}
