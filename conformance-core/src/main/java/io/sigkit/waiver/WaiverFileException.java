package io.sigkit.waiver;

/** A waivers file that cannot be read, is not JSON or YAML, breaks waivers.v1, or names an unknown requirement. */
public final class WaiverFileException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    /** @param message one line naming the file and what is wrong */
    public WaiverFileException(String message) {
        super(message);
    }

    /**
     * @param message one line naming the file and what is wrong
     * @param cause the underlying error
     */
    public WaiverFileException(String message, Throwable cause) {
        super(message, cause);
    }
}
