package io.sigkit.reports;

import static org.assertj.core.api.Assertions.assertThat;

import io.sigkit.catalog.ChartHint;
import io.sigkit.catalog.RequirementCatalog;
import io.sigkit.check.Measurement;
import io.sigkit.check.RequirementResult;
import io.sigkit.reports.internal.HtmlView;
import io.sigkit.run.RunResult;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The timing chart takes its requirement and words from the catalog, and each sample's run and budget from itself. */
class TimingChartTests {
    private static final ChartHint HINT = RequirementCatalog.load().timingChart().orElseThrow();

    @Test
    void samples_are_grouped_by_their_run_whatever_their_names_say() {
        // GIVEN samples whose names carry no run number (and one whose name carries a misleading one)
        List<Measurement> samples = List.of(
                Measurement.atKit("first exit", Duration.ofMillis(300)).inRun(1).within(Duration.ofSeconds(2)),
                Measurement.atKit("first close #7", Duration.ofMillis(310)).inRun(1).within(Duration.ofSeconds(2)),
                Measurement.atKit("second close", Duration.ofMillis(2_500)).inRun(2).within(Duration.ofSeconds(2)));

        // WHEN drawn
        HtmlView.Chart chart = TimingChart.draw(samples, "widget timings");

        // THEN two runs are labelled, the over-budget sample stands out, the budget is the samples' own
        assertThat(chart.bars()).extracting(HtmlView.Bar::run).containsExactly("run #1", "", "run #2");
        assertThat(chart.bars()).extracting(HtmlView.Bar::cssClass).containsExactly("exit", "close", "close over");
        assertThat(chart.budgetLabel()).isEqualTo("budget 2 s");
        assertThat(chart.summary()).startsWith("3 widget timings from 2 runs, longest 2.50 s");
    }

    @Test
    void a_result_whose_timings_have_no_budget_gets_no_chart_and_a_note_saying_so() {
        // GIVEN the charted requirement with timings that carry no budget
        RunResult run = RunResultTestCase.run(RunResultTestCase.results(r -> r.id().equals(HINT.requirementId())
                        ? RequirementResult.of(r).evidence("observed", "one run").timing(
                                Measurement.atKit("to channel close", Duration.ofMillis(40)))
                                .pass("fine")
                        : RunResultTestCase.pass(r)), false, RunResultTestCase.identity(), List.of(), List.of(), 1, 1);

        // THEN nothing is drawn, and the note says there is nothing to show
        assertThat(TimingChart.of(run, HINT)).isNull();
        assertThat(TimingChart.note(run, HINT)).isEqualTo(HINT.requirementId() + " is PASS and has no "
                + HINT.samples() + " to show.");
    }

    @Test
    void the_heading_and_anchor_come_from_the_catalog() {
        assertThat(TimingChart.heading(HINT)).isEqualTo("Configure timings (SIG-CONF-002)");
        assertThat(TimingChart.anchor(HINT)).isEqualTo("configure-timings");
    }
}
