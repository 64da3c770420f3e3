package io.sigkit.reports;

import io.sigkit.check.Outcome;
import io.sigkit.check.RequirementResult;
import io.sigkit.run.RunResult;
import io.sigkit.run.TargetIdentity;
import io.sigkit.waiver.WaiverDecision;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * The Markdown summary ({@code summary.md}) for CI job summaries (GitHub's {@code $GITHUB_STEP_SUMMARY}, GitLab
 * Markdown artifacts): the verdict line, the counts, a table of every result that did not pass, then every result.
 *
 * <p>Payload output is made inert: characters Markdown or inline HTML would interpret ({@code \ ` * _ [ ] < > | ~ &}
 * and friends) are backslash-escaped, line breaks become spaces, so that a cell never breaks its table, opens a code
 * span or becomes a link or tag; control characters (terminal sequences, bidi overrides) are shown escaped first
 * ({@code \x1b}, as on the terminal), since {@code summary.md} is also read with {@code cat}.
 */
public final class MarkdownSummary {

    private static final int MAX_MESSAGE_CHARS = 600;

    private MarkdownSummary() {
    }

    /**
     * Writes the summary to {@code file}, creating its directory.
     *
     * @throws UncheckedIOException naming the file when it cannot be written
     */
    public static void write(RunResult result, Path file) {
        ReportFiles.writeText(file, "Markdown summary", render(result));
    }

    /** The summary as Markdown text. */
    public static String render(RunResult result) {
        Objects.requireNonNull(result, "result");
        TargetIdentity t = result.target();
        StringBuilder md = new StringBuilder();
        String icon = switch (result.verdict()) {
            case CONFORMANT -> "✅";
            case CONFORMANT_WITH_WAIVERS -> "☑️";
            case NOT_CONFORMANT -> "❌";
            case INCOMPLETE -> "⚠️";
        };
        md.append("## ").append(icon).append(" sigkit: **").append(result.verdict()).append("** — ")
                .append(escape(t.user() + "@" + t.address())).append("\n\n");
        md.append("Payload Signaling API ").append(escape(result.specVersion())).append(" · sigkit ")
                .append(escape(ReportText.kit(result.kitVersion()))).append(" · catalog ").append(escape(result.catalogVersion()))
                .append(" · ").append(ReportText.instant(result.startedAt()));
        if (result.startedAt() != null && result.endedAt() != null) {
            md.append(" · ").append(ReportText.duration(result.duration()));
        }
        md.append(result.strict() ? " · strict" : "").append("\n\n");
        md.append("Host key: ").append(code(t.hostKeyType() + " " + t.hostKeyFingerprint()))
                .append(" · payload\\_exec SHA-256: ").append(code(t.payloadExecSha256())).append("\n\n");

        waivers(md, result);
        md.append("| PASS | FAIL | ERROR | SKIPPED | NOT\\_VERIFIED | WAIVED | total |\n");
        md.append("|---:|---:|---:|---:|---:|---:|---:|\n");
        md.append("| ").append(result.count(Outcome.PASS)).append(" | ").append(result.count(Outcome.FAIL)).append(" | ")
                .append(result.count(Outcome.ERROR)).append(" | ").append(result.count(Outcome.SKIPPED)).append(" | ")
                .append(result.count(Outcome.NOT_VERIFIED)).append(" | ").append(result.count(Outcome.WAIVED))
                .append(" | ").append(result.results().size()).append(" |\n\n");

        List<RequirementResult> notPassed = result.results().stream().filter(r -> r.outcome() != Outcome.PASS).toList();
        if (notPassed.isEmpty()) {
            md.append("Every requirement passed.\n\n");
        } else {
            md.append("### Not passed (").append(notPassed.size()).append(")\n\n");
            table(md, notPassed, result.strict());
        }
        md.append("### All results (").append(result.results().size()).append(")\n\n");
        table(md, result.results(), result.strict());

        long left = result.cleanup().stream().filter(i -> !i.removed()).count();
        if (left > 0) {
            md.append("**Cleanup incomplete:** ").append(left).append(" item(s) the kit created are still on the payload: ")
                    .append(result.cleanup().stream().filter(i -> !i.removed()).map(i -> code(i.target()))
                            .collect(Collectors.joining(", "))).append("\n\n");
        }
        md.append("Reports: `report.html`, `report.json`, `junit.xml` · ").append(result.sessionsOpened())
                .append(" SSH sessions, ").append(result.execRequests()).append(" exec requests\n");
        return md.toString();
    }

    /** Every waiver the run was given, before anything else: a verdict with waivers must not be read without them. */
    private static void waivers(StringBuilder md, RunResult result) {
        if (result.waivers().isEmpty()) {
            return;
        }
        long applied = result.waivers().stream().filter(WaiverDecision::applied).count();
        md.append("### Waivers: ").append(applied).append(" applied of ").append(result.waivers().size()).append("\n\n");
        md.append("| ID | Status | Approved by | Expires | Reason | Note |\n|---|---|---|---|---|---|\n");
        for (WaiverDecision d : result.waivers()) {
            md.append("| ").append(escape(d.waiver().id())).append(" | **").append(escape(d.status().name())).append("** | ")
                    .append(escape(d.waiver().approvedBy())).append(" | ").append(d.waiver().expires()).append(" | ")
                    .append(escape(d.waiver().reason())).append(" | ").append(escape(d.note())).append(" |\n");
        }
        md.append('\n');
    }

    private static void table(StringBuilder md, List<RequirementResult> results, boolean strict) {
        md.append("| ID | Level | Outcome | Message |\n|---|---|---|---|\n");
        for (RequirementResult r : results) {
            String outcome = r.outcome().name();
            if (r.outcome() == Outcome.FAIL && !r.isFailure(strict)) {
                outcome += " (warning)";
            } else if (r.outcome() == Outcome.WAIVED) {
                outcome += " (was FAIL)";
            }
            String message = ReportText.oneLine(r.message());
            if (message.length() > MAX_MESSAGE_CHARS) {
                message = message.substring(0, MAX_MESSAGE_CHARS) + " …";
            }
            md.append("| ").append(r.id()).append(" | ").append(r.level()).append(" | ")
                    .append(outcome).append(" | ").append(escape(message)).append(" |\n");
        }
        md.append('\n');
    }

    /**
     * Payload text made inert in a Markdown table cell: one line, every ASCII punctuation character that Markdown
     * or inline HTML gives a meaning backslash-escaped.
     */
    static String escape(String text) {
        String line = ReportText.oneLine(text);
        StringBuilder b = new StringBuilder(line.length() + 8);
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if ("\\`*_{}[]()<>#+!|~&$".indexOf(c) >= 0) {
                b.append('\\');
            }
            b.append(c);
        }
        return b.toString();
    }

    /** Inline code that no backtick inside can close: the longest backtick run plus one. */
    static String code(String text) {
        String line = ReportText.oneLine(text);
        if (line.isEmpty()) {
            return "unknown";
        }
        int longest = 0;
        int run = 0;
        for (int i = 0; i < line.length(); i++) {
            run = line.charAt(i) == '`' ? run + 1 : 0;
            longest = Math.max(longest, run);
        }
        String fence = "`".repeat(longest + 1);
        String pad = line.startsWith("`") || line.endsWith("`") ? " " : "";
        // a pipe inside a code span still ends a GFM table cell, but these are not in a table
        return fence + pad + line + pad + fence;
    }
}
