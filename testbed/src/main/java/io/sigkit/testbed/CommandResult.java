package io.sigkit.testbed;

import java.util.Objects;

/**
 * What a command run inside a testbed payload left: its exit status and its whole output.
 *
 * @param exitStatus the command's exit status (128 + signal number when a signal ended it)
 * @param stdout     its standard output, decoded as UTF-8
 * @param stderr     its standard error, decoded as UTF-8
 */
public record CommandResult(int exitStatus, String stdout, String stderr) {

    /** Validates the output fields. */
    public CommandResult {
        Objects.requireNonNull(stdout, "stdout");
        Objects.requireNonNull(stderr, "stderr");
        if (exitStatus < 0 || exitStatus > 255) {
            throw new IllegalArgumentException("exit status must be 0..255, was " + exitStatus);
        }
    }

    /** Whether the command exited with status 0. */
    public boolean succeeded() {
        return exitStatus == 0;
    }
}
