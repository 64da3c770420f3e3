package io.sigkit.schemas;

import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * The outcome of validating one document: no errors means valid.
 *
 * @param source the document's name
 * @param errors every error found, in document order where known
 */
public record ValidationReport(String source, List<ValidationError> errors) {

    public ValidationReport {
        Objects.requireNonNull(source, "source");
        errors = List.copyOf(errors);
    }

    /** Whether the document is valid (no errors). */
    public boolean valid() {
        return errors.isEmpty();
    }

    /** One line per error, or {@code "<source>: valid"}. */
    public String describe() {
        if (errors.isEmpty()) {
            return source + ": valid";
        }
        return errors.stream().map(ValidationError::toString).collect(Collectors.joining(System.lineSeparator()));
    }
}
