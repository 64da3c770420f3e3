package io.sigkit.check;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sigkit.bus.Window;
import java.time.Instant;
import java.util.List;

/**
 * The test windows of one run, all with IDs from the kit's reserved ranges (a random base per run, so runs never
 * collide): which window serves which requirement. As on the bus, every configure the kit judges is of a window never
 * configured before: the timing series takes one fresh window per run.
 *
 * @param configureRuns how many times configure is timed per series (the run's repetitions, 1..100)
 */
public record WindowPlan(long base, String runId, String taskingUser, String emptyInboxUser, ObjectNode taskingParameters,
                         int configureRuns) {
    /** First offset of the kit-side timed configure runs after the first (which is the main window). */
    static final int TIMED_OFFSET = 100;
    /** First offset of the runs timed on the payload. */
    static final int ON_PAYLOAD_OFFSET = 200;
    /** First offset of the runs timed with uplinked files in the inbox. */
    static final int WITH_UPLINK_OFFSET = 300;

    public WindowPlan {
        if (configureRuns < 1 || configureRuns > 100) {
            throw new IllegalArgumentException("configureRuns must be 1..100, was " + configureRuns);
        }
    }

    /** A valid config with only tasking parameters (SIG-CONF-001/002/003/005; started for SIG-START-001..004). */
    public Window main(Instant end) {
        return window(0, taskingUser, end);
    }

    /** A valid config with extra bus keys of every JSON type (SIG-CFG-003). */
    public Window extraKeys(Instant end) {
        ObjectNode bus = JsonNodeFactory.instance.objectNode();
        bus.put("lunch_money", 1.72);
        bus.put("greeting", "hello, world! — grüße, 你好 🛰");
        bus.put("sigkit_integer", 42);
        bus.put("sigkit_negative", -7);
        bus.put("sigkit_boolean", true);
        bus.putNull("sigkit_null");
        bus.putArray("sigkit_array").add(1).add("two").add(JsonNodeFactory.instance.objectNode().put("three", 3));
        ObjectNode nested = bus.putObject("sigkit_nested");
        nested.putObject("deeper").putArray("list").add(false);
        nested.put("empty_string", "");
        return window(1, taskingUser, end).withBusParameters(bus);
    }

    /** No config is ever placed for this window (SIG-CFG-004). */
    public Window missingConfig(Instant end) {
        return window(2, taskingUser, end);
    }

    /** Its config is malformed JSON (SIG-CFG-005). */
    public Window malformed(Instant end) {
        return window(3, taskingUser, end);
    }

    /** Its config says {@code "version": 2} (SIG-CFG-005). */
    public Window unsupportedVersion(Instant end) {
        return window(4, taskingUser, end);
    }

    /** A window ID beyond 32 (and 53) bits (SIG-CONF-004). */
    public Window wide(Instant end) {
        return new Window(Window.wideBase(base) + 5, taskingUser, end, taskingParameters, null);
    }

    /**
     * The control window of SIG-START-003: started only when the main window's payload_exec vanished with its SSH
     * session, in a session that stays open, to tell "died with the session" from "finished that quickly".
     */
    public Window control(Instant end) {
        return window(6, taskingUser, end);
    }

    /** The diagnostic start run's window (explains SIG-START-002..004). */
    public Window diagnostic(Instant end) {
        return window(7, taskingUser, end);
    }

    /** A window whose tasking user has no inbox directory (SIG-START-005). */
    public Window emptyInbox(Instant end) {
        return window(8, emptyInboxUser, end);
    }

    /** The window started before the link is cut (SIG-START-006). */
    public Window linkDrop(Instant end) {
        return window(9, taskingUser, end);
    }

    /**
     * The control window of SIG-START-006: started only when the link-drop window's payload_exec was gone once the link
     * came back, with no cut, to tell "abandoned the window" from "finished that quickly".
     */
    public Window linkControl(Instant end) {
        return window(10, taskingUser, end);
    }

    /** SIG-CONF-005's window: configured once, with the options in another order. */
    public Window argumentOrder(Instant end) {
        return window(11, taskingUser, end);
    }

    /**
     * The window of kit-side timed configure run {@code i} (0-based) with an empty inbox: run 0 is the main window
     * (configured once, as the bus does before it starts it), the others fresh windows.
     */
    public Window timed(int i, Instant end) {
        return i == 0 ? main(end) : window(TIMED_OFFSET + index(i), taskingUser, end);
    }

    /** The window of run {@code i} (0-based) of the configure runs timed on the payload, with an empty inbox. */
    public Window timedOnPayload(int i, Instant end) {
        return window(ON_PAYLOAD_OFFSET + index(i), taskingUser, end);
    }

    /** The window of kit-side timed configure run {@code i} (0-based) with uplinked files in the inbox (SIG-CONF-003). */
    public Window timedWithUplink(int i, Instant end) {
        return window(WITH_UPLINK_OFFSET + index(i), taskingUser, end);
    }

    /** Every window whose config is valid and configure is timed, in the order of the series. */
    public List<Window> configureSeriesWindows(Instant end) {
        List<Window> windows = new java.util.ArrayList<>();
        for (int i = 0; i < configureRuns; i++) {
            windows.add(timed(i, end));
        }
        for (int i = 0; i < configureRuns; i++) {
            windows.add(timedOnPayload(i, end));
        }
        for (int i = 0; i < configureRuns; i++) {
            windows.add(timedWithUplink(i, end));
        }
        return windows;
    }

    private int index(int i) {
        if (i < 0 || i >= configureRuns) {
            throw new IllegalArgumentException("configure run " + i + " is outside 0.." + (configureRuns - 1));
        }
        return i;
    }

    /** Every window ID of the plan, for cleanup and the run's owner record. */
    public List<Long> ids() {
        Instant t = Instant.EPOCH;
        java.util.LinkedHashSet<Long> ids = new java.util.LinkedHashSet<>(List.of(main(t).id(), extraKeys(t).id(),
                missingConfig(t).id(), malformed(t).id(), unsupportedVersion(t).id(), wide(t).id(), control(t).id(),
                diagnostic(t).id(), emptyInbox(t).id(), linkDrop(t).id(), linkControl(t).id(), argumentOrder(t).id()));
        configureSeriesWindows(t).forEach(w -> ids.add(w.id()));
        return List.copyOf(ids);
    }

    /** The malformed config's bytes: a config cut short, as a truncated uplink would leave it. */
    public static byte[] malformedConfigBytes() {
        return "{\"version\": 1, \"signal_parameters\": {\"tasking_parameters\": {\"key1\": \"some va"
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    /** A config that is valid JSON but {@code "version": 2}. */
    public static byte[] unsupportedVersionBytes() {
        return "{\n  \"version\": 2,\n  \"signal_parameters\": {\n    \"tasking_parameters\": {}\n  }\n}\n"
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    private Window window(int offset, String user, Instant end) {
        return Window.reserved(base, offset, user, end).withTaskingParameters(taskingParameters);
    }
}
