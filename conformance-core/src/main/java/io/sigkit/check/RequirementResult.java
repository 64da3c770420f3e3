package io.sigkit.check;

import io.sigkit.catalog.Level;
import io.sigkit.catalog.Requirement;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The kit's conclusion about one catalog requirement: outcome, a message that says what was expected, what was seen
 * and what to check, the evidence behind it, and its timings.
 *
 * @param id the requirement ID, e.g. {@code SIG-CONF-002}
 * @param level the requirement's level
 * @param title the requirement's title from the catalog
 * @param outcome what the kit concluded
 * @param message one or more sentences, starting with {@code [ID]}
 * @param expected what the requirement expects, for failures (else {@code null})
 * @param actual what the kit saw, for failures (else {@code null})
 * @param blockedBy the prerequisite ID that blocked a {@link Outcome#SKIPPED} result (else {@code null})
 * @param enabledBy the flag or hook that would enable a {@link Outcome#NOT_VERIFIED} result (else {@code null})
 * @param warnings RECOMMENDED-level remarks on an otherwise passing result (e.g. configure above 80 % of its budget)
 * @param evidence ordered, JSON-friendly facts
 * @param timings every timing sample
 */
public record RequirementResult(
        String id,
        Level level,
        String title,
        Outcome outcome,
        String message,
        String expected,
        String actual,
        String blockedBy,
        String enabledBy,
        List<String> warnings,
        Map<String, Object> evidence,
        List<Measurement> timings) {

    public RequirementResult {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(level, "level");
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(message, "message");
        if (outcome == Outcome.SKIPPED && blockedBy == null) {
            throw new IllegalArgumentException(id + ": a SKIPPED result must name the blocking requirement");
        }
        if (outcome == Outcome.NOT_VERIFIED && enabledBy == null) {
            throw new IllegalArgumentException(id + ": a NOT_VERIFIED result must name what would enable it");
        }
        if (outcome == Outcome.PASS && (evidence == null || evidence.isEmpty())) {
            throw new IllegalArgumentException(id + ": a PASS needs evidence");
        }
        warnings = List.copyOf(warnings == null ? List.of() : warnings);
        evidence = Collections.unmodifiableMap(new LinkedHashMap<>(evidence == null ? Map.of() : evidence));
        timings = List.copyOf(timings == null ? List.of() : timings);
    }

    public static Builder of(Requirement requirement) {
        return new Builder(requirement);
    }

    /** True when this result counts against certification (FAIL of a REQUIRED, or of a RECOMMENDED when strict). */
    public boolean isFailure(boolean strict) {
        return outcome == Outcome.FAIL && (level == Level.REQUIRED || (strict && level == Level.RECOMMENDED));
    }

    /** Fluent construction of results; every terminal method validates through the record's constructor. */
    public static final class Builder {
        private final Requirement requirement;
        private final Evidence evidence = Evidence.of();
        private final List<Measurement> timings = new java.util.ArrayList<>();
        private final List<String> warnings = new java.util.ArrayList<>();

        private Builder(Requirement requirement) {
            this.requirement = Objects.requireNonNull(requirement, "requirement");
        }

        public Builder evidence(String key, Object value) {
            evidence.put(key, value);
            return this;
        }

        public Builder evidence(Map<String, Object> values) {
            evidence.putAll(values);
            return this;
        }

        public Builder timing(Measurement measurement) {
            timings.add(measurement);
            return this;
        }

        public Builder timings(List<Measurement> measurements) {
            timings.addAll(measurements);
            return this;
        }

        public Builder warning(String warning) {
            warnings.add(warning);
            return this;
        }

        public RequirementResult pass(String message) {
            return build(Outcome.PASS, message, null, null, null, null);
        }

        public RequirementResult fail(String message, String expected, String actual) {
            return build(Outcome.FAIL, message + hint(), expected, actual, null, null);
        }

        public RequirementResult error(String message) {
            return build(Outcome.ERROR, message, null, null, null, null);
        }

        public RequirementResult skipped(String blockingId, String why) {
            String reason = "blocked by " + blockingId + (why == null || why.isBlank() ? "" : ": " + why);
            return build(Outcome.SKIPPED, reason, null, null, blockingId, null);
        }

        public RequirementResult notVerified(String enabledBy, String why) {
            return build(Outcome.NOT_VERIFIED, why + " (enable with " + enabledBy + ")", null, null, null, enabledBy);
        }

        private String hint() {
            List<String> hints = requirement.hints();
            return hints.isEmpty() ? "" : " If this fails, check: " + String.join("; ", hints);
        }

        private RequirementResult build(Outcome outcome, String message, String expected, String actual,
                                        String blockedBy, String enabledBy) {
            String prefixed = message.startsWith("[" + requirement.id() + "]")
                    ? message : "[" + requirement.id() + "] " + message;
            return new RequirementResult(requirement.id(), requirement.level(), requirement.title(), outcome,
                    prefixed, expected, actual, blockedBy, enabledBy, warnings, evidence.toMap(), timings);
        }
    }
}
