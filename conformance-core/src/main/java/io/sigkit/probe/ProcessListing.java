package io.sigkit.probe;

import io.sigkit.transport.PayloadConnection;
import java.time.Duration;
import java.util.List;

/** Lists the payload's processes in one exec, NUL-safe and unforgeable (see {@link RemoteProcess#LIST_CODE}). */
public final class ProcessListing {
    /** The listing section's cap in bytes; a longer listing is cut, and the run says so as an ERROR. */
    public static final int CAP = 400 * 1024;
    static final String SECTION = "processes";

    private ProcessListing() {
    }

    /** A script that only lists processes. */
    public static RemoteScript script() {
        return add(RemoteScript.builder()).build();
    }

    /** Adds the listing to a script, as section {@value #SECTION}. */
    public static RemoteScript.Builder add(RemoteScript.Builder builder) {
        return builder.section(SECTION, RemoteProcess.LIST_CODE, CAP);
    }

    /** Adds a listing under another section name (a script that lists twice). */
    public static RemoteScript.Builder add(RemoteScript.Builder builder, String section) {
        return builder.section(section, RemoteProcess.LIST_CODE, CAP);
    }

    /**
     * The processes from a script's output.
     *
     * @throws IncompleteOutputException when the listing is missing, cut, or malformed: "not seen" is never guessed
     */
    public static List<RemoteProcess> from(RemoteScript.Output output) {
        return from(output, SECTION);
    }

    public static List<RemoteProcess> from(RemoteScript.Output output, String section) {
        Sections s = output.require();
        if (!s.has(section)) {
            throw new IncompleteOutputException(output.purpose() + ": the process listing is missing");
        }
        return RemoteProcess.parseListing(s.bytes(section), output.nonce());
    }

    /**
     * A listing with the payload's boot clock read just before it.
     *
     * @param uptimeSeconds seconds since boot ({@code /proc/uptime}) when the listing began
     * @param processes every process
     */
    public record Snapshot(double uptimeSeconds, List<RemoteProcess> processes) {
    }

    /** Lists every process with the boot clock (one exec), to tell processes started after a moment. */
    public static Snapshot snapshot(PayloadConnection connection, Duration timeout, String purpose) {
        RemoteScript.Output out = add(RemoteScript.builder().section("uptime", "cut -d' ' -f1 /proc/uptime", 64))
                .build().run(connection, timeout, purpose);
        String uptime = out.require().first("uptime");
        if (!uptime.matches("\\d{1,12}(\\.\\d{1,9})?")) {
            throw new IncompleteOutputException(purpose + ": the payload's /proc/uptime could not be read");
        }
        return new Snapshot(Double.parseDouble(uptime), from(out));
    }

    /** Lists every process of the payload (one exec). */
    public static List<RemoteProcess> list(PayloadConnection connection, Duration timeout, String purpose) {
        return from(script().run(connection, timeout, purpose));
    }
}
