package io.sigkit.junit.lines;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.reporting.ReportEntry;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;

/**
 * Runs a fixture class on the Jupiter engine of whatever JUnit line the class loader of this class holds, and tells
 * what happened in plain Java values ({@code java.base} types cross class loaders; JUnit's own do not).
 *
 * <p>{@code JUnitLinesCompatibilityTests} loads this class, the extension and the fixtures into an isolated class
 * loader holding one JUnit line's jars and calls {@link #run} by reflection. Compiled against the build's JUnit, it
 * uses only testkit API present from JUnit 5.10 on and still present in JUnit 6.
 */
public final class LineEngine {

    private static final int MAX_TRACE = 4000;

    private LineEngine() {
    }

    /**
     * Runs the class and lists every event JUnit reported, in order. Each event is a map with {@code type}
     * ({@code STARTED}, {@code FINISHED}, {@code SKIPPED}, {@code REPORTING_ENTRY_PUBLISHED}, ...), {@code kind}
     * ({@code test} or {@code container}) and {@code name} (display name); a finished event adds {@code status} and,
     * if it carries one, {@code throwable} (class name), {@code message} and {@code trace} (its stack trace, cut to
     * {@value #MAX_TRACE} characters, for failure descriptions); a skipped one adds {@code reason}; a
     * report entry adds its pairs, each key prefixed with {@code entry.}.
     *
     * @param testClass the fully qualified name of the class to run
     * @param parameters the configuration parameters of the run
     * @return the events
     */
    public static List<Map<String, String>> run(String testClass, Map<String, String> parameters) {
        EngineExecutionResults results = EngineTestKit.engine("junit-jupiter")
                .selectors(selectClass(testClass))
                .configurationParameters(parameters)
                .execute();
        List<Map<String, String>> events = new ArrayList<>();
        for (Event event : results.allEvents().list()) {
            Map<String, String> e = new LinkedHashMap<>();
            e.put("type", event.getType().name());
            e.put("kind", event.getTestDescriptor().isTest() ? "test" : "container");
            e.put("name", event.getTestDescriptor().getDisplayName());
            Optional<TestExecutionResult> result = event.getPayload(TestExecutionResult.class);
            result.ifPresent(r -> {
                e.put("status", r.getStatus().name());
                r.getThrowable().ifPresent(t -> {
                    e.put("throwable", t.getClass().getName());
                    e.put("message", String.valueOf(t.getMessage()));
                    e.put("trace", trace(t));
                });
            });
            event.getPayload(String.class).ifPresent(reason -> e.put("reason", reason));
            event.getPayload(ReportEntry.class)
                    .ifPresent(entry -> entry.getKeyValuePairs().forEach((k, v) -> e.put("entry." + k, v)));
            events.add(Map.copyOf(e));
        }
        return List.copyOf(events);
    }

    private static String trace(Throwable t) {
        StringWriter out = new StringWriter();
        t.printStackTrace(new PrintWriter(out));
        String text = out.toString();
        return text.length() <= MAX_TRACE ? text : text.substring(0, MAX_TRACE) + "...";
    }
}
