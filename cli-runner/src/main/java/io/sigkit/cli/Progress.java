package io.sigkit.cli;

import io.sigkit.check.Outcome;
import io.sigkit.check.RequirementResult;
import io.sigkit.run.ProgressListener;
import io.sigkit.text.SafeText;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;

/**
 * Shows a certification run as it goes: a {@link ProgressListener} that is closed when the run is over. Made by
 * {@link #create}, which picks live, plain or JSON-lines output. Results carry payload output (messages, warnings):
 * the text displays show it with control characters escaped, on one line ({@link ExitCodes#oneLine}).
 */
abstract class Progress implements ProgressListener, AutoCloseable {
    /** Made just before the run starts: the display's clock starts with it. */
    private final long startNanos = System.nanoTime();

    /** Time since the run started, by this display's own clock (steps and results on one time line). */
    final Duration elapsed() {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }

    /** Picks the display: where it writes and how, from the options and whether stdout is a terminal. */
    static ConnectionGate create(OutputOptions.ProgressMode mode, OutputFormat format, boolean terminal, PrintWriter out,
                           PrintWriter err) {
        PrintWriter to = format == OutputFormat.JSON ? err : out;
        OutputOptions.ProgressMode m = mode;
        if (m == OutputOptions.ProgressMode.AUTO) {
            m = format == OutputFormat.JSON ? OutputOptions.ProgressMode.JSON
                    : terminal ? OutputOptions.ProgressMode.LIVE : OutputOptions.ProgressMode.PLAIN;
        }
        Progress display = switch (m) {
            case LIVE -> new LiveProgress(to);
            case PLAIN -> new PlainProgress(to);
            case JSON -> new JsonLinesProgress(err);
            case NONE, AUTO -> new Progress() {
            };
        };
        return new ConnectionGate(display);
    }

    /** Whether {@link #step} output is transient (a status line redrawn in place) rather than a permanent line. */
    boolean stepsAreTransient() {
        return false;
    }

    /** Ends the display (a live status line is cleared). */
    @Override
    public void close() {
    }

    static String seconds(Duration d) {
        return String.format(Locale.ROOT, "%6.1f s", d.toMillis() / 1000.0);
    }

    /** The result's message without its leading {@code [ID]}, which the line already shows. */
    static String message(RequirementResult r) {
        String m = r.message();
        String prefix = "[" + r.id() + "]";
        if (m.startsWith(prefix)) {
            m = m.substring(prefix.length()).strip();
        }
        return ExitCodes.oneLine(m);
    }

    /**
     * Text of the run (the target as given, a step, which may quote an error) for one line: control characters
     * escaped ({@link SafeText#escapeLine}).
     */
    static String line(String text) {
        return SafeText.escapeLine(text);
    }

    /** The line shown for a finished requirement (without the elapsed time and colours). */
    static String outcomeWord(Outcome o) {
        return String.format(Locale.ROOT, "%-13s", o.name());
    }
}
