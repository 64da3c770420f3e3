package io.sigkit.bus;

import io.sigkit.transport.ExecResult;
import java.util.Objects;

/**
 * What happened when the bus issued one signal: the exact command line and the SSH exec's outcome.
 *
 * @param signal {@code configure}, {@code start}, {@code set-clock} or {@code shutdown}
 * @param windowId the window the signal was for, or -1 for signals without a window
 * @param command the exact command line sent over SSH
 * @param exec exit status, output and the two times (to exit status, to channel close)
 */
public record SignalResult(String signal, long windowId, String command, ExecResult exec) {
    public SignalResult {
        Objects.requireNonNull(signal, "signal");
        Objects.requireNonNull(command, "command");
        Objects.requireNonNull(exec, "exec");
    }

    /** Exit status 0, received before any timeout. */
    public boolean succeeded() {
        return !exec.timedOut() && exec.exitStatus() != null && exec.exitStatus() == 0;
    }

    /** Exit status 0 received, even if the channel closed only after the kit stopped waiting (timing aside). */
    public boolean exitedZero() {
        return exec.exitStatus() != null && exec.exitStatus() == 0;
    }

    /** The last lines of stderr, at most {@code maxChars} characters, for messages. */
    public String stderrTail(int maxChars) {
        String err = exec.stderr() == null ? "" : exec.stderr().strip();
        return err.length() <= maxChars ? err : "…" + err.substring(err.length() - maxChars);
    }
}
