package io.sigkit.cli;

import io.sigkit.run.Verdict;
import io.sigkit.text.SafeText;
import io.sigkit.transport.TransportException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * The one place that says which exit code means what: the verdicts, the other commands' outcomes, usage and
 * configuration errors, and internal errors; also the lists shown under "Exit codes" in {@code --help}, and the
 * handlers that turn every exception into one line on stderr and its exit code.
 */
final class ExitCodes {
    /** The payload is CONFORMANT; validate: every file valid; list, signal: success. */
    static final int OK = 0;
    /** The payload is NOT_CONFORMANT; validate: a file is invalid; signal: non-zero exit status. */
    static final int FAILED = 1;
    /** The certification is INCOMPLETE; signal: no exit status (timed out or ended by a signal). */
    static final int INCOMPLETE = 2;
    /** The payload is CONFORMANT_WITH_WAIVERS: conformant except for deviations accepted by applied waivers. */
    static final int WAIVED = 3;
    /** Usage or configuration error: bad option, unreadable or invalid file, target that cannot be logged in to. */
    static final int USAGE = 64;
    /** Internal error of the kit. */
    static final int INTERNAL = 70;
    /** Interrupted (Ctrl-C, SIGTERM): 128 + SIGINT, as shells report it. */
    static final int INTERRUPTED = 130;

    private ExitCodes() {
    }

    /** The exit code of a certification verdict. */
    static int of(Verdict verdict) {
        return switch (verdict) {
            case CONFORMANT -> OK;
            case CONFORMANT_WITH_WAIVERS -> WAIVED;
            case NOT_CONFORMANT -> FAILED;
            case INCOMPLETE -> INCOMPLETE;
        };
    }

    /** The exit code list shown by {@code sigkit --help}, {@code sigkit certify --help} and {@code sigkit demo --help}. */
    static Map<String, String> certifyHelp() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(code(OK), "CONFORMANT: every REQUIRED requirement passed (with --strict, every RECOMMENDED one too)");
        m.put(code(FAILED), "NOT_CONFORMANT: a REQUIRED requirement failed (with --strict, or a RECOMMENDED one)");
        m.put(code(INCOMPLETE), "INCOMPLETE: nothing failed, but not every REQUIRED requirement could be shown to pass");
        m.put(code(WAIVED), "CONFORMANT_WITH_WAIVERS: every REQUIRED requirement passed or failed under an applied"
                + " waiver (--waivers), at least one of them waived (with --strict, RECOMMENDED ones count too)");
        m.put(code(USAGE), "usage or configuration error: bad option, unreadable or invalid file, or a target that"
                + " cannot be logged in to (unreachable host or port, no SSH answer, untrusted host key, authentication"
                + " refused): nothing was certified");
        m.put(code(INTERNAL), "internal error of the kit (run with --verbose for details)");
        return m;
    }

    /** The exit code list of {@code sigkit validate}. */
    static Map<String, String> validateHelp() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(code(OK), "every file is a valid window config (v1)");
        m.put(code(FAILED), "at least one file is invalid (each error printed as file:line:col /pointer: message)");
        m.put(code(USAGE), "usage error, or a file that cannot be read");
        m.put(code(INTERNAL), "internal error of the kit");
        return m;
    }

    /** The exit code list of {@code sigkit verify}. */
    static Map<String, String> verifyHelp() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(code(OK), "valid: every file matches SHA256SUMS, the signature verifies (by an allowed signer, when"
                + " --allowed-signers is given) and report.json's verdict is the one its results give");
        m.put(code(FAILED), "invalid: one line per problem (a changed, missing or added file, a bad signature, an"
                + " unknown signer, a verdict its results do not give)");
        m.put(code(USAGE), "usage error: DIR is not a directory, holds no SHA256SUMS, or the allowed signers file cannot"
                + " be read");
        m.put(code(INTERNAL), "internal error of the kit");
        return m;
    }

    /** The exit code list of {@code sigkit list}. */
    static Map<String, String> listHelp() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(code(OK), "the catalog was printed");
        m.put(code(USAGE), "usage error");
        m.put(code(INTERNAL), "internal error of the kit");
        return m;
    }

    /** The exit code list of {@code sigkit diff}. */
    static Map<String, String> diffHelp() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(code(OK), "no requirement regressed");
        m.put(code(FAILED), "a requirement regressed: PASS in OLD, FAIL, ERROR or WAIVED in NEW");
        m.put(code(USAGE), "usage error, or a report that cannot be read or is not a sigkit report.json");
        m.put(code(INTERNAL), "internal error of the kit");
        return m;
    }

    /** The exit code list of {@code sigkit signal}. */
    static Map<String, String> signalHelp() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(code(OK), "payload_exec exited 0");
        m.put(code(FAILED), "payload_exec exited non-zero, or the config could not be placed");
        m.put(code(INCOMPLETE), "no exit status arrived (the call timed out, or payload_exec was ended by a signal)");
        m.put(code(USAGE), "usage or configuration error, invalid --config, or a target that cannot be logged in to");
        m.put(code(INTERNAL), "internal error of the kit");
        return m;
    }

    private static String code(int c) {
        return String.format("%3d", c);
    }

    /** Usage errors: one line naming the option, a pointer to --help, exit {@value #USAGE}. */
    static final class ParameterErrors implements CommandLine.IParameterExceptionHandler {
        @Override
        public int handleParseException(ParameterException ex, String[] args) {
            CommandLine cmd = ex.getCommandLine();
            PrintWriter err = cmd.getErr();
            String name = cmd.getCommandSpec().qualifiedName();
            err.println(name + ": " + oneLine(ex.getMessage()) + " (see '" + name + " --help')");
            err.flush();
            return USAGE;
        }
    }

    /**
     * Everything thrown by a command: one line; under --verbose also the stack trace, except for a {@link CliError}
     * (the user's input, not the kit's code, is at fault: the kit's log above says what happened).
     */
    static final class ExecutionErrors implements CommandLine.IExecutionExceptionHandler {
        @Override
        public int handleExecutionException(Exception ex, CommandLine cmd, ParseResult parseResult) {
            PrintWriter err = cmd.getErr();
            String name = cmd.getCommandSpec().qualifiedName();
            boolean verbose = Sigkit.verbose(parseResult);
            int code;
            if (ex instanceof CliError e) {
                err.println(name + ": " + oneLine(e.getMessage()));
                code = e.exitCode();
            } else if (ex instanceof TransportException e) {
                // may quote what the payload sent (its SSH identification string, a banner): escaped
                err.println(name + ": " + oneLine(e.getMessage()));
                code = USAGE;
            } else {
                err.println(name + ": internal error: " + summary(ex)
                        + (verbose ? "" : " (run with --verbose for details)"));
                code = INTERNAL;
            }
            if (verbose && !(ex instanceof CliError)) {
                stackTrace(ex, err);
            }
            err.flush();
            return code;
        }
    }

    /** The stack trace, each line's control characters escaped (the messages in it may quote the payload). */
    static void stackTrace(Throwable t, PrintWriter err) {
        StringWriter trace = new StringWriter();
        t.printStackTrace(new PrintWriter(trace));
        // split at line feeds only: a bare CR inside a message is shown escaped, not taken for a line break
        for (String line : trace.toString().split("\r?\n")) {
            err.println(line.startsWith("\t") ? "\t" + SafeText.escapeLine(line.substring(1)) : SafeText.escapeLine(line));
        }
    }

    /** The innermost message of a throwable, on one line, with its type when the message says little. */
    static String summary(Throwable t) {
        Throwable r = t;
        while (r.getCause() != null && r.getCause() != r) {
            r = r.getCause();
        }
        String m = r.getMessage();
        String type = r.getClass().getSimpleName();
        return m == null || m.isBlank() ? type : type + ": " + oneLine(m);
    }

    /**
     * Text for one line of terminal output: each line break (with the blanks around it) becomes {@code "; "}, and
     * every other control character is shown escaped ({@link SafeText#escapeLine}: a bare carriage return as
     * {@code \r}, ESC as {@code \x1b}), so that payload text quoted in a message cannot act on the terminal.
     */
    static String oneLine(String s) {
        return s == null ? "" : SafeText.escapeLine(s.replaceAll("\\s*(?:\\r?\\n)+\\s*", "; ").strip());
    }
}
