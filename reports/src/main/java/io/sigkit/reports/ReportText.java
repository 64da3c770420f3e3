package io.sigkit.reports;

import io.sigkit.catalog.RequirementCatalog;
import io.sigkit.check.Measurement;
import io.sigkit.run.Kit;
import io.sigkit.text.SafeText;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Text shared by the reports: requirement groups, durations, instants, and payload output made safe to show. */
final class ReportText {

    private static final DateTimeFormatter DISPLAY_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'", Locale.ROOT).withZone(ZoneOffset.UTC);

    private ReportText() {
    }

    /** The kit that wrote a report, for people: the run's version, the build's commit and the jar's SHA-256. */
    static String kit(String kitVersion) {
        Kit.Provenance p = Kit.provenance();
        return new Kit.Provenance(kitVersion == null ? "unknown" : kitVersion, p.commit(), p.dirty(), p.jar()).describe();
    }


    /** The group of a requirement ID: {@code SIG-CONF-002} is in {@code SIG-CONF}. */
    static String group(String requirementId) {
        int dash = requirementId.lastIndexOf('-');
        return dash > 0 ? requirementId.substring(0, dash) : requirementId;
    }

    /** The group's heading from the catalog, e.g. {@code Configure signal}; the group itself when the catalog has none. */
    static String groupTitle(String group) {
        return RequirementCatalog.load().groups().getOrDefault(group, group);
    }

    /** {@code 412.3 ms} below ten seconds' worth of milliseconds, {@code 15.80 s} above; {@code -} for null. */
    static String duration(Duration d) {
        if (d == null) {
            return "-";
        }
        double millis = d.toNanos() / 1_000_000.0;
        return millis < 1000 ? String.format(Locale.ROOT, "%.1f ms", millis)
                : String.format(Locale.ROOT, "%.2f s", millis / 1000.0);
    }

    /** Milliseconds with fractions, as the JSON report carries them; null for null. */
    static Double millis(Duration d) {
        return d == null ? null : d.toNanos() / 1_000_000.0;
    }

    /** {@code 2026-11-23 11:00:00 UTC}; {@code -} for null. */
    static String instant(Instant t) {
        return t == null ? "-" : DISPLAY_TIME.format(t);
    }

    /** {@code configure #1 to exit status: 312.4 ms (kit)}. */
    static String timing(Measurement m) {
        return m.name() + ": " + duration(m.duration()) + " (" + m.where() + ")";
    }

    /** The host part of {@code host:port} or {@code [v6]:port}. */
    static String host(String address) {
        String host = address.matches(".*:[0-9]+$") ? address.substring(0, address.lastIndexOf(':')) : address;
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        return host.isEmpty() ? "unknown" : host;
    }

    /**
     * Payload text made safe to show in XML, HTML and Markdown, and in a terminal that prints them: every control
     * character but the line feed, DEL, the C1 controls, the bidi controls and lone surrogates are shown escaped as
     * {@link SafeText#escapeText} does ({@code \x1b}, <code>&#92;u202e</code>), and the two noncharacters XML 1.0
     * also forbids, U+FFFE and U+FFFF, as <code>&#92;ufffe</code>, so that nothing is lost silently, no reader chokes
     * and no terminal acts on what the payload wrote. Escaping for the format itself is left to the format's writer.
     */
    static String visible(String s) {
        if (s == null) {
            return "";
        }
        String text = SafeText.escapeText(s);
        if (text.indexOf('\ufffe') < 0 && text.indexOf('\uffff') < 0) {
            return text;
        }
        return text.replace("\ufffe", "\\ufffe").replace("\uffff", "\\uffff");
    }

    /** {@link #visible} on one line: each run of line feeds and blanks becomes one space. */
    static String oneLine(String s) {
        return visible(s).replaceAll("[\\n ]+", " ").trim();
    }

    /**
     * An evidence value as text: strings as they are, lists one item per line, maps {@code key: value} per line,
     * durations and instants readable; always passed through {@link #visible}.
     */
    static String value(Object value) {
        return visible(raw(value));
    }

    /** Whether an evidence value reads better as a block than inline. */
    static boolean multiline(Object value) {
        String text = raw(value);
        return text.indexOf('\n') >= 0 || text.length() > 120;
    }

    private static String raw(Object value) {
        if (value == null) {
            return "null";
        }
        if (value instanceof Duration d) {
            return duration(d);
        }
        if (value instanceof Instant t) {
            return t.toString();
        }
        if (value instanceof Map<?, ?> map) {
            List<String> lines = new ArrayList<>();
            map.forEach((k, v) -> lines.add(k + ": " + raw(v)));
            return String.join("\n", lines);
        }
        if (value instanceof Collection<?> list) {
            List<String> lines = new ArrayList<>();
            list.forEach(v -> lines.add(raw(v)));
            return String.join("\n", lines);
        }
        if (value instanceof Object[] array) {
            return raw(Arrays.asList(array));
        }
        return String.valueOf(value);
    }
}
