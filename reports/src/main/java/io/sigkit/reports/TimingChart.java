package io.sigkit.reports;

import io.sigkit.catalog.ChartHint;
import io.sigkit.catalog.RequirementCatalog;
import io.sigkit.check.Measurement;
import io.sigkit.check.RequirementResult;
import io.sigkit.reports.internal.HtmlView.Bar;
import io.sigkit.reports.internal.HtmlView.Chart;
import io.sigkit.reports.internal.HtmlView.Legend;
import io.sigkit.reports.internal.HtmlView.Tick;
import io.sigkit.run.RunResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The SVG geometry of report.html's timing chart: every timing of the requirement the catalog's {@code timingChart}
 * names (SIG-CONF-002), as bars grouped by run, against their budget. Which requirement, and the words around the
 * chart, come from the catalog; the run and the budget of each sample from the {@link Measurement} itself.
 */
final class TimingChart {

    private TimingChart() {
    }

    /** The catalog's charted requirement, if it names one. */
    static Optional<ChartHint> hint() {
        return RequirementCatalog.load().timingChart();
    }

    /** The id of the chart's section: {@code configure-timings}. */
    static String anchor(ChartHint hint) {
        return hint.samples().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-");
    }

    /** The chart's heading: {@code Configure timings (SIG-CONF-002)}. */
    static String heading(ChartHint hint) {
        String samples = hint.samples();
        return samples.substring(0, 1).toUpperCase(Locale.ROOT) + samples.substring(1) + " (" + hint.requirementId() + ")";
    }

    /** What the chart shows, or why there is none. */
    static String note(RunResult result, ChartHint hint) {
        String id = hint.requirementId();
        return result.result(id).map(r -> budgeted(r).isEmpty()
                        ? id + " is " + r.outcome() + " and has no " + hint.samples() + " to show."
                        : hint.caption())
                .orElse("This run has no " + id + " result, so there are no " + hint.samples() + " to show.");
    }

    /** The chart of the hint's requirement in this run; null when it has no timings with a budget. */
    static Chart of(RunResult result, ChartHint hint) {
        return result.result(hint.requirementId()).map(r -> draw(budgeted(r), hint.samples())).orElse(null);
    }

    /** The chart of the catalog's charted requirement in this run; null when there is none. */
    static Chart of(RunResult result) {
        return hint().map(h -> of(result, h)).orElse(null);
    }

    /** The timings of a result that carry a budget. */
    private static List<Measurement> budgeted(RequirementResult r) {
        return r.timings().stream().filter(m -> m.budget() != null).toList();
    }

    /**
     * Bars for {@code samples} grouped by {@link Measurement#run() run} (first-seen order; a sample of no run stands
     * alone), against the largest of their budgets; null when there are no samples.
     */
    static Chart draw(List<Measurement> samples, String samplesNoun) {
        if (samples.isEmpty()) {
            return null;
        }
        Duration budget = samples.stream().map(Measurement::budget).filter(Objects::nonNull)
                .max(Comparator.naturalOrder()).orElseThrow();
        Map<String, List<Measurement>> runs = new LinkedHashMap<>();
        int unnumbered = 0;
        for (Measurement m : samples) {
            String key = m.run() > 0 ? "#" + m.run() : "?" + unnumbered++;
            runs.computeIfAbsent(key, k -> new ArrayList<>()).add(m);
        }
        int width = 960;
        int height = 330;
        int left = 64;
        int right = width - 24;
        int top = 44;
        int bottom = height - 40;
        double maxMillis = Math.max(budget.toMillis() * 1.1,
                samples.stream().mapToDouble(Measurement::millis).max().orElse(0) * 1.05);
        double step = tickStep(maxMillis);
        maxMillis = Math.ceil(maxMillis / step) * step;
        double scale = (bottom - top) / maxMillis;

        List<Tick> ticks = new ArrayList<>();
        for (double ms = 0; ms <= maxMillis + 1e-9; ms += step) {
            ticks.add(new Tick(fmt(bottom - ms * scale), seconds(ms)));
        }
        // bars of one run side by side, runs apart; the whole block centred in the plot
        int bars = samples.size();
        int gaps = runs.size() - 1;
        double plotWidth = right - left - 24;
        double pitch = plotWidth / (bars + gaps * 1.2);
        double barWidth = Math.min(pitch * 0.9, 40);
        double inner = barWidth + Math.min(4, pitch * 0.1);
        double gap = Math.max(inner * 1.2, Math.min(pitch * 1.2, 3 * inner));
        double used = bars * inner + gaps * gap;
        boolean labels = barWidth >= 30;
        List<Bar> barList = new ArrayList<>();
        double x = left + 12 + (plotWidth - used) / 2;
        for (Map.Entry<String, List<Measurement>> run : runs.entrySet()) {
            double groupStart = x;
            int first = barList.size();
            for (Measurement m : run.getValue()) {
                double h = Math.max(1.5, m.millis() * scale);
                double y = bottom - h;
                String css = barClass(m) + (m.duration().compareTo(budget) > 0 ? " over" : "");
                barList.add(new Bar(fmt(x), fmt(y), fmt(barWidth), fmt(h), css,
                        ReportText.visible(m.name()) + ": " + ReportText.duration(m.duration()) + " (" + m.where() + ")",
                        labels ? compact(m.duration()) : "", fmt(x + barWidth / 2), fmt(y - 4), "", "0"));
                x += inner;
            }
            if (run.getKey().startsWith("#")) {
                Bar b = barList.get(first);
                double centre = (groupStart + x - (inner - barWidth)) / 2;
                barList.set(first, new Bar(b.x(), b.y(), b.width(), b.height(), b.cssClass(), b.tooltip(), b.label(),
                        b.labelX(), b.labelY(), "run " + run.getKey(), fmt(centre)));
            }
            x += gap - inner + barWidth;
        }
        List<Legend> legend = new ArrayList<>();
        int lx = left;
        for (String[] entry : new String[][] {
                {"exit", "kit: to exit status"}, {"close", "kit: to channel close"},
                {"payload", "payload clock"}, {"over", "over budget"}}) {
            boolean present = entry[0].equals("over")
                    ? samples.stream().anyMatch(m -> m.duration().compareTo(budget) > 0)
                    : samples.stream().anyMatch(m -> barClass(m).equals(entry[0]));
            if (present) {
                legend.add(new Legend(entry[0], entry[1], String.valueOf(lx)));
                lx += 20 + entry[1].length() * 7 + 24;
            }
        }
        double maxSample = samples.stream().mapToDouble(Measurement::millis).max().orElse(0);
        String summary = samples.size() + " " + samplesNoun + " from " + runs.size() + " run" + (runs.size() == 1 ? "" : "s")
                + ", longest " + ReportText.duration(Duration.ofNanos((long) (maxSample * 1_000_000))) + ", budget "
                + compact(budget);
        return new Chart(width, height, left, right, top, bottom, fmt(bottom - budget.toMillis() * scale),
                "budget " + compact(budget), ticks, barList, legend, summary);
    }

    private static String barClass(Measurement m) {
        if ("payload".equals(m.where())) {
            return "payload";
        }
        String name = m.name().toLowerCase(Locale.ROOT);
        if (name.contains("close")) {
            return "close";
        }
        return name.contains("exit") ? "exit" : "other";
    }

    private static double tickStep(double maxMillis) {
        for (double step : new double[] {100, 200, 500, 1000, 2000, 2500, 5000, 10_000, 15_000, 30_000, 60_000,
                120_000, 300_000, 600_000}) {
            if (maxMillis / step <= 8) {
                return step;
            }
        }
        return Math.ceil(maxMillis / 8 / 600_000) * 600_000;
    }

    private static String seconds(double millis) {
        return millis == Math.rint(millis / 1000) * 1000 ? String.format(Locale.ROOT, "%d s", (long) (millis / 1000))
                : String.format(Locale.ROOT, "%.1f s", millis / 1000);
    }

    private static String compact(Duration d) {
        double ms = d.toNanos() / 1_000_000.0;
        if (ms < 1000) {
            return String.format(Locale.ROOT, "%.0f ms", ms);
        }
        return ms % 1000 == 0 ? String.format(Locale.ROOT, "%d s", (long) (ms / 1000))
                : String.format(Locale.ROOT, "%.2f s", ms / 1000);
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }
}
