package io.sigkit.check;

import java.util.List;
import java.util.Objects;

/**
 * The check of one catalog requirement: its ID, the requirements whose failure blocks it, and the code that
 * evaluates it.
 */
public record CheckDefinition(String id, List<String> prerequisites, Body body) {

    public CheckDefinition {
        Objects.requireNonNull(id, "id");
        prerequisites = List.copyOf(prerequisites);
        Objects.requireNonNull(body, "body");
    }

    public static CheckDefinition check(String id, Body body, String... prerequisites) {
        return new CheckDefinition(id, List.of(prerequisites), body);
    }

    /** Evaluates a requirement; may throw, in which case the runner reports ERROR with the exception's message. */
    @FunctionalInterface
    public interface Body {
        RequirementResult evaluate(CheckContext context) throws Exception;
    }
}
