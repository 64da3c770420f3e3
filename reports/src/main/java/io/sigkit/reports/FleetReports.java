package io.sigkit.reports;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;
import io.sigkit.reports.FleetSummary.Member;
import io.sigkit.reports.FleetSummary.Status;
import io.sigkit.reports.internal.FleetView;
import io.sigkit.run.Kit;
import io.sigkit.text.SafeJson;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.stream.Collectors;
import javax.xml.stream.XMLEventReader;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;
import javax.xml.stream.events.Attribute;
import javax.xml.stream.events.StartElement;
import javax.xml.stream.events.XMLEvent;

/**
 * The summary of a fleet certification, written beside the targets' report directories: {@code fleet.json} (valid
 * against {@code fleet.v1.schema.json}), {@code junit.xml} (one {@code <testsuite>} per target, named by the target:
 * a certified target's suite is its own junit.xml's; an unreachable or failed one is a suite of one {@code <error>}),
 * and {@code index.html} (a table linking each target's report.html, rendered by jte with contextual escaping).
 */
public final class FleetReports {

    /** File name of the fleet's JSON summary. */
    public static final String JSON = "fleet.json";
    /** File name of the fleet's JUnit XML report. */
    public static final String JUNIT_XML = "junit.xml";
    /** File name of the fleet's HTML index. */
    public static final String HTML = "index.html";

    private static final JsonMapper MAPPER = JsonMapper.builder(SafeJson.factory())
            .enable(SerializationFeature.INDENT_OUTPUT).build();
    private static final TemplateEngine ENGINE = TemplateEngine.createPrecompiled(null, ContentType.Html,
            FleetReports.class.getClassLoader(), "io.sigkit.reports.internal");

    private FleetReports() {
    }

    /**
     * Writes the three files into {@code dir}, where each certified member's reports already are (in its
     * {@code reportDir}).
     *
     * @return the files written: fleet.json, junit.xml, index.html
     * @throws UncheckedIOException naming the file that could not be written
     */
    public static List<Path> writeAll(FleetSummary fleet, Path dir) {
        Objects.requireNonNull(fleet, "fleet");
        Path json = dir.resolve(JSON);
        Path junit = dir.resolve(JUNIT_XML);
        Path html = dir.resolve(HTML);
        ReportFiles.writeText(json, "fleet summary", json(fleet) + "\n");
        ReportFiles.write(junit, "fleet JUnit XML report", out -> {
            try {
                junit(fleet, dir, out);
            } catch (XMLStreamException e) {
                throw new IOException("XML output failed: " + e.getMessage(), e);
            }
        });
        ReportFiles.writeText(html, "fleet index", html(fleet));
        return List.of(json, junit, html);
    }

    /** fleet.json as text. */
    public static String json(FleetSummary fleet) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode root = f.objectNode();
        Member worst = fleet.worst();
        root.put("fleetVersion", 1);
        root.put("kitVersion", Kit.VERSION);
        root.put("inventory", fleet.inventory());
        root.put("startedAt", fleet.startedAt().toString());
        root.put("endedAt", fleet.endedAt().toString());
        root.put("durationMillis", Duration.between(fleet.startedAt(), fleet.endedAt()).toMillis());
        root.put("parallel", fleet.parallel());
        root.put("status", worst.status().name());
        root.put("exitCode", worst.exitCode());
        ObjectNode counts = root.putObject("counts");
        for (Status s : Status.values()) {
            counts.put(s.name(), fleet.count(s));
        }
        ArrayNode targets = root.putArray("targets");
        for (Member m : fleet.members()) {
            ObjectNode t = targets.addObject();
            t.put("name", m.name());
            t.put("target", m.target());
            t.put("status", m.status().name());
            t.put("exitCode", m.exitCode());
            t.put("durationMillis", m.duration().toMillis());
            t.put("reportDir", m.reportDir());
            ArrayNode failed = t.putArray("failed");
            m.failedRequirements().forEach(failed::add);
            t.put("error", m.error());
        }
        try {
            return MAPPER.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("cannot serialise the fleet summary", e);
        }
    }

    /** index.html as text. */
    public static String html(FleetSummary fleet) {
        Member worst = fleet.worst();
        List<FleetView.Row> rows = new ArrayList<>();
        for (Member m : fleet.members()) {
            String detail = m.error() != null ? ReportText.oneLine(m.error())
                    : m.failedRequirements().isEmpty() ? "" : String.join(", ", m.failedRequirements());
            rows.add(new FleetView.Row(m.name(), ReportText.visible(m.target()), m.status().name(), cssClass(m.status()),
                    String.valueOf(m.exitCode()), ReportText.duration(m.duration()),
                    m.reportDir() == null ? "" : m.reportDir() + "/" + Reports.HTML, detail));
        }
        String line = fleet.members().size() + " target" + (fleet.members().size() == 1 ? "" : "s") + ": "
                + java.util.Arrays.stream(Status.values()).filter(s -> fleet.count(s) > 0)
                        .map(s -> fleet.count(s) + " " + s.name()).collect(Collectors.joining(", ")) + ".";
        FleetView view = new FleetView("sigkit fleet " + worst.status() + ": " + fleet.members().size() + " targets",
                worst.status().name(), cssClass(worst.status()), line,
                "Inventory " + ReportText.visible(fleet.inventory()) + ", " + ReportText.instant(fleet.startedAt()) + " to "
                        + ReportText.instant(fleet.endedAt()) + ", " + fleet.parallel() + " at a time.",
                rows, "Generated by sigkit " + Kit.VERSION + ". This page is self-contained and loads nothing.");
        StringOutput out = new StringOutput(16 * 1024);
        ENGINE.render("fleet.jte", view, out);
        return out.toString();
    }

    private static String cssClass(Status s) {
        return s.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    private static void junit(FleetSummary fleet, Path dir, OutputStream out) throws XMLStreamException, IOException {
        XMLStreamWriter xml = XMLOutputFactory.newFactory().createXMLStreamWriter(out, "UTF-8");
        xml.writeStartDocument("UTF-8", "1.0");
        xml.writeCharacters("\n");
        xml.writeStartElement("testsuites");
        xml.writeAttribute("name", "sigkit fleet " + ReportText.visible(fleet.inventory()));
        xml.writeAttribute("time", String.format(Locale.ROOT, "%.3f",
                Duration.between(fleet.startedAt(), fleet.endedAt()).toNanos() / 1e9));
        for (Member m : fleet.members()) {
            xml.writeCharacters("\n  ");
            Path own = m.reportDir() == null ? null : dir.resolve(m.reportDir()).resolve(Reports.JUNIT_XML);
            if (own != null && Files.isRegularFile(own)) {
                copySuite(own, m.name(), xml);
            } else {
                errorSuite(xml, m);
            }
        }
        xml.writeCharacters("\n");
        xml.writeEndElement();
        xml.writeCharacters("\n");
        xml.writeEndDocument();
        xml.flush();
        xml.close();
    }

    /** A suite of one error for a member that has no report: unreachable, or failed in the kit. */
    private static void errorSuite(XMLStreamWriter xml, Member m) throws XMLStreamException {
        xml.writeStartElement("testsuite");
        xml.writeAttribute("name", m.name());
        xml.writeAttribute("tests", "1");
        xml.writeAttribute("failures", "0");
        xml.writeAttribute("errors", "1");
        xml.writeAttribute("skipped", "0");
        xml.writeAttribute("time", String.format(Locale.ROOT, "%.3f", m.duration().toNanos() / 1e9));
        xml.writeCharacters("\n    ");
        xml.writeStartElement("testcase");
        xml.writeAttribute("classname", "sigkit.fleet");
        xml.writeAttribute("name", m.name() + " " + m.status() + ": " + ReportText.visible(m.target()));
        xml.writeAttribute("time", "0.000");
        xml.writeCharacters("\n      ");
        xml.writeStartElement("error");
        String why = m.error() == null ? "no report was written" : m.error();
        xml.writeAttribute("type", m.status().name());
        xml.writeAttribute("message", ReportText.oneLine(why));
        xml.writeCharacters(ReportText.visible(why));
        xml.writeEndElement();
        xml.writeCharacters("\n    ");
        xml.writeEndElement();
        xml.writeCharacters("\n  ");
        xml.writeEndElement();
    }

    /** Copies the {@code <testsuite>} of a target's own junit.xml, renamed after the target. */
    private static void copySuite(Path file, String name, XMLStreamWriter out) throws XMLStreamException, IOException {
        XMLInputFactory inputs = XMLInputFactory.newFactory();
        inputs.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        inputs.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        try (InputStream in = Files.newInputStream(file)) {
            XMLEventReader r = inputs.createXMLEventReader(in);
            int depth = 0;
            try {
                while (r.hasNext()) {
                    XMLEvent e = r.nextEvent();
                    if (e.isStartElement()) {
                        StartElement start = e.asStartElement();
                        out.writeStartElement(start.getName().getLocalPart());
                        for (Iterator<Attribute> it = start.getAttributes(); it.hasNext(); ) {
                            Attribute a = it.next();
                            String attribute = a.getName().getLocalPart();
                            out.writeAttribute(attribute, depth == 0 && attribute.equals("name") ? name : a.getValue());
                        }
                        depth++;
                    } else if (e.isEndElement()) {
                        out.writeEndElement();
                        depth--;
                    } else if (e.isCharacters() && depth > 0) {
                        out.writeCharacters(e.asCharacters().getData());
                    }
                }
            } finally {
                r.close();
            }
        }
    }
}
