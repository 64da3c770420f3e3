package io.sigkit.junit;

import io.sigkit.bus.SignalResult;
import io.sigkit.text.SafeText;
import io.sigkit.transport.ExecResult;
import java.time.Duration;
import java.util.Objects;
import org.assertj.core.api.AbstractAssert;

/**
 * Assertions on what the payload did with one signal of the bus ({@code configure}, {@code start}, ...). Obtain with
 * {@link SigkitAssertions#assertThat(SignalResult)}.
 *
 * <p>"Returned" means the SSH exec completed: its exit status arrived <em>and</em> its channel closed, which is what
 * the bus waits for (a payload_exec that keeps the channel open has not returned, whatever its exit status).
 */
public final class SignalResultAssert extends AbstractAssert<SignalResultAssert, SignalResult> {

    SignalResultAssert(SignalResult actual) {
        super(actual, SignalResultAssert.class);
    }

    /**
     * Verifies that the signal exited with status 0 before the kit stopped waiting.
     *
     * @return this assertion
     */
    public SignalResultAssert succeeded() {
        isNotNull();
        if (!actual.succeeded()) {
            failWithMessage("%nExpecting the %s signal%n  %s%nto succeed (exit status 0)%nbut %s", actual.signal(),
                    actual.command(), outcome(actual.exec()));
        }
        return this;
    }

    /**
     * Verifies that the signal exited with status 0 and returned within {@code budget}, e.g. configure within the
     * spec's 15 s.
     *
     * @param budget the longest the signal may take
     * @return this assertion
     */
    public SignalResultAssert succeededWithin(Duration budget) {
        Objects.requireNonNull(budget, "budget");
        succeeded();
        return returnedWithin(budget);
    }

    /**
     * Verifies the signal's exit status.
     *
     * @param status the expected exit status
     * @return this assertion
     */
    public SignalResultAssert exitedWith(int status) {
        isNotNull();
        ExecResult exec = actual.exec();
        if (exec.exitStatus() == null || exec.exitStatus() != status) {
            failWithMessage("%nExpecting the %s signal%n  %s%nto exit with status %d%nbut %s", actual.signal(),
                    actual.command(), status, outcome(exec));
        }
        return this;
    }

    /**
     * Verifies that the signal's SSH exec completed (exit status and channel close) within {@code budget}, e.g. the
     * start signal returning at once because payload_exec runs in the background.
     *
     * @param budget the longest the signal may take to return
     * @return this assertion
     */
    public SignalResultAssert returnedWithin(Duration budget) {
        Objects.requireNonNull(budget, "budget");
        isNotNull();
        ExecResult exec = actual.exec();
        if (exec.toClose() == null) {
            failWithMessage("%nExpecting the %s signal%n  %s%nto return within %s%nbut it had not returned when the kit"
                    + " stopped waiting%s", actual.signal(), actual.command(), seconds(budget), exitPart(exec));
        } else if (exec.toClose().compareTo(budget) > 0) {
            failWithMessage("%nExpecting the %s signal%n  %s%nto return within %s%nbut it returned after %s%s",
                    actual.signal(), actual.command(), seconds(budget), seconds(exec.toClose()), exitPart(exec));
        }
        return this;
    }

    private static String outcome(ExecResult exec) {
        StringBuilder sb = new StringBuilder();
        if (exec.timedOut()) {
            sb.append("it had not returned when the kit stopped waiting");
        } else if (exec.exitStatus() != null) {
            sb.append("it exited with status ").append(exec.exitStatus()).append(" after ")
                    .append(seconds(exec.toClose()));
        } else if (exec.exitSignal() != null) {
            sb.append("it was ended by signal ").append(exec.exitSignal());
        } else {
            sb.append("no exit status arrived");
        }
        String err = exec.stderrTail(500);
        if (!err.isEmpty()) {
            sb.append(String.format("%nstderr: %s", SafeText.escapeText(err)));
        }
        return sb.toString();
    }

    private static String exitPart(ExecResult exec) {
        return exec.toExit() == null ? " (no exit status arrived)"
                : " (its exit status " + exec.exitStatus() + " arrived after " + seconds(exec.toExit()) + ")";
    }

    static String seconds(Duration d) {
        return String.format(java.util.Locale.ROOT, "%.3f s", d.toNanos() / 1e9);
    }
}
