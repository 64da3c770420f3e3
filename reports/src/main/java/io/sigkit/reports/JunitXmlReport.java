package io.sigkit.reports;

import io.sigkit.catalog.Level;
import io.sigkit.catalog.Tier;
import io.sigkit.check.Measurement;
import io.sigkit.check.Outcome;
import io.sigkit.check.RequirementResult;
import io.sigkit.run.RunResult;
import io.sigkit.run.TargetIdentity;
import io.sigkit.waiver.Waiver;
import io.sigkit.waiver.WaiverDecision;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/**
 * The JUnit XML report ({@code junit.xml}) in the Ant/Surefire format that Jenkins, GitLab and Maven's report readers
 * accept: one {@code <testsuite>} for the run, one {@code <testcase>} per requirement.
 *
 * <ul>
 *   <li>{@code classname} is {@code sigkit.<group>} (e.g. {@code sigkit.SIG-CONF}), {@code name} the requirement's
 *       display name ({@code SIG-CONF-002 [REQUIRED] configure completes within 15 seconds}).</li>
 *   <li>PASS is a passing testcase; FAIL of a REQUIRED requirement (and of a RECOMMENDED one under {@code --strict})
 *       is a {@code <failure type="REQUIRED|RECOMMENDED">}, with expected, actual and evidence in its body.</li>
 *   <li>FAIL of a RECOMMENDED requirement without {@code --strict} (or of an INFO one) does not count against the
 *       verdict, so it is a <em>passing</em> testcase whose {@code <system-out>} starts with {@code WARNING}: a CI
 *       job goes red exactly when the certification does. The suite's {@code recommended_failures} property counts
 *       them.</li>
 *   <li>WAIVED (a failure an applied waiver accepts) stays a failure where it counts (REQUIRED, or RECOMMENDED under
 *       {@code --strict}): {@code <failure type="WAIVED">} whose message starts with {@code WAIVED (approved by …,
 *       until …: reason)} followed by the kit's message, so the waiver is read with the failure; where it does not
 *       count it is a passing testcase whose {@code <system-out>} starts with {@code WAIVED}, as a failure there would
 *       be. The suite's {@code waived} property counts them, and one {@code waiver.<ID>} property per waiver says
 *       whether it was applied (or expired, or bound to another payload_exec).</li>
 *   <li>ERROR (the kit could not evaluate the requirement) is an {@code <error>} whatever the level.</li>
 *   <li>SKIPPED and NOT_VERIFIED are {@code <skipped message="blocked by …">} / {@code "… (enable with …)"}.</li>
 *   <li>Every testcase's {@code <system-out>} carries its message, warnings, evidence and timings.</li>
 *   <li>{@code time} of a testcase is its longest timing sample in seconds (0 when it has none; the kit does not time
 *       whole checks); of the suite, the run's duration. {@code hostname} is the payload's host: the commands under
 *       test ran there.</li>
 * </ul>
 *
 * <p>Written with the JDK's StAX {@link XMLStreamWriter}, which escapes markup. XML 1.0 cannot carry most C0 control
 * characters at all, not even as character references, so payload output is passed through {@link ReportText#visible}
 * first: control characters are shown as the terminal output shows them ({@code \x1b}, {@code \x07}, {@code \r},
 * <code>&#92;u0085</code>, <code>&#92;u202e</code>), which keeps the file well-formed, loses nothing, and keeps CI
 * consoles that print test output from acting on them.
 */
public final class JunitXmlReport {

    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ISO_LOCAL_DATE_TIME;

    private JunitXmlReport() {
    }

    /**
     * Writes the report to {@code file}, creating its directory.
     *
     * @throws UncheckedIOException naming the file when it cannot be written
     */
    public static void write(RunResult result, Path file) {
        Objects.requireNonNull(result, "result");
        ReportFiles.write(file, "JUnit XML report", out -> {
            try {
                writeTo(result, out);
            } catch (XMLStreamException e) {
                throw new java.io.IOException("XML output failed: " + e.getMessage(), e);
            }
        });
    }

    private static void writeTo(RunResult result, OutputStream out) throws XMLStreamException {
        XMLStreamWriter xml = XMLOutputFactory.newFactory().createXMLStreamWriter(out, "UTF-8");
        xml.writeStartDocument("UTF-8", "1.0");
        nl(xml, 0);
        TargetIdentity target = result.target();
        xml.writeStartElement("testsuite");
        attr(xml, "name", "sigkit Signaling API " + result.specVersion() + " certification of "
                + target.user() + "@" + target.address());
        attr(xml, "tests", String.valueOf(result.results().size()));
        attr(xml, "failures", String.valueOf(result.results().stream().filter(r -> r.isFailure(result.strict())
                || r.outcome() == Outcome.WAIVED && counts(r, result.strict())).count()));
        attr(xml, "errors", String.valueOf(result.count(Outcome.ERROR)));
        attr(xml, "skipped", String.valueOf(result.count(Outcome.SKIPPED) + result.count(Outcome.NOT_VERIFIED)));
        attr(xml, "time", seconds(result.startedAt() == null || result.endedAt() == null ? Duration.ZERO : result.duration()));
        if (result.startedAt() != null) {
            attr(xml, "timestamp", TIMESTAMP.format(
                    LocalDateTime.ofInstant(result.startedAt().truncatedTo(ChronoUnit.SECONDS), ZoneOffset.UTC)));
        }
        attr(xml, "hostname", ReportText.host(target.address()));

        nl(xml, 1);
        xml.writeStartElement("properties");
        for (Map.Entry<String, String> p : properties(result).entrySet()) {
            nl(xml, 2);
            xml.writeEmptyElement("property");
            attr(xml, "name", p.getKey());
            attr(xml, "value", p.getValue());
        }
        nl(xml, 1);
        xml.writeEndElement();

        for (RequirementResult r : result.results()) {
            nl(xml, 1);
            testcase(xml, r, result.strict(), result.waiverOf(r.id()).orElse(null));
        }
        nl(xml, 0);
        xml.writeEndElement();
        nl(xml, 0);
        xml.writeEndDocument();
        xml.flush();
        xml.close();
    }

    private static Map<String, String> properties(RunResult result) {
        TargetIdentity t = result.target();
        Map<String, String> p = new LinkedHashMap<>();
        p.put("target", t.user() + "@" + t.address());
        p.put("verdict", result.verdict().name());
        p.put("host_key", (t.hostKeyType() + " " + t.hostKeyFingerprint()).trim());
        p.put("host_key_policy", result.hostKeyPolicy() == null ? "unknown" : result.hostKeyPolicy().name());
        p.put("host_key_newly_trusted", String.valueOf(result.hostKeyNewlyTrusted()));
        p.put("server_version", t.serverVersion());
        p.put("login_shell", t.loginShell());
        p.put("os", t.os());
        p.put("payload_exec_sha256", t.payloadExecSha256());
        p.put("kit_version", result.kitVersion());
        p.put("kit", ReportText.kit(result.kitVersion()));
        p.put("catalog_version", result.catalogVersion());
        p.put("spec_version", result.specVersion());
        p.put("tiers", result.tiers().stream().sorted().map(Tier::jsonName).collect(Collectors.joining(",")));
        p.put("strict", String.valueOf(result.strict()));
        p.put("recommended_failures", String.valueOf(result.results().stream()
                .filter(r -> r.outcome() == Outcome.FAIL && !r.isFailure(result.strict())).count()));
        p.put("waived", String.valueOf(result.count(Outcome.WAIVED)));
        for (WaiverDecision d : result.waivers()) {
            p.merge("waiver." + d.waiver().id(), d.status() + ": " + d.waiver().describe() + " (" + d.note() + ")",
                    (a, b) -> a + "; " + b);
        }
        p.put("sessions_opened", String.valueOf(result.sessionsOpened()));
        p.put("exec_requests", String.valueOf(result.execRequests()));
        p.put("cleanup_complete", String.valueOf(result.cleanupComplete()));
        p.put("started_at", String.valueOf(result.startedAt()));
        p.put("ended_at", String.valueOf(result.endedAt()));
        return p;
    }

    private static void testcase(XMLStreamWriter xml, RequirementResult r, boolean strict, Waiver waiver)
            throws XMLStreamException {
        xml.writeStartElement("testcase");
        attr(xml, "classname", "sigkit." + ReportText.group(r.id()));
        attr(xml, "name", r.id() + " [" + r.level() + "] " + r.title());
        attr(xml, "time", seconds(r.timings().stream().map(Measurement::duration)
                .max(Comparator.naturalOrder()).orElse(Duration.ZERO)));
        String details = details(r);
        if (r.outcome() == Outcome.WAIVED) {
            details = waived(waiver) + "\n" + details;
        }
        switch (r.outcome()) {
            case FAIL -> {
                if (r.isFailure(strict)) {
                    nl(xml, 2);
                    xml.writeStartElement("failure");
                    attr(xml, "message", ReportText.oneLine(r.message()));
                    attr(xml, "type", r.level().name());
                    text(xml, details);
                    xml.writeEndElement();
                } else {
                    details = "WARNING: " + r.level() + " requirement failed; it does not count against the verdict"
                            + (r.level() == Level.RECOMMENDED ? " (--strict makes it count)" : "") + ".\n" + details;
                }
            }
            case ERROR -> {
                nl(xml, 2);
                xml.writeStartElement("error");
                attr(xml, "message", ReportText.oneLine(r.message()));
                attr(xml, "type", r.level().name());
                text(xml, details);
                xml.writeEndElement();
            }
            case SKIPPED, NOT_VERIFIED -> {
                nl(xml, 2);
                xml.writeEmptyElement("skipped");
                attr(xml, "message", ReportText.oneLine(r.message()));
            }
            case WAIVED -> {
                if (counts(r, strict)) {
                    nl(xml, 2);
                    xml.writeStartElement("failure");
                    attr(xml, "message", ReportText.oneLine(waived(waiver) + " " + r.message()));
                    attr(xml, "type", "WAIVED");
                    text(xml, details);
                    xml.writeEndElement();
                }
            }
            case PASS -> {
                // a passing testcase: the evidence goes to system-out below
            }
            default -> throw new IllegalStateException("unknown outcome " + r.outcome());
        }
        nl(xml, 2);
        xml.writeStartElement("system-out");
        text(xml, details);
        xml.writeEndElement();
        nl(xml, 1);
        xml.writeEndElement();
    }

    /** Whether a result's requirement counts for the verdict: REQUIRED, or RECOMMENDED under strict. */
    private static boolean counts(RequirementResult r, boolean strict) {
        return r.level() == Level.REQUIRED || (strict && r.level() == Level.RECOMMENDED);
    }

    /** {@code WAIVED (approved by …, until …: reason):} the line a waived failure starts with. */
    private static String waived(Waiver waiver) {
        return waiver == null ? "WAIVED:" : "WAIVED (" + waiver.describe() + "):";
    }

    /** The text a CI reader shows for a testcase: message, expected/actual, warnings, evidence, timings. */
    static String details(RequirementResult r) {
        StringBuilder b = new StringBuilder();
        b.append(r.id()).append(" [").append(r.level()).append("] ").append(r.title()).append('\n');
        b.append("outcome: ").append(r.outcome()).append('\n');
        b.append("message: ").append(r.message()).append('\n');
        if (r.expected() != null) {
            b.append("expected: ").append(r.expected()).append('\n');
        }
        if (r.actual() != null) {
            b.append("actual: ").append(r.actual()).append('\n');
        }
        if (r.blockedBy() != null) {
            b.append("blocked by: ").append(r.blockedBy()).append('\n');
        }
        if (r.enabledBy() != null) {
            b.append("enable with: ").append(r.enabledBy()).append('\n');
        }
        for (String w : r.warnings()) {
            b.append("warning: ").append(w).append('\n');
        }
        if (!r.evidence().isEmpty()) {
            b.append("evidence:\n");
            r.evidence().forEach((k, v) -> {
                String text = ReportText.value(v);
                if (text.indexOf('\n') >= 0) {
                    b.append("  ").append(k).append(":\n");
                    text.lines().forEach(line -> b.append("    ").append(line).append('\n'));
                } else {
                    b.append("  ").append(k).append(": ").append(text).append('\n');
                }
            });
        }
        if (!r.timings().isEmpty()) {
            b.append("timings:\n");
            r.timings().forEach(m -> b.append("  ").append(ReportText.timing(m)).append('\n'));
        }
        return b.toString();
    }

    private static String seconds(Duration d) {
        return String.format(Locale.ROOT, "%.3f", d.toNanos() / 1e9);
    }

    private static void attr(XMLStreamWriter xml, String name, String value) throws XMLStreamException {
        xml.writeAttribute(name, ReportText.visible(value));
    }

    private static void text(XMLStreamWriter xml, String value) throws XMLStreamException {
        xml.writeCharacters(ReportText.visible(value));
    }

    private static void nl(XMLStreamWriter xml, int depth) throws XMLStreamException {
        xml.writeCharacters("\n" + "  ".repeat(depth));
    }
}
