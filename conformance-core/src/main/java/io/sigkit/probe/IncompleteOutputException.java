package io.sigkit.probe;

/**
 * The output of one of the kit's scripts cannot be relied on: it timed out, was cut at a cap, or held lines that
 * imitate the kit's own. A check that meets it is ERROR (the kit could not evaluate), never the payload's FAIL.
 */
public final class IncompleteOutputException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public IncompleteOutputException(String message) {
        super(message);
    }
}
