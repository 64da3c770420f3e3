package io.sigkit.junit;

import io.sigkit.transport.ShellQuote;
import io.sigkit.probe.RemoteProcess;
import io.sigkit.text.SafeText;
import io.sigkit.transport.ExecResult;
import io.sigkit.transport.PayloadConnection;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.assertj.core.api.AbstractAssert;

/**
 * Assertions on the payload behind a connection, checked there as the connection's (signaling) user. Obtain with
 * {@link SigkitAssertions#assertThat(PayloadConnection)}.
 */
public final class PayloadConnectionAssert extends AbstractAssert<PayloadConnectionAssert, PayloadConnection> {

    private static final Duration CHECK_TIMEOUT = Duration.ofSeconds(30);

    PayloadConnectionAssert(PayloadConnection actual) {
        super(actual, PayloadConnectionAssert.class);
    }

    /**
     * Verifies that {@code path} (after symbolic links) is a regular file the signaling user can execute, e.g.
     * {@code /usr/bin/payload_exec}.
     *
     * @param path the absolute path on the payload
     * @return this assertion
     */
    public PayloadConnectionAssert hasExecutable(String path) {
        String q = ShellQuote.quote(path);
        checkOrDescribe("[ -f " + q + " ] && [ -x " + q + " ]", path,
                "%nExpecting payload %s to have a file%n  %s%nthat %s can execute%nbut it %s");
        return this;
    }

    /**
     * Verifies that {@code path} is a directory the signaling user can write, e.g. {@code /signaling/window_configs}.
     *
     * @param path the absolute path on the payload
     * @return this assertion
     */
    public PayloadConnectionAssert hasWritableDirectory(String path) {
        String q = ShellQuote.quote(path);
        checkOrDescribe("[ -d " + q + " ] && [ -w " + q + " ]", path,
                "%nExpecting payload %s to have a directory%n  %s%nthat %s can write%nbut it %s");
        return this;
    }

    /**
     * Verifies that {@code path} (after symbolic links) is a regular file the signaling user can see.
     *
     * @param path the absolute path on the payload
     * @return this assertion
     */
    public PayloadConnectionAssert hasFile(String path) {
        String q = ShellQuote.quote(path);
        checkOrDescribe("[ -f " + q + " ]", path, "%nExpecting payload %s to have a regular file%n  %s%n(looking as %s)"
                + "%nbut it %s");
        return this;
    }

    /**
     * Verifies that nothing exists at {@code path}, e.g. that an uplinked file was consumed.
     *
     * @param path the absolute path on the payload
     * @return this assertion
     */
    public PayloadConnectionAssert hasNoFile(String path) {
        isNotNull();
        if (actual.files().exists(path)) {
            failWithMessage("%nExpecting payload %s to have nothing at%n  %s%nbut it %s", target(), path,
                    describe(path));
        }
        return this;
    }

    /**
     * Verifies that no payload_exec process of window {@code windowId} runs (e.g. after the window end).
     *
     * @param windowId the window
     * @return this assertion
     */
    public PayloadConnectionAssert hasNoProcessFor(long windowId) {
        isNotNull();
        List<RemoteProcess> running = PayloadAwait.payloadExecProcesses(actual, windowId, CHECK_TIMEOUT);
        if (!running.isEmpty()) {
            failWithMessage("%nExpecting payload %s to run no payload_exec for window %s%nbut these run:%n  %s", target(),
                    Long.toUnsignedString(windowId), String.join(String.format("%n  "),
                            running.stream().map(p -> p.pid() + " " + SafeText.escapeLine(p.commandLine())).toList()));
        }
        return this;
    }

    private void checkOrDescribe(String test, String path, String message) {
        isNotNull();
        ExecResult r = actual.exec(test, CHECK_TIMEOUT);
        if (r.timedOut() || r.exitStatus() == null) {
            failWithMessage("%nExpecting payload %s to answer a check of%n  %s%nbut it did not within %s", target(), path,
                    SignalResultAssert.seconds(CHECK_TIMEOUT));
        } else if (r.exitStatus() != 0) {
            failWithMessage(message, target(), path, actual.settings().target().user(), describe(path));
        }
    }

    /** "is -rw-r--r-- root root ..." or "does not exist", from the payload. */
    private String describe(String path) {
        String q = ShellQuote.quote(path);
        ExecResult r = actual.exec("if [ -e " + q + " ] || [ -L " + q + " ]; then ls -ld -- " + q
                + " 2>&1; [ -L " + q + " ] && ! [ -e " + q + " ] && echo '(a symbolic link to nothing)'; else echo"
                + " 'does not exist'; fi", CHECK_TIMEOUT);
        String out = SafeText.escapeLine(r.stdout().strip().replaceAll("\\s*\\n\\s*", " "));
        if (out.isEmpty()) {
            return "could not be described";
        }
        return out.equals("does not exist") ? out : "is " + out;
    }

    private String target() {
        return Objects.toString(actual.settings().target());
    }
}
