package io.sigkit.junit;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import io.sigkit.testbed.RunningPayload;
import io.sigkit.transport.ConnectionSettings;
import io.sigkit.transport.SshTarget;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.reporting.ReportEntry;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;
import org.junit.platform.testkit.engine.EventType;

/** Runs fixture classes on the Jupiter engine through the EngineTestKit, and reads what JUnit reported. */
final class Engine {

    private Engine() {
    }

    static EngineExecutionResults run(Class<?> testClass, Map<String, String> parameters) {
        return EngineTestKit.engine("junit-jupiter")
                .selectors(selectClass(testClass))
                .configurationParameters(parameters)
                .execute();
    }

    /** As {@link #run}, also reading system properties and junit-platform.properties, as a real launcher does. */
    static EngineExecutionResults runAsLauncher(Class<?> testClass, Map<String, String> parameters) {
        return EngineTestKit.engine("junit-jupiter")
                .selectors(selectClass(testClass))
                .configurationParameters(parameters)
                .enableImplicitConfigurationParameters(true)
                .execute();
    }

    /** The settings that reach a testbed payload. */
    static Map<String, String> settingsFor(RunningPayload payload) {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("sigkit.target", payload.target());
        settings.put("sigkit.identity", payload.identity().toString());
        settings.put("sigkit.knownHosts", payload.knownHosts().toString());
        return settings;
    }

    /** Connection settings for a testbed payload, for tests that connect without the extension. */
    static ConnectionSettings connectionSettings(RunningPayload payload) {
        return ConnectionSettings.builder(SshTarget.parse(payload.target())).identity(payload.identity())
                .knownHosts(payload.knownHosts()).build();
    }

    static Throwable throwable(Event event) {
        return event.getPayload(TestExecutionResult.class).flatMap(TestExecutionResult::getThrowable)
                .orElseThrow(() -> new AssertionError("no throwable in " + event));
    }

    static Optional<Event> finished(EngineExecutionResults results, String displayName) {
        return results.allEvents().finished().stream()
                .filter(e -> e.getTestDescriptor().getDisplayName().equals(displayName)).findFirst();
    }

    static TestExecutionResult.Status status(Event finished) {
        return finished.getPayload(TestExecutionResult.class).orElseThrow().getStatus();
    }

    /** Every key/value published for the node with this display name. */
    static Map<String, String> reportEntries(EngineExecutionResults results, String displayName) {
        Map<String, String> entries = new LinkedHashMap<>();
        List<Event> published = results.allEvents().stream()
                .filter(e -> e.getType() == EventType.REPORTING_ENTRY_PUBLISHED)
                .filter(e -> e.getTestDescriptor().getDisplayName().equals(displayName))
                .toList();
        for (Event e : published) {
            e.getPayload(ReportEntry.class).ifPresent(r -> entries.putAll(r.getKeyValuePairs()));
        }
        return entries;
    }
}
