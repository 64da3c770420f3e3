package io.sigkit.cli;

import io.sigkit.check.Outcome;
import io.sigkit.check.RequirementResult;
import io.sigkit.run.RunResult;
import java.io.PrintWriter;
import java.time.Duration;

/** Progress as plain lines, nothing rewritten: for logs and pipes. */
final class PlainProgress extends Progress {
    private final PrintWriter out;

    PlainProgress(PrintWriter out) {
        this.out = out;
    }

    @Override
    public synchronized void runStarted(String target, int requirements) {
        out.println("certifying " + line(target) + " (" + requirements + " requirements)");
        out.flush();
    }

    @Override
    public synchronized void step(String description) {
        out.println(seconds(elapsed()) + "  ... " + line(description));
        out.flush();
    }

    @Override
    public synchronized void requirementFinished(RequirementResult r, Duration elapsed) {
        out.println(seconds(elapsed()) + "  " + outcomeWord(r.outcome()) + r.id() + " [" + r.level() + "] " + r.title());
        if (r.outcome() != Outcome.PASS) {
            out.println("                         " + message(r));
        }
        for (String w : r.warnings()) {
            out.println("                         warning: " + ExitCodes.oneLine(w));
        }
        out.flush();
    }

    @Override
    public synchronized void runFinished(RunResult result) {
        out.println(seconds(elapsed()) + "  verdict " + result.verdict());
        out.flush();
    }
}
