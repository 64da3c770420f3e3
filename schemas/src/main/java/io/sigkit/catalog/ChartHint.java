package io.sigkit.catalog;

import java.util.Objects;

/**
 * The catalog's choice of the requirement whose timings report.html draws as a chart against their budget, and the
 * words around the chart.
 *
 * @param requirementId the requirement whose timings are charted, e.g. {@code SIG-CONF-002}
 * @param samples what the timings are, in the plural, e.g. {@code configure timings}
 * @param caption the sentence under the chart saying what was measured, and where
 */
public record ChartHint(String requirementId, String samples, String caption) {
    public ChartHint {
        Objects.requireNonNull(requirementId, "requirementId");
        Objects.requireNonNull(samples, "samples");
        Objects.requireNonNull(caption, "caption");
    }
}
