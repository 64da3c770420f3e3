package io.sigkit.schemas;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Renders the bus's payload_exec command lines from argument documents of payload-exec-arguments.v1, and from
 * nothing else: each document is validated, then the {@code x-sigkit-command} template of its signal (read from the
 * schema) is filled with the document's values.
 *
 * <p>For the spec's example values this yields exactly the spec's lines:
 * {@code /usr/bin/payload_exec -u john -e -w 1304893 > /dev/null} and
 * {@code nohup /usr/bin/payload_exec -u john -w 1304893 -t 1611718292 &> /dev/null &}.
 */
public final class PayloadExecCommands {

    /** The configure signal's name in argument documents. */
    public static final String CONFIGURE = "configure";

    /** The window start signal's name in argument documents. */
    public static final String START = "start";

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([A-Za-z][A-Za-z0-9]*)}");

    private PayloadExecCommands() {
    }

    /**
     * The configure command line for a window.
     *
     * @throws IllegalArgumentException naming the field and value when an argument breaks the schema
     */
    public static String configure(String user, long windowId) {
        return render(configureArguments(user, windowId));
    }

    /**
     * The window start command line.
     *
     * @throws IllegalArgumentException naming the field and value when an argument breaks the schema
     */
    public static String start(String user, long windowId, long endTime) {
        return render(startArguments(user, windowId, endTime));
    }

    /**
     * Checks a Tasking API user ID against the contract's {@code -u} rule: it becomes a command-line word and a
     * directory under {@code /signaling/inbox/}, so {@code ../x}, spaces or shell characters are refused.
     *
     * @throws IllegalArgumentException naming the value and the rule
     */
    public static void requireValidUser(String user) {
        try {
            configure(user, 0);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("tasking user '" + user + "' is not allowed by the payload_exec argument"
                    + " contract: 1 to 64 of A-Z a-z 0-9 . _ -, not starting with '.' or '-'", e);
        }
    }

    /** The argument document of a configure signal (not validated yet). */
    public static ObjectNode configureArguments(String user, long windowId) {
        ObjectNode document = JsonNodeFactory.instance.objectNode();
        document.put("signal", CONFIGURE);
        document.put("user", user);
        document.put("windowId", windowId);
        return document;
    }

    /** The argument document of a window start signal (not validated yet). */
    public static ObjectNode startArguments(String user, long windowId, long endTime) {
        ObjectNode document = JsonNodeFactory.instance.objectNode();
        document.put("signal", START);
        document.put("user", user);
        document.put("windowId", windowId);
        document.put("endTime", endTime);
        return document;
    }

    /**
     * Validates an argument document against payload-exec-arguments.v1 and renders its signal's command line.
     * Numbers must be integer nodes (as Jackson reads JSON integers): an integral value held as a double or decimal
     * is refused, because it may have been rounded before it got here.
     *
     * @throws IllegalArgumentException when the document is invalid, naming each bad field and its value
     */
    public static String render(JsonNode arguments) {
        Objects.requireNonNull(arguments, "arguments");
        ValidationReport report = SchemaValidator.of(SchemaId.PAYLOAD_EXEC_ARGUMENTS_V1)
                .validate(arguments, "payload_exec arguments");
        if (!report.valid()) {
            throw new IllegalArgumentException(describe(arguments, report.errors()));
        }
        String signal = arguments.get("signal").textValue();
        String template = template(signal);
        Matcher placeholder = PLACEHOLDER.matcher(template);
        StringBuilder command = new StringBuilder();
        while (placeholder.find()) {
            placeholder.appendReplacement(command, Matcher.quoteReplacement(value(arguments, signal, placeholder.group(1))));
        }
        placeholder.appendTail(command);
        return command.toString();
    }

    /**
     * The command template of a signal, as the schema's {@code x-sigkit-command} annotation holds it.
     *
     * @throws IllegalArgumentException for a signal the schema does not define
     */
    public static String template(String signal) {
        Objects.requireNonNull(signal, "signal");
        JsonNode definition = Schemas.document(SchemaId.PAYLOAD_EXEC_ARGUMENTS_V1).path("$defs").path(signal);
        JsonNode template = definition.path(Schemas.COMMAND_KEYWORD);
        if (!template.isTextual()) {
            throw new IllegalArgumentException("signal '" + signal + "' has no " + Schemas.COMMAND_KEYWORD + " template in "
                    + SchemaId.PAYLOAD_EXEC_ARGUMENTS_V1.id());
        }
        return template.textValue();
    }

    private static String value(JsonNode arguments, String signal, String name) {
        JsonNode value = arguments.get(name);
        if (value != null && value.isTextual()) {
            return value.textValue();
        }
        if (value != null && value.isIntegralNumber()) {
            return value.bigIntegerValue().toString();
        }
        if (value != null && value.isNumber()) {
            // The schema accepts 1304893.0 as an integer, but a value held as a double or decimal may already have
            // been rounded by whoever parsed it (9000000000000000001 becomes 9.0E18): render only exact integers.
            throw new IllegalArgumentException("payload_exec " + signal + " arguments are invalid: " + name + " = " + value
                    + ": must be a JSON integer (no fraction, no exponent) so that its value is exact");
        }
        throw new IllegalStateException("the " + Schemas.COMMAND_KEYWORD + " template of signal '" + signal + "' uses {" + name
                + "}, which the schema does not require to be a string or an integer");
    }

    private static String describe(JsonNode arguments, List<ValidationError> errors) {
        JsonNode signal = arguments.get("signal");
        String what = signal != null && signal.isTextual() ? "payload_exec " + signal.textValue() + " arguments" : "payload_exec arguments";
        return what + " are invalid: " + errors.stream()
                .map(error -> describe(arguments, error))
                .collect(Collectors.joining("; "));
    }

    private static String describe(JsonNode arguments, ValidationError error) {
        if (error.pointer().isEmpty()) {
            return error.message();
        }
        String field = error.pointer().substring(1).replace("~1", "/").replace("~0", "~");
        JsonNode value = arguments.at(error.pointer());
        return field + " = " + (value.isMissingNode() ? "(missing)" : value.toString()) + ": " + error.message();
    }
}
