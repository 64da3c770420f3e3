package io.sigkit.bus;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A payload window as the bus knows it: its ID, the Tasking API user that created it, its end time, the user's
 * tasking parameters and the bus-provided signal parameters.
 *
 * <p>The kit's own test windows take IDs from two reserved ranges that real windows do not use:
 * {@value #RESERVED_FIRST}..{@value #RESERVED_LAST} for ordinary test windows (they fit a signed 32-bit integer, so
 * only SIG-CONF-004 exercises wide IDs) and {@value #WIDE_FIRST}..{@value #WIDE_LAST} for the wide-ID test.
 *
 * @param id the window ID (non-negative)
 * @param taskingUser the ID of the Tasking API user that created the window
 * @param endTime the window end, passed as {@code -t} in UNIX seconds
 * @param taskingParameters the user's parameters from the Tasking API (a JSON object)
 * @param busParameters bus-provided keys of {@code signal_parameters}, besides {@code tasking_parameters}
 */
public record Window(long id, String taskingUser, Instant endTime, ObjectNode taskingParameters,
                     ObjectNode busParameters) {

    public static final long RESERVED_FIRST = 2_100_000_000L;
    public static final long RESERVED_LAST = 2_100_999_999L;
    public static final long WIDE_FIRST = 9_000_000_000_000_000_000L;
    public static final long WIDE_LAST = 9_000_000_000_999_999_999L;
    public static final String CONFIG_DIR = "/signaling/window_configs/";
    public static final String INBOX_DIR = "/signaling/inbox/";

    private static final JsonMapper JSON = JsonMapper.builder().build();

    public Window {
        if (id < 0) {
            throw new IllegalArgumentException("window ID must be non-negative, was " + id);
        }
        Objects.requireNonNull(taskingUser, "taskingUser");
        Objects.requireNonNull(endTime, "endTime");
        taskingParameters = taskingParameters == null ? JsonNodeFactory.instance.objectNode() : taskingParameters.deepCopy();
        busParameters = busParameters == null ? JsonNodeFactory.instance.objectNode() : busParameters.deepCopy();
        if (busParameters.has("tasking_parameters")) {
            throw new IllegalArgumentException("bus parameters must not contain tasking_parameters; pass them separately");
        }
    }

    /** A window with an ID in the kit's reserved range: {@code base + offset}. */
    public static Window reserved(long base, int offset, String taskingUser, Instant endTime) {
        long id = base + offset;
        if (!isReserved(id)) {
            throw new IllegalArgumentException("window ID " + id + " is outside the kit's reserved ranges");
        }
        return new Window(id, taskingUser, endTime, null, null);
    }

    /**
     * A random base for one run's windows inside the ordinary reserved range, leaving room for 1000 windows, so that
     * two runs against the same payload do not collide.
     */
    public static long randomReservedBase() {
        long slots = (RESERVED_LAST - RESERVED_FIRST + 1) / 1000;
        return RESERVED_FIRST + ThreadLocalRandom.current().nextLong(slots) * 1000;
    }

    /** The wide-ID counterpart of a reserved base (same offset inside the wide range). */
    public static long wideBase(long reservedBase) {
        return WIDE_FIRST + (reservedBase - RESERVED_FIRST);
    }

    public static boolean isReserved(long id) {
        return (id >= RESERVED_FIRST && id <= RESERVED_LAST) || (id >= WIDE_FIRST && id <= WIDE_LAST);
    }

    public Window withId(long newId) {
        return new Window(newId, taskingUser, endTime, taskingParameters, busParameters);
    }

    public Window withTaskingUser(String user) {
        return new Window(id, user, endTime, taskingParameters, busParameters);
    }

    public Window withEndTime(Instant end) {
        return new Window(id, taskingUser, end, taskingParameters, busParameters);
    }

    public Window withTaskingParameters(JsonNode parameters) {
        if (parameters != null && !parameters.isObject()) {
            throw new IllegalArgumentException("tasking parameters must be a JSON object, was " + parameters.getNodeType());
        }
        return new Window(id, taskingUser, endTime, (ObjectNode) parameters, busParameters);
    }

    public Window withBusParameters(ObjectNode parameters) {
        return new Window(id, taskingUser, endTime, taskingParameters, parameters);
    }

    /** The path the bus places this window's config at: {@code /signaling/window_configs/<id>.json}. */
    public String configPath() {
        return CONFIG_DIR + Long.toUnsignedString(id) + ".json";
    }

    /** The inbox directory of this window's tasking user: {@code /signaling/inbox/<user>/}. */
    public String inboxPath() {
        return INBOX_DIR + taskingUser + "/";
    }

    /** The window config document, version 1: bus keys first, then {@code tasking_parameters}. */
    public ObjectNode config() {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        root.put("version", 1);
        ObjectNode signal = root.putObject("signal_parameters");
        for (Map.Entry<String, JsonNode> e : busParameters.properties()) {
            signal.set(e.getKey(), e.getValue().deepCopy());
        }
        signal.set("tasking_parameters", taskingParameters.deepCopy());
        return root;
    }

    /** The config as the bytes the kit writes (pretty-printed UTF-8 JSON with a final newline). */
    public byte[] configBytes() {
        try {
            return (JSON.writerWithDefaultPrettyPrinter().writeValueAsString(config()) + "\n")
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise window config of " + id, e);
        }
    }
}
