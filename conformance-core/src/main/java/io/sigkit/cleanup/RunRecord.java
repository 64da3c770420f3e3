package io.sigkit.cleanup;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A run's owner record, kept on the payload in its scratch directory ({@code /tmp/sigkit-<run>/owner}): which run
 * made which items, so that a later run can remove exactly what a crashed run left — never anything chosen by name
 * pattern alone. Its modification time is the run's heartbeat; {@link #lease()} says how long the record stays valid
 * without one.
 *
 * <p>Read back from the payload, a record is untrusted: {@link #parse} accepts only the kit's exact shapes (window IDs
 * in the reserved ranges, config paths of those windows, inbox names that carry the run's ID), and refuses the whole
 * record otherwise.
 *
 * @param runId the run's ID (16 hex digits)
 * @param leaseSeconds how long the record is valid after its last heartbeat
 * @param windows the run's window IDs (its payload_exec processes are recognised by them)
 * @param paths files the run may create (window configs and inbox files)
 * @param directories directories the run created (removed only when empty)
 */
public record RunRecord(String runId, long leaseSeconds, List<Long> windows, List<String> paths, List<String> directories) {
    /** The first line of every record. */
    static final String HEADER = "sigkit-run 1";
    /** The scratch directory's prefix. */
    public static final String SCRATCH_PREFIX = "/tmp/sigkit-";

    private static final Pattern RUN_ID = Pattern.compile("[0-9a-f]{16}");
    private static final String USER = "[A-Za-z0-9_][A-Za-z0-9._-]{0,63}";
    private static final Pattern INBOX_DIR = Pattern.compile("/signaling/inbox/" + USER);

    public RunRecord {
        if (!RUN_ID.matcher(runId).matches()) {
            throw new IllegalArgumentException("run ID must be 16 hex digits, was '" + runId + "'");
        }
        windows = List.copyOf(windows);
        paths = List.copyOf(paths);
        directories = List.copyOf(directories);
        for (long w : windows) {
            if (!reserved(w)) {
                throw new IllegalArgumentException("window " + Long.toUnsignedString(w) + " is not a reserved window ID");
            }
        }
        for (String p : paths) {
            if (!allowedPath(runId, windows, p)) {
                throw new IllegalArgumentException("'" + p + "' is not a path a run of the kit creates");
            }
        }
        for (String d : directories) {
            if (!INBOX_DIR.matcher(d).matches()) {
                throw new IllegalArgumentException("'" + d + "' is not a directory a run of the kit creates");
            }
        }
    }

    /** The run's scratch directory. */
    public String scratch() {
        return scratchOf(runId);
    }

    public static String scratchOf(String runId) {
        return SCRATCH_PREFIX + runId;
    }

    /** The record's text. */
    public String render() {
        StringBuilder sb = new StringBuilder(HEADER).append('\n');
        sb.append("run ").append(runId).append('\n');
        sb.append("lease ").append(leaseSeconds).append('\n');
        for (long w : windows) {
            sb.append("window ").append(Long.toUnsignedString(w)).append('\n');
        }
        for (String p : paths) {
            sb.append("path ").append(p).append('\n');
        }
        for (String d : directories) {
            sb.append("dir ").append(d).append('\n');
        }
        return sb.toString();
    }

    /** The line to append when the run creates a directory. */
    public static String directoryLine(String directory) {
        if (!INBOX_DIR.matcher(directory).matches()) {
            throw new IllegalArgumentException("'" + directory + "' is not a directory a run of the kit creates");
        }
        return "dir " + directory + "\n";
    }

    /**
     * Parses a record read from the payload.
     *
     * @param directory the scratch directory it was read from (its name must carry the record's run ID)
     * @param content the record's bytes
     * @return the record, or empty when anything in it is not the kit's
     */
    public static Optional<RunRecord> parse(String directory, byte[] content) {
        String text = new String(content, StandardCharsets.UTF_8);
        String[] lines = text.split("\n", -1);
        if (lines.length < 3 || !lines[0].equals(HEADER)) {
            return Optional.empty();
        }
        String run = null;
        long lease = -1;
        Set<Long> windows = new LinkedHashSet<>();
        List<String> paths = new ArrayList<>();
        Set<String> dirs = new LinkedHashSet<>();
        for (int i = 1; i < lines.length; i++) {
            String line = lines[i];
            if (line.isEmpty() && i == lines.length - 1) {
                break;
            }
            int sp = line.indexOf(' ');
            if (sp <= 0) {
                return Optional.empty();
            }
            String key = line.substring(0, sp);
            String value = line.substring(sp + 1);
            try {
                switch (key) {
                    case "run" -> run = value;
                    case "lease" -> lease = Long.parseLong(value);
                    case "window" -> windows.add(Long.parseUnsignedLong(value));
                    case "path" -> paths.add(value);
                    case "dir" -> dirs.add(value);
                    default -> {
                        return Optional.empty();
                    }
                }
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        }
        if (run == null || lease < 1 || !directory.equals(SCRATCH_PREFIX + run)) {
            return Optional.empty();
        }
        try {
            return Optional.of(new RunRecord(run, lease, List.copyOf(windows), paths, List.copyOf(dirs)));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static boolean reserved(long id) {
        return (id >= 2_100_000_000L && id <= 2_100_999_999L)
                || (id >= 9_000_000_000_000_000_000L && id <= 9_000_000_000_999_999_999L);
    }

    private static boolean allowedPath(String runId, List<Long> windows, String path) {
        for (long w : windows) {
            if (path.equals("/signaling/window_configs/" + Long.toUnsignedString(w) + ".json")) {
                return true;
            }
        }
        return path.matches("/signaling/inbox/" + USER + "/sigkit-[A-Za-z0-9._-]*") && path.contains(runId)
                && !path.contains("/..");
    }
}
