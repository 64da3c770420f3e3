package io.sigkit.cli;

import io.sigkit.bus.Cleanup;
import io.sigkit.bus.PlacedFile;
import io.sigkit.bus.SatelliteBus;
import io.sigkit.bus.SignalResult;
import io.sigkit.bus.Window;
import io.sigkit.cleanup.CleanupItem;
import io.sigkit.schemas.SchemaId;
import io.sigkit.schemas.SchemaValidator;
import io.sigkit.schemas.ValidationError;
import io.sigkit.schemas.ValidationReport;
import io.sigkit.transport.ExecResult;
import io.sigkit.transport.PayloadConnection;
import io.sigkit.transport.TransportException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code sigkit signal configure|start}: one bus call by hand, exactly as the bus issues it, showing the exact
 * command, its exit status, stderr and both timings; removes the config it placed. Everything the payload sent (its
 * stderr and stdout, its SSH version, error messages) is shown with control characters escaped, line by line.
 */
@Command(name = "signal", mixinStandardHelpOptions = true, sortOptions = false, usageHelpAutoWidth = true,
        header = "Issues one bus call by hand (configure or start), exactly as the bus does, and shows what happened.",
        description = {"",
            "With --config FILE, the file is first validated and placed at "
                + "/signaling/window_configs/<ID>.json (never over an existing config) and removed afterwards: "
                + "right after configure; after start, once the window has ended (the payload may still read it), "
                + "or at once with Ctrl-C. The window's payload_exec is left running after start, as the bus "
                + "leaves it.",
            ""})
final class SignalCallCommand implements Callable<Integer> {

    /** The bus calls that can be issued by hand. */
    enum Call {
        CONFIGURE, START;

        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "configure|start", description = "The call: ${COMPLETION-CANDIDATES}.")
    Call call;

    @Option(names = "--window", required = true, paramLabel = "ID", order = 20,
            description = "Window ID (a non-negative integer; the kit's own tests use 2100000000..2100999999).")
    String window;

    @Option(names = "--config", paramLabel = "FILE", order = 21,
            description = "Window config to place for the window first (validated against the v1 schema).")
    Path config;

    @Option(names = "--end-time", paramLabel = "T", order = 22,
            description = "start only: the window end passed as -t: UNIX seconds, an ISO-8601 instant"
                    + " (2026-05-01T12:00:00Z) or +SECONDS from now (default: +60).")
    String endTime;

    @Option(names = "--tasking-user", paramLabel = "NAME", defaultValue = "sigkit", order = 23,
            description = "Tasking API user ID passed as -u (default: ${DEFAULT-VALUE}).")
    String taskingUser;

    @Option(names = "--timeout", paramLabel = "SECONDS", order = 24,
            description = "Stop waiting for the call after this long (default: 20 for configure, 10 for start).")
    Integer timeoutSeconds;

    @Mixin
    ConnectionOptions connection;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        long windowId = windowId(window);
        Instant end = endTime(call, endTime, Instant.now());
        Duration timeout = Duration.ofSeconds(timeoutSeconds != null ? timeoutSeconds : call == Call.CONFIGURE ? 20 : 10);
        if (timeout.isNegative() || timeout.isZero() || timeout.toSeconds() > 600) {
            throw CliError.usage("--timeout must be 1 to 600 seconds, was " + timeoutSeconds);
        }
        byte[] configBytes = config == null ? null : validConfig(config, err);
        Window w;
        try {
            w = new Window(windowId, taskingUser, end, null, null);
            // renders the command from the argument contract: rejects a user ID that is not safe in a shell
            if (call == Call.CONFIGURE) {
                SatelliteBus.configureCommand(w);
            } else {
                SatelliteBus.startCommand(w);
            }
        } catch (IllegalArgumentException e) {
            throw CliError.usage(e.getMessage());
        }

        try (PayloadConnection payload = PayloadConnection.open(connection.settings())) {
            SatelliteBus bus = new SatelliteBus(payload);
            Thread onExit = new Thread(() -> cleanUp(payload, bus, null), "sigkit-signal-cleanup");
            Runtime.getRuntime().addShutdownHook(onExit);
            try {
                if (configBytes != null && !place(bus, w, configBytes, out, err)) {
                    return ExitCodes.FAILED;
                }
                SignalResult r = call == Call.CONFIGURE ? bus.configure(w, timeout) : bus.startWindow(w, timeout);
                print(r, payload, out);
                if (configBytes != null && call == Call.START) {
                    waitForWindowEnd(end, out);
                }
                cleanUp(payload, bus, out);
                return r.exec().exitStatus() == null ? ExitCodes.INCOMPLETE
                        : r.exec().exitStatus() == 0 ? ExitCodes.OK : ExitCodes.FAILED;
            } finally {
                try {
                    Runtime.getRuntime().removeShutdownHook(onExit);
                } catch (IllegalStateException e) {
                    // shutting down: the hook runs
                }
            }
        }
    }

    static long windowId(String text) {
        try {
            long id = Long.parseLong(text.strip());
            if (id < 0) {
                throw CliError.usage("--window must be a non-negative window ID, was " + text);
            }
            return id;
        } catch (NumberFormatException e) {
            throw CliError.usage("--window must be a window ID (a non-negative integer below 2^63), was '" + text + "'");
        }
    }

    static Instant endTime(Call call, String text, Instant now) {
        if (text == null) {
            return now.plusSeconds(60);
        }
        if (call == Call.CONFIGURE) {
            throw CliError.usage("--end-time applies to start only: the configure call has no end time");
        }
        String t = text.strip();
        try {
            if (t.startsWith("+")) {
                return now.plusSeconds(Long.parseLong(t.substring(1)));
            }
            if (t.matches("\\d+")) {
                return Instant.ofEpochSecond(Long.parseLong(t));
            }
            return Instant.parse(t);
        } catch (NumberFormatException | DateTimeParseException e) {
            throw CliError.usage("--end-time must be UNIX seconds, an ISO-8601 instant such as 2026-05-01T12:00:00Z,"
                    + " or +SECONDS; was '" + text + "'");
        }
    }

    /** Reads and validates the config; invalid: each error on stderr and exit 64 (nothing is sent to the payload). */
    private static byte[] validConfig(Path file, PrintWriter err) {
        byte[] bytes = Inputs.readBytes(file, "window config");
        ValidationReport report = SchemaValidator.of(SchemaId.WINDOW_CONFIG_V1).validate(file);
        if (!report.valid()) {
            for (ValidationError e : report.errors()) {
                err.println(ValidateCommand.format(e));
            }
            err.flush();
            throw CliError.usage("window config " + file + " is invalid (" + report.errors().size()
                    + " error(s) above); nothing was sent to the payload");
        }
        return bytes;
    }

    private static boolean place(SatelliteBus bus, Window w, byte[] bytes, PrintWriter out, PrintWriter err) {
        String path = w.configPath();
        try {
            if (bus.connection().files().exists(path)) {
                err.println("sigkit signal: " + path + " already exists on the payload; it is not overwritten (remove"
                        + " it, or use another --window)");
                err.flush();
                return false;
            }
            PlacedFile placed = bus.placeRawWindowConfig(w.id(), bytes);
            out.println("placed:           " + Progress.line(placed.path()) + " (" + placed.bytes() + " bytes, sha256 "
                    + placed.sha256() + ")");
            out.flush();
            return true;
        } catch (TransportException e) {
            err.println("sigkit signal: cannot place the config at " + path + ": " + ExitCodes.oneLine(e.getMessage()));
            err.flush();
            return false;
        }
    }

    private static void print(SignalResult r, PayloadConnection payload, PrintWriter out) {
        ExecResult e = r.exec();
        out.println("command:          " + Progress.line(r.command()));
        out.println("as:               " + Progress.line(payload.settings().target().login() + " (session " + e.session()
                + ", " + payload.serverIdentity().serverVersion() + ")"));
        out.println("exit status:      " + (e.exitStatus() != null ? e.exitStatus().toString()
                : e.exitSignal() != null ? "none (ended by signal " + e.exitSignal() + ")"
                : e.timedOut() ? "none (no exit status before the timeout; the kit stopped waiting)" : "none"));
        out.println("to exit status:   " + millis(e.toExit()));
        out.println("to channel close: " + (e.timedOut() ? "never (timed out)" : millis(e.toClose())));
        block(out, "stderr:           ", e.stderr(), e.stderrTruncated());
        if (!e.stdout().isEmpty()) {
            block(out, "stdout:           ", e.stdout(), e.stdoutTruncated());
        }
        out.flush();
    }

    /** Payload output as a block of lines under a label, each line's control characters escaped. */
    private static void block(PrintWriter out, String label, String text, boolean truncated) {
        if (text.isEmpty()) {
            out.println(label + "(empty)");
            return;
        }
        String[] lines = text.stripTrailing().split("\r?\n", -1);
        out.println(label + Progress.line(lines[0]));
        for (int i = 1; i < lines.length; i++) {
            out.println(" ".repeat(label.length()) + Progress.line(lines[i]));
        }
        if (truncated) {
            out.println(" ".repeat(label.length()) + "(truncated)");
        }
    }

    private static String millis(Duration d) {
        return d == null ? "none" : String.format(Locale.ROOT, "%.3f s", d.toNanos() / 1e9);
    }

    private static void waitForWindowEnd(Instant end, PrintWriter out) {
        Instant until = end.plusSeconds(2);
        Duration wait = Duration.between(Instant.now(), until);
        if (wait.isNegative()) {
            return;
        }
        out.println("waiting " + wait.toSeconds() + " s for the window to end before removing its config"
                + " (Ctrl-C removes it now)");
        out.flush();
        try {
            Thread.sleep(wait.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Removes what this call placed (never ends the window's payload_exec: the bus does not either). */
    private static synchronized void cleanUp(PayloadConnection payload, SatelliteBus bus, PrintWriter out) {
        if (bus.manifest().pending().isEmpty()) {
            return;
        }
        try {
            new Cleanup(payload, bus.manifest()).run(List.of());
        } catch (RuntimeException e) {
            if (out != null) {
                out.println("cleanup:          FAILED: " + ExitCodes.summary(e));
            }
            return;
        }
        if (out != null) {
            for (CleanupItem item : bus.manifest().items()) {
                out.println("cleanup:          " + Progress.line(item.target() + ": " + (item.removed() ? "removed"
                        : "NOT removed") + (item.note().isEmpty() ? "" : " (" + item.note() + ")")));
            }
            out.flush();
        }
    }
}
