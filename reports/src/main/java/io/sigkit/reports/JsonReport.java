package io.sigkit.reports;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sigkit.catalog.Requirement;
import io.sigkit.catalog.RequirementCatalog;
import io.sigkit.catalog.Tier;
import io.sigkit.check.Measurement;
import io.sigkit.check.Outcome;
import io.sigkit.check.RequirementResult;
import io.sigkit.cleanup.CleanupItem;
import io.sigkit.run.Kit;
import io.sigkit.run.RunResult;
import io.sigkit.run.TargetIdentity;
import io.sigkit.text.SafeJson;
import io.sigkit.transport.TranscriptEntry;
import io.sigkit.waiver.Waiver;
import io.sigkit.waiver.WaiverDecision;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The JSON report ({@code report.json}), in the format of {@code report.v1.schema.json}
 * ({@link io.sigkit.schemas.SchemaId#REPORT_V1}).
 *
 * <p>Durations are numbers of milliseconds (with fractions) in fields named {@code millis…}; instants are ISO-8601
 * strings in UTC; a value the kit could not learn (a host key fingerprint when the handshake failed, an exit status
 * that never arrived) is {@code null}, never an empty string. The field names {@code verdict}, {@code results[].id},
 * {@code results[].level}, {@code results[].outcome}, {@code results[].message}, {@code transcript[].session},
 * {@code transcript[].command}, {@code transcript[].exitStatus}, {@code transcript[].millisToExit} and
 * {@code transcript[].millisToClose} are a contract that tooling reads.
 */
public final class JsonReport {

    /** The {@code reportVersion} this class writes. */
    public static final int REPORT_VERSION = 1;

    // C1 and bidi controls written as \\u escapes too: the text is the payload's, the bytes are safe to cat
    private static final JsonMapper MAPPER = JsonMapper.builder(SafeJson.factory())
            .enable(SerializationFeature.INDENT_OUTPUT).build();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private JsonReport() {
    }

    /** The report as pretty-printed JSON text, ending with a newline. */
    public static String toJson(RunResult result) {
        return toJson(result, null);
    }

    /**
     * The report as pretty-printed JSON text, naming who signs its directory.
     *
     * @param signature the evidence signature to record, or {@code null} when the reports are not signed
     */
    public static String toJson(RunResult result, EvidenceSignature signature) {
        try {
            return MAPPER.writeValueAsString(toNode(result, signature)) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise the JSON report: " + e.getOriginalMessage(), e);
        }
    }

    /**
     * Writes the report to {@code file}, creating its directory.
     *
     * @throws UncheckedIOException naming the file when it cannot be written
     */
    public static void write(RunResult result, Path file) {
        write(result, file, null);
    }

    /**
     * Writes the report to {@code file}, recording who signs its directory ({@code null}: not signed).
     *
     * @throws UncheckedIOException naming the file when it cannot be written
     */
    public static void write(RunResult result, Path file, EvidenceSignature signature) {
        ReportFiles.writeText(file, "JSON report", toJson(result, signature));
    }

    /** The report as a tree. */
    public static ObjectNode toNode(RunResult result) {
        return toNode(result, null);
    }

    /** The report as a tree, recording who signs its directory ({@code null}: not signed). */
    public static ObjectNode toNode(RunResult result, EvidenceSignature signature) {
        Objects.requireNonNull(result, "result");
        ObjectNode root = NODES.objectNode();
        root.put("reportVersion", REPORT_VERSION);
        root.put("kitVersion", result.kitVersion());
        root.set("kit", kit(result.kitVersion()));
        root.set("signature", signature(signature));
        root.put("catalogVersion", result.catalogVersion());
        root.put("specVersion", result.specVersion());
        root.set("target", target(result.target()));
        ArrayNode tiers = root.putArray("tiers");
        result.tiers().stream().sorted().map(Tier::jsonName).forEach(tiers::add);
        root.put("hostKeyPolicy", result.hostKeyPolicy() == null ? "unknown" : result.hostKeyPolicy().name());
        root.put("hostKeyNewlyTrusted", result.hostKeyNewlyTrusted());
        root.put("strict", result.strict());
        root.put("startedAt", iso(result.startedAt()));
        root.put("endedAt", iso(result.endedAt()));
        if (result.startedAt() != null && result.endedAt() != null) {
            root.put("durationMillis", ReportText.millis(result.duration()));
        } else {
            root.putNull("durationMillis");
        }
        root.put("verdict", result.verdict().name());
        root.set("counts", counts(result));
        root.put("sessionsOpened", result.sessionsOpened());
        root.put("execRequests", result.execRequests());
        root.set("settings", value(new TreeMap<>(result.settings())));
        ArrayNode results = root.putArray("results");
        RequirementCatalog catalog = RequirementCatalog.load();
        for (RequirementResult r : result.results()) {
            ObjectNode n = result(r, catalog.find(r.id()));
            if (r.outcome() == Outcome.WAIVED) {
                result.waiverOf(r.id()).ifPresent(w -> n.set("waiver", waiver(w)));
            }
            results.add(n);
        }
        ArrayNode waivers = root.putArray("waivers");
        for (WaiverDecision d : result.waivers()) {
            ObjectNode n = waivers.addObject();
            n.put("id", d.waiver().id());
            n.put("reason", d.waiver().reason());
            n.put("approvedBy", d.waiver().approvedBy());
            n.put("expires", d.waiver().expires().toString());
            n.put("payloadExecSha256", d.waiver().payloadExecSha256());
            n.put("status", d.status().name());
            n.put("note", d.note());
        }
        ArrayNode transcript = root.putArray("transcript");
        for (TranscriptEntry e : result.transcript()) {
            transcript.add(transcriptEntry(e));
        }
        ObjectNode cleanup = root.putObject("cleanup");
        cleanup.put("complete", result.cleanupComplete());
        ArrayNode items = cleanup.putArray("items");
        for (CleanupItem item : result.cleanup()) {
            items.add(cleanupItem(item));
        }
        return root;
    }

    /** The kit's provenance: the run's version, and the build's commit, dirty flag and jar hash. */
    private static ObjectNode kit(String version) {
        Kit.Provenance p = Kit.provenance();
        ObjectNode n = NODES.objectNode();
        n.put("version", version);
        n.put("commit", p.commit());
        if (p.dirty() == null) {
            n.putNull("dirty");
        } else {
            n.put("dirty", p.dirty());
        }
        n.put("jar", p.jar() == null ? null : p.jar().name());
        n.put("jarSha256", p.jar() == null ? null : p.jar().sha256());
        return n;
    }

    private static JsonNode signature(EvidenceSignature s) {
        if (s == null) {
            return NODES.nullNode();
        }
        ObjectNode n = NODES.objectNode();
        n.put("namespace", s.namespace());
        n.put("signerKeyType", s.keyType());
        n.put("signerFingerprint", s.fingerprint());
        n.put("sums", s.sumsFile());
        n.put("file", s.signatureFile());
        return n;
    }

    private static ObjectNode target(TargetIdentity t) {
        ObjectNode n = NODES.objectNode();
        n.put("address", t.address());
        putOrNull(n, "serverVersion", t.serverVersion());
        putOrNull(n, "hostKeyType", t.hostKeyType());
        putOrNull(n, "hostKeyFingerprint", t.hostKeyFingerprint());
        n.put("user", t.user());
        putOrNull(n, "loginShell", t.loginShell());
        putOrNull(n, "os", t.os());
        putOrNull(n, "payloadExecSha256", t.payloadExecSha256().toLowerCase(Locale.ROOT));
        return n;
    }

    private static ObjectNode counts(RunResult result) {
        ObjectNode n = NODES.objectNode();
        for (Outcome o : Outcome.values()) {
            n.put(o.name(), result.count(o));
        }
        n.put("total", result.results().size());
        n.put("countedFailures", result.results().stream().filter(r -> r.isFailure(result.strict())).count());
        return n;
    }

    private static ObjectNode result(RequirementResult r, Optional<Requirement> requirement) {
        ObjectNode n = NODES.objectNode();
        n.put("id", r.id());
        n.put("level", r.level().name());
        n.put("title", r.title());
        requirement.ifPresent(req -> {
            n.put("section", req.section());
            ArrayNode tags = n.putArray("tags");
            req.tags().forEach(tags::add);
        });
        n.put("outcome", r.outcome().name());
        n.put("message", r.message());
        n.put("expected", r.expected());
        n.put("actual", r.actual());
        n.put("blockedBy", r.blockedBy());
        n.put("enabledBy", r.enabledBy());
        ArrayNode warnings = n.putArray("warnings");
        r.warnings().forEach(warnings::add);
        n.set("evidence", value(r.evidence()));
        ArrayNode timings = n.putArray("timings");
        for (Measurement m : r.timings()) {
            ObjectNode t = timings.addObject();
            t.put("name", m.name());
            t.put("millis", m.millis());
            t.put("where", m.where());
        }
        return n;
    }

    /** The waiver of a WAIVED result: only a FAIL is ever waived. */
    private static ObjectNode waiver(Waiver w) {
        ObjectNode n = NODES.objectNode();
        n.put("originalOutcome", Outcome.FAIL.name());
        n.put("reason", w.reason());
        n.put("approvedBy", w.approvedBy());
        n.put("expires", w.expires().toString());
        n.put("payloadExecSha256", w.payloadExecSha256());
        return n;
    }

    private static ObjectNode transcriptEntry(TranscriptEntry e) {
        ObjectNode n = NODES.objectNode();
        n.put("session", e.session());
        n.put("command", e.command());
        n.put("purpose", e.purpose());
        n.put("startedAt", iso(e.startedAt()));
        n.put("exitStatus", e.exitStatus());
        n.put("millisToExit", ReportText.millis(e.toExit()));
        n.put("millisToClose", ReportText.millis(e.toClose()));
        n.put("timedOut", e.timedOut());
        return n;
    }

    private static ObjectNode cleanupItem(CleanupItem item) {
        ObjectNode n = NODES.objectNode();
        n.put("path", item.target());
        n.put("kind", item.kind().name().toLowerCase(Locale.ROOT).replace('_', '-'));
        n.put("origin", item.origin());
        n.put("removed", item.removed());
        n.put("note", item.note());
        return n;
    }

    /** An evidence or settings value as JSON: durations in milliseconds, instants ISO-8601, the rest by type. */
    static JsonNode value(Object value) {
        if (value == null) {
            return NODES.nullNode();
        }
        if (value instanceof String s) {
            return NODES.textNode(s);
        }
        if (value instanceof Boolean b) {
            return NODES.booleanNode(b);
        }
        if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
            return NODES.numberNode(((Number) value).longValue());
        }
        if (value instanceof BigInteger i) {
            return NODES.numberNode(i);
        }
        if (value instanceof BigDecimal d) {
            return NODES.numberNode(d);
        }
        if (value instanceof Number n) {
            double d = n.doubleValue();
            return Double.isFinite(d) ? NODES.numberNode(d) : NODES.textNode(String.valueOf(d));
        }
        if (value instanceof Duration d) {
            return NODES.numberNode(d.toNanos() / 1_000_000.0);
        }
        if (value instanceof Instant t) {
            return NODES.textNode(t.toString());
        }
        if (value instanceof Enum<?> e) {
            return NODES.textNode(e.name());
        }
        if (value instanceof Optional<?> o) {
            return value(o.orElse(null));
        }
        if (value instanceof Map<?, ?> map) {
            ObjectNode n = NODES.objectNode();
            map.forEach((k, v) -> n.set(String.valueOf(k), value(v)));
            return n;
        }
        if (value instanceof Collection<?> c) {
            ArrayNode a = NODES.arrayNode();
            c.forEach(v -> a.add(value(v)));
            return a;
        }
        if (value instanceof Object[] array) {
            ArrayNode a = NODES.arrayNode();
            for (Object v : array) {
                a.add(value(v));
            }
            return a;
        }
        return NODES.textNode(String.valueOf(value));
    }

    private static String iso(Instant t) {
        return t == null ? null : t.toString();
    }

    private static void putOrNull(ObjectNode n, String field, String value) {
        if (value == null || value.isEmpty()) {
            n.putNull(field);
        } else {
            n.put(field, value);
        }
    }
}
