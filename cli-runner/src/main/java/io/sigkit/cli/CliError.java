package io.sigkit.cli;

import java.util.Objects;

/**
 * A failure the user can fix (a file that cannot be read, an invalid configuration, a target that cannot be logged
 * in to): printed as one line naming the input, never with a stack trace, and ended with its exit code.
 */
final class CliError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int exitCode;

    CliError(int exitCode, String message) {
        super(Objects.requireNonNull(message, "message").replaceAll("\\s*[\\r\\n]+\\s*", "; ").strip());
        this.exitCode = exitCode;
    }

    /** A usage or configuration error: exit code {@value ExitCodes#USAGE}. */
    static CliError usage(String message) {
        return new CliError(ExitCodes.USAGE, message);
    }

    int exitCode() {
        return exitCode;
    }
}
