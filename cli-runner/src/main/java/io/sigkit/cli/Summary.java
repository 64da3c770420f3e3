package io.sigkit.cli;

import io.sigkit.check.Outcome;
import io.sigkit.check.RequirementResult;
import io.sigkit.cleanup.CleanupItem;
import io.sigkit.run.RunResult;
import io.sigkit.run.TargetIdentity;
import io.sigkit.waiver.WaiverDecision;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The text summary printed after a certification: verdict first, then who was certified, failures and reports. What
 * the payload told (its SSH version, shell, OS name, messages quoting its output, cleanup notes) is shown with
 * control characters escaped ({@link Progress#line}, {@link ExitCodes#oneLine}).
 */
final class Summary {
    private Summary() {
    }

    static void print(RunResult r, List<Path> reports, Path reportDir, PrintWriter out) {
        out.println();
        List<String> counts = new ArrayList<>();
        for (Outcome o : Outcome.values()) {
            counts.add(r.count(o) + " " + o.name());
        }
        out.printf(Locale.ROOT, "Verdict: %s (%d requirements: %s; %.1f s%s)%n", r.verdict(), r.results().size(),
                String.join(", ", counts), r.duration().toMillis() / 1000.0, r.strict() ? "; strict" : "");
        waivers(r, out);
        TargetIdentity t = r.target();
        out.println("Target:  " + Progress.line(t.user() + "@" + t.address() + join(", ", t.serverVersion(),
                t.hostKeyType().isEmpty() ? "" : t.hostKeyType() + " " + t.hostKeyFingerprint(),
                t.loginShell().isEmpty() ? "" : "login shell " + t.loginShell(), t.os())));
        if (!t.payloadExecSha256().isEmpty()) {
            out.println("         payload_exec sha256 " + Progress.line(t.payloadExecSha256()));
        }
        out.println("SSH:     " + r.sessionsOpened() + " session(s), " + r.execRequests() + " exec request(s); host key "
                + r.hostKeyPolicy() + (r.hostKeyNewlyTrusted() ? " (trusted on first use during this run)" : ""));
        List<CleanupItem> left = r.cleanup().stream().filter(c -> !c.removed()).toList();
        if (left.isEmpty()) {
            out.println("Cleanup: everything the kit created was removed (" + r.cleanup().size() + " item(s))");
        } else {
            out.println("Cleanup: " + left.size() + " item(s) NOT removed from the payload:");
            left.forEach(c -> out.println("         " + Progress.line(c.kind() + " " + c.target() + " (" + c.note() + ")")));
        }
        List<RequirementResult> bad = r.results().stream()
                .filter(x -> x.outcome() == Outcome.FAIL || x.outcome() == Outcome.ERROR).toList();
        for (RequirementResult x : bad) {
            boolean fails = x.isFailure(r.strict());
            out.println((fails ? "Failed:  " : "Note:    ") + x.id() + " [" + x.level() + "] " + x.outcome() + ": "
                    + Progress.message(x));
        }
        if (reportDir == null) {
            out.println("Reports: none written (add --report-dir DIR to keep report.json, junit.xml, report.html,"
                    + " summary.md)");
        } else {
            out.println("Reports: " + Progress.line(reportDir.toAbsolutePath().normalize().toString()));
            reports.forEach(p -> out.println("         " + Progress.line(p.toAbsolutePath().normalize().toString())));
        }
    }

    /** Every waiver and what became of it, right under the verdict: a verdict with waivers is read with them. */
    private static void waivers(RunResult r, PrintWriter out) {
        if (r.waivers().isEmpty()) {
            return;
        }
        long applied = r.waivers().stream().filter(WaiverDecision::applied).count();
        out.println("Waivers: " + applied + " applied of " + r.waivers().size()
                + Progress.line(r.settings().get("waiversFile") instanceof String f ? " (" + f + ")" : ""));
        for (WaiverDecision d : r.waivers()) {
            out.println(String.format(Locale.ROOT, "         %-20s %s %s; %s", d.status(), d.waiver().id(),
                    Progress.line(d.waiver().describe()), Progress.line(d.note())));
        }
    }

    private static String join(String sep, String... parts) {
        StringBuilder sb = new StringBuilder();
        for (String p : parts) {
            if (p != null && !p.isBlank()) {
                sb.append(sep).append(p);
            }
        }
        return sb.toString();
    }
}
