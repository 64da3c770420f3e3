package io.sigkit.schemas;

import java.util.Objects;

/**
 * One reason a JSON document does not satisfy a schema, or could not be read.
 *
 * @param source  the document's name (a file path, or a name the caller chose)
 * @param pointer JSON pointer of the offending value ({@code ""} for the root); for a missing required property,
 *                the object that lacks it; for a property that is not allowed, that property
 * @param keyword the schema keyword that failed ({@code required}, {@code pattern}, ...), or {@code syntax} for
 *                malformed JSON, or {@code io} when the document could not be read
 * @param message what is wrong, in words
 * @param line    1-based line in the source text, or -1 when unknown
 * @param column  1-based column in the source text, or -1 when unknown
 */
public record ValidationError(String source, String pointer, String keyword, String message, int line, int column) {

    /** Keyword of an error raised because the text is not well-formed JSON. */
    public static final String SYNTAX = "syntax";

    /** Keyword of an error raised because the document could not be read at all. */
    public static final String IO = "io";

    public ValidationError {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(pointer, "pointer");
        Objects.requireNonNull(keyword, "keyword");
        Objects.requireNonNull(message, "message");
        if (line < -1 || line == 0 || column < -1 || column == 0) {
            throw new IllegalArgumentException("line and column are 1-based or -1 (unknown), got " + line + ":" + column);
        }
    }

    /** Whether the error carries a line (and column) in the source text. */
    public boolean hasLocation() {
        return line > 0;
    }

    /** Reads {@code window.json:3:5 /signal_parameters: required property 'x' not found (required)}. */
    @Override
    public String toString() {
        StringBuilder text = new StringBuilder(source);
        if (line > 0) {
            text.append(':').append(line);
            if (column > 0) {
                text.append(':').append(column);
            }
        }
        text.append(' ').append(pointer.isEmpty() ? "(root)" : pointer).append(": ").append(message);
        text.append(" (").append(keyword).append(')');
        return text.toString();
    }
}
