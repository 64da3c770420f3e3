package io.sigkit.cli;

import io.sigkit.check.Outcome;
import io.sigkit.check.RequirementResult;
import io.sigkit.run.RunResult;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Help.Ansi;

/**
 * Progress for a terminal: a coloured line per requirement, and below them a status line with the current step and
 * the time running, redrawn in place a few times a second (so a 15 s configure wait is visibly alive).
 */
final class LiveProgress extends Progress {
    private static final String CLEAR_LINE = "\r\u001b[K";
    private static final String[] SPINNER = {"|", "/", "-", "\\"};

    private final PrintWriter out;
    private final ScheduledExecutorService ticker;
    private String step = "starting";
    private boolean statusShown;
    private int frame;

    LiveProgress(PrintWriter out) {
        this.out = out;
        this.ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "sigkit-progress");
            t.setDaemon(true);
            return t;
        });
        ticker.scheduleAtFixedRate(this::redraw, 250, 250, TimeUnit.MILLISECONDS);
    }

    @Override
    boolean stepsAreTransient() {
        return true;
    }

    @Override
    public synchronized void runStarted(String target, int requirements) {
        clearStatus();
        out.println(Ansi.ON.string("@|bold certifying " + escape(line(target)) + "|@ (" + requirements + " requirements)"));
        drawStatus();
    }

    @Override
    public synchronized void step(String description) {
        step = line(description);
        drawStatus();
    }

    @Override
    public synchronized void requirementFinished(RequirementResult r, Duration elapsed) {
        clearStatus();
        out.println(seconds(elapsed()) + "  " + coloured(r.outcome()) + Ansi.ON.string("@|bold " + r.id() + "|@")
                + " [" + r.level() + "] " + r.title());
        if (r.outcome() != Outcome.PASS) {
            out.println("                         " + message(r));
        }
        for (String w : r.warnings()) {
            out.println("                         " + Ansi.ON.string("@|yellow warning:|@ ") + ExitCodes.oneLine(w));
        }
        drawStatus();
    }

    @Override
    public synchronized void runFinished(RunResult result) {
        clearStatus();
        step = null;
        out.flush();
    }

    @Override
    public void close() {
        ticker.shutdownNow();
        synchronized (this) {
            clearStatus();
            step = null;
            out.flush();
        }
    }

    private synchronized void redraw() {
        if (step != null) {
            frame++;
            drawStatus();
        }
    }

    private void drawStatus() {
        if (step == null) {
            return;
        }
        String elapsed = seconds(elapsed());
        String text = elapsed + "  " + SPINNER[frame % SPINNER.length] + " " + step;
        int width = 110;
        if (text.length() > width) {
            text = text.substring(0, width - 1) + "…";
        }
        out.print(CLEAR_LINE + Ansi.ON.string("@|faint " + escape(text) + "|@"));
        out.flush();
        statusShown = true;
    }

    private void clearStatus() {
        if (statusShown) {
            out.print(CLEAR_LINE);
            statusShown = false;
        }
    }

    private static String coloured(Outcome o) {
        String colour = switch (o) {
            case PASS -> "green";
            case FAIL -> "red";
            case ERROR -> "magenta";
            case SKIPPED, NOT_VERIFIED, WAIVED -> "yellow";
        };
        return Ansi.ON.string("@|bold," + colour + " " + outcomeWord(o) + "|@");
    }

    /** Keeps picocli's markup characters in payload text from being read as markup. */
    private static String escape(String s) {
        return s.replace("@|", "@ |").replace("|@", "| @");
    }
}
