package io.sigkit.cli;

import static io.sigkit.cli.ProgressTests.HOSTILE;
import static io.sigkit.cli.ProgressTests.HOSTILE_SHOWN;
import static io.sigkit.cli.ProgressTests.assertNoRawControl;
import static io.sigkit.cli.SigkitTestCase.assertOneLineError;
import static io.sigkit.cli.SigkitTestCase.sigkit;
import static io.sigkit.cli.SigkitTestCase.write;
import static org.assertj.core.api.Assertions.assertThat;

import io.sigkit.cli.SigkitTestCase.Execution;
import io.sigkit.transport.TransportException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Error lines on stderr and {@code sigkit validate}'s lines, when the text they quote (what the payload sent, a file's
 * name or content, an option's value) carries terminal control sequences: one line, shown escaped, nothing raw.
 */
class ErrorLinesTests {

    @TempDir
    Path dir;

    /** Runs the command line's execution error handler on {@code ex}, as picocli does when a command throws it. */
    private static Execution handled(Exception ex, String... args) {
        CommandLine cl = Sigkit.commandLine();
        StringWriter err = new StringWriter();
        cl.setErr(new PrintWriter(err, true));
        CommandLine.ParseResult parsed = cl.parseArgs(args.length == 0 ? new String[] {"list"} : args);
        int code = new ExitCodes.ExecutionErrors().handleExecutionException(ex, cl.getSubcommands().get("list"), parsed);
        return new Execution(code, "", err.toString());
    }

    @Test
    void a_transport_failure_quoting_the_servers_identification_is_one_escaped_line() {
        // GIVEN a login failure whose message quotes what the server sent as its SSH identification
        TransportException ex = new TransportException(TransportException.Kind.HANDSHAKE,
                "127.0.0.1:2201 is not an SSH server: it sent 'SSH-2.0-" + HOSTILE + "'");

        // WHEN the command ends with it
        Execution e = handled(ex);

        // THEN exit 64 and one line, the server's text shown escaped
        assertThat(e.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertOneLineError(e);
        assertNoRawControl(e.err());
        assertThat(e.err()).contains("sent 'SSH-2.0-" + HOSTILE_SHOWN + "'");
    }

    @Test
    void a_cli_error_and_an_internal_error_quoting_payload_text_are_escaped_lines() {
        // GIVEN a configuration error and an internal error, both quoting hostile text, one over two lines
        Execution usage = handled(CliError.usage("cannot read uplink file " + HOSTILE + "\nsecond line"));
        Execution internal = handled(new IllegalStateException("boom", new RuntimeException("payload said " + HOSTILE)));

        // THEN each is one line with the text escaped (the line break joined as "; ")
        assertOneLineError(usage);
        assertNoRawControl(usage.err());
        assertThat(usage.err()).contains("cannot read uplink file " + HOSTILE_SHOWN + "; second line");
        assertThat(internal.exitCode()).isEqualTo(ExitCodes.INTERNAL);
        assertThat(internal.errLines()).hasSize(1);
        assertNoRawControl(internal.err());
        assertThat(internal.err()).contains("internal error: RuntimeException: payload said " + HOSTILE_SHOWN);
    }

    @Test
    void with_verbose_the_stack_trace_of_an_internal_error_is_escaped_too() {
        // GIVEN an internal error quoting hostile text, WHEN the command ends with it under --verbose
        Execution e = handled(new IllegalStateException("boom: " + HOSTILE), "list", "--verbose");

        // THEN the stack trace follows the error line, its lines keep their tabs, and nothing raw is printed
        assertThat(e.exitCode()).isEqualTo(ExitCodes.INTERNAL);
        assertThat(e.err()).contains("java.lang.IllegalStateException: boom: " + HOSTILE_SHOWN).contains("\n\tat ");
        assertNoRawControl(e.err().replace("\t", ""));
    }

    @Test
    void a_bad_option_value_is_quoted_escaped() {
        // WHEN an option gets a value with control sequences
        Execution e = sigkit("certify", "--target", "ssh://sigapi@127.0.0.1:2201", "--repeat", HOSTILE);

        // THEN the usage error is one line, the value shown escaped
        assertThat(e.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertOneLineError(e);
        assertNoRawControl(e.err());
        assertThat(e.err()).contains(HOSTILE_SHOWN);
    }

    @Test
    void validate_shows_file_names_and_quoted_content_escaped() throws Exception {
        // GIVEN a valid config whose name carries control sequences, and an invalid one whose content does
        Path named = write(dir, "w" + HOSTILE.replace('/', '_') + ".json",
                "{\"version\": 1, \"signal_parameters\": {}}");
        Path content = write(dir, "content.json", "{\"version\": tru\u001b[2Ke\u0007, \"signal_parameters\": {}}");

        // WHEN both are validated
        Execution e = sigkit("validate", named.toString(), content.toString());

        // THEN the valid one's line and the error line are each one line, escaped
        assertThat(e.exitCode()).as("%s", e).isEqualTo(ExitCodes.FAILED);
        assertNoRawControl(e.out());
        assertNoRawControl(e.err());
        assertThat(e.out().lines()).containsExactly(dir + "/w" + HOSTILE_SHOWN.replace('/', '_') + ".json: valid");
        assertThat(e.errLines()).hasSize(1);
        assertThat(e.errLines().get(0)).startsWith(content + ":1:").contains("not valid JSON");
    }
}
