package io.sigkit.reports.internal;

import java.util.List;
import java.util.Objects;

/**
 * Everything report.html shows, already formatted as text; the template only lays it out, and jte escapes every value
 * for the context it lands in (element text, attribute, SVG).
 *
 * @param title the page title
 * @param verdict {@code CONFORMANT}, {@code NOT_CONFORMANT} or {@code INCOMPLETE}
 * @param verdictClass the CSS class of the verdict banner
 * @param verdictLine one sentence saying what the verdict rests on
 * @param subtitle what was certified, when
 * @param counts one chip per outcome
 * @param target the payload's identity
 * @param run how the run was made
 * @param groups one table per requirement group, in catalog order
 * @param chartAnchor the id of the timing chart's section, or null when the catalog names no chart
 * @param chartHeading the timing chart's heading, e.g. {@code Configure timings (SIG-CONF-002)}
 * @param chart the timings of the catalog's charted requirement against their budget, or null when there are none
 * @param chartNote what the chart shows, or why there is none
 * @param cleanup the cleanup manifest
 * @param cleanupLine one sentence on the cleanup
 * @param transcript every command the kit ran
 * @param settings the run's settings
 * @param footer the generator line
 * @param waiversTitle the heading of the waivers banner
 * @param waivers every waiver the run was given, shown as a banner under the verdict (empty: no banner)
 */
public record HtmlView(
        String title,
        String verdict,
        String verdictClass,
        String verdictLine,
        String subtitle,
        List<Count> counts,
        List<Fact> target,
        List<Fact> run,
        List<Group> groups,
        String chartAnchor,
        String chartHeading,
        Chart chart,
        String chartNote,
        List<CleanupRow> cleanup,
        String cleanupLine,
        List<Command> transcript,
        List<Fact> settings,
        String footer,
        String waiversTitle,
        List<WaiverRow> waivers) {

    public HtmlView {
        Objects.requireNonNull(verdict, "verdict");
        counts = List.copyOf(counts);
        target = List.copyOf(target);
        run = List.copyOf(run);
        groups = List.copyOf(groups);
        cleanup = List.copyOf(cleanup);
        transcript = List.copyOf(transcript);
        settings = List.copyOf(settings);
        waivers = List.copyOf(waivers);
    }

    /**
     * One waiver and what became of it.
     *
     * @param id the waived requirement
     * @param status APPLIED, EXPIRED, OTHER_PAYLOAD_EXEC, PAYLOAD_EXEC_UNKNOWN or UNUSED
     * @param statusClass {@code applied}, {@code not-applied} or {@code unused}
     * @param approvedBy who accepted the deviation
     * @param expires its last day
     * @param reason why it was accepted
     * @param note what happened in this run
     */
    public record WaiverRow(String id, String status, String statusClass, String approvedBy, String expires,
                            String reason, String note) {
    }

    /**
     * A labelled value.
     *
     * @param label what it is
     * @param value its text
     * @param block whether it reads better as a preformatted block
     */
    public record Fact(String label, String value, boolean block) {
        public Fact {
            Objects.requireNonNull(label, "label");
            Objects.requireNonNull(value, "value");
        }
    }

    /**
     * How many results had one outcome.
     *
     * @param outcome the outcome's name
     * @param count how many
     * @param cssClass its colour class
     */
    public record Count(String outcome, long count, String cssClass) {
    }

    /**
     * One requirement group's table.
     *
     * @param id e.g. {@code SIG-CONF}
     * @param title e.g. {@code Configure signal}
     * @param summary e.g. {@code 4 pass, 1 fail}
     * @param rows its results in catalog order
     */
    public record Group(String id, String title, String summary, List<Row> rows) {
        public Group {
            rows = List.copyOf(rows);
        }
    }

    /**
     * One requirement's result.
     *
     * @param id the requirement ID
     * @param level REQUIRED, RECOMMENDED or INFO
     * @param levelClass the level's CSS class
     * @param title the requirement's title
     * @param section the spec section, or empty
     * @param outcome the outcome's name
     * @param outcomeClass the outcome's CSS class
     * @param message the result's message
     * @param facts expected, actual, blocked by, enable with (those that apply)
     * @param warnings RECOMMENDED-level remarks
     * @param evidence the evidence in order
     * @param timings every timing sample
     * @param commands the transcript entries whose purpose names this requirement
     */
    public record Row(String id, String level, String levelClass, String title, String section, String outcome,
                      String outcomeClass, String message, List<Fact> facts, List<String> warnings,
                      List<Fact> evidence, List<Fact> timings, List<Command> commands) {
        public Row {
            facts = List.copyOf(facts);
            warnings = List.copyOf(warnings);
            evidence = List.copyOf(evidence);
            timings = List.copyOf(timings);
            commands = List.copyOf(commands);
        }

        /** Whether there is anything to expand. */
        public boolean hasDetails() {
            return !facts.isEmpty() || !evidence.isEmpty() || !timings.isEmpty() || !commands.isEmpty();
        }

        /** The label of the expander, e.g. {@code evidence (4), timings (10), commands (2)}. */
        public String detailsLabel() {
            StringBuilder b = new StringBuilder();
            if (!facts.isEmpty() || !evidence.isEmpty()) {
                b.append("evidence (").append(facts.size() + evidence.size()).append(')');
            }
            if (!timings.isEmpty()) {
                b.append(b.length() > 0 ? ", " : "").append("timings (").append(timings.size()).append(')');
            }
            if (!commands.isEmpty()) {
                b.append(b.length() > 0 ? ", " : "").append("commands (").append(commands.size()).append(')');
            }
            return b.toString();
        }
    }

    /**
     * One command the kit ran on the payload.
     *
     * @param index its position in the transcript, from 1
     * @param session the SSH session
     * @param purpose what it was for
     * @param command the exact command line
     * @param exitStatus the exit status, or {@code -}
     * @param toExit time to the exit status, or {@code -}
     * @param toClose time to the channel's close, or {@code -}
     * @param startedAt when it started
     * @param timedOut whether the kit stopped waiting
     */
    public record Command(int index, String session, String purpose, String command, String exitStatus, String toExit,
                          String toClose, String startedAt, boolean timedOut) {
    }

    /**
     * One entry of the cleanup manifest.
     *
     * @param kind what it is
     * @param target its path or process
     * @param origin this run or an earlier one
     * @param removed whether it is gone
     * @param note what happened
     */
    public record CleanupRow(String kind, String target, String origin, boolean removed, String note) {
    }

    /**
     * An SVG bar chart of timing samples against a budget line; every coordinate is pre-formatted.
     *
     * @param width the SVG's width
     * @param height the SVG's height
     * @param plotLeft x of the y axis
     * @param plotRight x of the plot's right edge
     * @param plotTop y of the plot's top
     * @param plotBottom y of the x axis
     * @param budgetY y of the budget line
     * @param budgetLabel e.g. {@code budget 15 s}
     * @param ticks the y axis ticks
     * @param bars one per sample
     * @param legend the bar classes and what they mean
     * @param summary a sentence for screen readers and the caption
     */
    public record Chart(int width, int height, int plotLeft, int plotRight, int plotTop, int plotBottom,
                       String budgetY, String budgetLabel, List<Tick> ticks, List<Bar> bars, List<Legend> legend,
                       String summary) {
        public Chart {
            ticks = List.copyOf(ticks);
            bars = List.copyOf(bars);
            legend = List.copyOf(legend);
        }
    }

    /**
     * A y axis tick.
     *
     * @param y its y
     * @param label e.g. {@code 5 s}
     */
    public record Tick(String y, String label) {
    }

    /**
     * One bar.
     *
     * @param x left edge
     * @param y top edge
     * @param width bar width
     * @param height bar height
     * @param cssClass its kind's class
     * @param tooltip the sample's name and value
     * @param label the value above the bar, or empty when the bars are too narrow
     * @param labelX x of the label's centre
     * @param labelY y of the label's baseline
     * @param run the run number below the bar, or empty
     * @param runX x of the run number's centre
     */
    public record Bar(String x, String y, String width, String height, String cssClass, String tooltip, String label,
                      String labelX, String labelY, String run, String runX) {
    }

    /**
     * A legend entry.
     *
     * @param cssClass the bars' class
     * @param text what they are
     * @param x where the entry starts
     */
    public record Legend(String cssClass, String text, String x) {
    }
}
