package io.sigkit.cli;

import static io.sigkit.cli.SigkitTestCase.sigkit;
import static org.assertj.core.api.Assertions.assertThat;

import io.sigkit.cli.SigkitTestCase.Execution;
import io.sigkit.run.Verdict;
import io.sigkit.transport.TransportException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The exit codes: one mapping, shown in --help, and every exception turned into one line and its code. */
class ExitCodesTests {

    @Test
    void verdicts_map_to_0_1_2_3() {
        assertThat(ExitCodes.of(Verdict.CONFORMANT)).isZero();
        assertThat(ExitCodes.of(Verdict.NOT_CONFORMANT)).isEqualTo(1);
        assertThat(ExitCodes.of(Verdict.INCOMPLETE)).isEqualTo(2);
        assertThat(ExitCodes.of(Verdict.CONFORMANT_WITH_WAIVERS)).isEqualTo(3);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "certify", "demo"})
    void help_lists_every_exit_code(String command) {
        Execution e = command.isEmpty() ? sigkit("--help") : sigkit(command, "--help");
        assertThat(e.exitCode()).as("%s", e).isZero();
        String help = e.out().replaceAll("\\s+", " ");
        assertThat(help).contains("Exit codes:").contains(" 0 CONFORMANT").contains(" 1 NOT_CONFORMANT")
                .contains(" 2 INCOMPLETE").contains(" 3 CONFORMANT_WITH_WAIVERS").contains(" 64 usage or configuration error")
                .contains(" 70 internal error");
        assertThat(help).contains("unreachable host or port");
    }

    @Test
    void validate_help_says_what_its_codes_mean() {
        Execution e = sigkit("validate", "--help");
        assertThat(e.exitCode()).isZero();
        assertThat(e.out().replaceAll("\\s+", " ")).contains(" 0 every file is a valid window config")
                .contains(" 1 at least one file is invalid").contains(" 64 usage error, or a file that cannot be read");
    }

    @Test
    void version_names_kit_catalog_and_spec() {
        Execution e = sigkit("--version");
        assertThat(e.exitCode()).isZero();
        assertThat(e.out()).startsWith("sigkit ").contains("catalog 1.1.0").contains("Payload Signaling API 1.0");
    }

    /** A command that throws what it is told to, to exercise the one exception handler. */
    @Command(name = "boom")
    static final class Boom implements Callable<Integer> {
        @Option(names = "--what")
        String what;

        @Option(names = {"-v", "--verbose"})
        boolean verbose;

        @Override
        public Integer call() {
            switch (what) {
                case "cli" -> throw new CliError(ExitCodes.USAGE, "cannot read report template x.html: no such file");
                case "transport" -> throw new TransportException(TransportException.Kind.UNREACHABLE,
                        "cannot reach 10.0.0.9:22: connection refused");
                default -> throw new IllegalStateException("window plan\nhas no windows left");
            }
        }
    }

    private static Execution boom(String... args) {
        CommandLine cl = new CommandLine(new Boom());
        cl.setExecutionExceptionHandler(new ExitCodes.ExecutionErrors());
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return new Execution(cl.execute(args), out.toString(), err.toString());
    }

    @Test
    void a_cli_error_is_one_line_with_its_own_code() {
        Execution e = boom("--what", "cli");
        assertThat(e.exitCode()).isEqualTo(64);
        assertThat(e.errLines()).containsExactly("boom: cannot read report template x.html: no such file");
    }

    @Test
    void a_transport_failure_is_a_configuration_error() {
        Execution e = boom("--what", "transport");
        assertThat(e.exitCode()).isEqualTo(64);
        assertThat(e.errLines()).containsExactly("boom: cannot reach 10.0.0.9:22: connection refused");
    }

    @Test
    void an_internal_error_is_one_line_pointing_to_verbose_and_exits_70() {
        Execution e = boom("--what", "bug");
        assertThat(e.exitCode()).isEqualTo(70);
        assertThat(e.errLines()).containsExactly("boom: internal error: IllegalStateException: window plan; has no"
                + " windows left (run with --verbose for details)");
    }

    @Test
    void verbose_adds_the_stack_trace() {
        Execution e = boom("--what", "bug", "--verbose");
        assertThat(e.exitCode()).isEqualTo(70);
        assertThat(e.errLines().get(0)).isEqualTo("boom: internal error: IllegalStateException: window plan; has no"
                + " windows left");
        assertThat(e.err()).contains("\tat io.sigkit.cli.ExitCodesTests$Boom.call");
    }

    @Test
    void verbose_adds_no_stack_trace_to_a_users_error() {
        Execution e = boom("--what", "cli", "--verbose");
        assertThat(e.exitCode()).isEqualTo(64);
        assertThat(e.errLines()).containsExactly("boom: cannot read report template x.html: no such file");
    }
}
