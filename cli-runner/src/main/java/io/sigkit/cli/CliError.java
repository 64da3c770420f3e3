package io.sigkit.cli;

import java.util.Objects;

/**
 * A failure the user can fix (a file that cannot be read, an invalid configuration, a target that cannot be logged
 * in to): printed as one line naming the input, never with a stack trace, and ended with its exit code. The message
 * is made one line with its control characters escaped ({@link ExitCodes#oneLine}): it may quote a file's content or
 * what the payload said.
 */
final class CliError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int exitCode;

    CliError(int exitCode, String message) {
        super(ExitCodes.oneLine(Objects.requireNonNull(message, "message")));
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
