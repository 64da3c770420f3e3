package io.sigkit.bus;

import io.sigkit.cleanup.CleanupItem;
import io.sigkit.cleanup.CleanupManifest;
import io.sigkit.probe.Sections;
import io.sigkit.transport.ExecResult;
import io.sigkit.transport.PayloadConnection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Removes, in one SSH exec, everything a {@link CleanupManifest} holds that is not removed yet: ends the kit's
 * windows' payload_exec processes (and the kit's own wrappers around them), deletes files and configs, removes the
 * directories the kit created, then reports what is gone. POSIX sh; runs under bash, dash and busybox ash.
 */
public final class Cleanup {
    /** Shell case patterns matching the kit's reserved window IDs (see {@link Window}). */
    public static final List<String> RESERVED_ID_PATTERNS = List.of(
            "2100[0-9][0-9][0-9][0-9][0-9][0-9]",
            "9000000000[0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]");

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final PayloadConnection connection;
    private final CleanupManifest manifest;

    public Cleanup(PayloadConnection connection, CleanupManifest manifest) {
        this.connection = connection;
        this.manifest = manifest;
    }

    /**
     * Runs the cleanup.
     *
     * @param windowIdPatterns shell case patterns of window IDs whose payload_exec processes are to be ended
     *                         (exact IDs, or {@link #RESERVED_ID_PATTERNS} for leftovers of earlier runs)
     * @return the script's output, for the transcript's readers
     */
    public Sections run(List<String> windowIdPatterns) {
        List<CleanupItem> pending = manifest.pending();
        String script = script(pending, windowIdPatterns);
        ExecResult result = connection.exec(script, TIMEOUT);
        Sections sections = Sections.parse(result.stdout());
        record(sections, pending);
        return sections;
    }

    /** The cleanup script for the given items and process patterns. */
    public static String script(List<CleanupItem> items, List<String> windowIdPatterns) {
        StringBuilder sb = new StringBuilder();
        sb.append("S=$(printf '\\001')\n");
        sb.append(Sections.marker("processes")).append('\n');
        sb.append("pids=''\n");
        if (!windowIdPatterns.isEmpty()) {
            sb.append("for p in /proc/[0-9]*; do c=$(tr '\\000' '\\001' 2>/dev/null < \"$p/cmdline\") || continue\n");
            sb.append("  case \"$c\" in *payload_exec\"$S\"*) ;; *) continue ;; esac\n");
            sb.append("  case \"$c\" in");
            for (int i = 0; i < windowIdPatterns.size(); i++) {
                sb.append(i == 0 ? " " : "|").append("*\"$S-w$S\"").append(windowIdPatterns.get(i)).append("\"$S\"*");
            }
            sb.append(") pids=\"$pids ${p#/proc/}\"; echo \"${p#/proc/} $(printf %s \"$c\" | tr '\\001' ' ')\" ;; esac\n");
            sb.append("done\n");
            sb.append("if [ -n \"$pids\" ]; then\n");
            sb.append("  for p in $pids; do kill \"$p\" 2>/dev/null || sudo -n kill \"$p\" 2>/dev/null; done\n");
            sb.append("  n=0; while [ $n -lt 10 ]; do a=0; for p in $pids; do [ -d /proc/$p ] && a=1; done;"
                    + " [ $a = 0 ] && break; sleep 0.2; n=$((n+1)); done\n");
            sb.append("  for p in $pids; do [ -d /proc/$p ] && { kill -9 \"$p\" 2>/dev/null"
                    + " || sudo -n kill -9 \"$p\" 2>/dev/null; }; done\n");
            sb.append("  sleep 0.1\n");
            sb.append("fi\n");
            sb.append(Sections.marker("process-status")).append('\n');
            sb.append("for p in $pids; do if [ -d /proc/$p ]; then echo \"alive $p\"; else echo \"ended $p\"; fi; done\n");
        }
        List<CleanupItem> files = new ArrayList<>();
        List<CleanupItem> dirs = new ArrayList<>();
        for (CleanupItem item : items) {
            switch (item.kind()) {
                case FILE, WINDOW_CONFIG -> files.add(item);
                case DIRECTORY -> dirs.add(item);
                case PROCESS -> { /* ended above, by pattern */ }
            }
        }
        sb.append(Sections.marker("files")).append('\n');
        for (CleanupItem f : files) {
            String q = Shell.quote(f.target());
            sb.append("if [ -e ").append(q).append(" ] || [ -L ").append(q).append(" ]; then rm -rf -- ").append(q)
                    .append(" 2>/dev/null; if [ -e ").append(q).append(" ]; then echo \"present ").append(f.target())
                    .append("\"; else echo \"removed ").append(f.target()).append("\"; fi; else echo \"absent ")
                    .append(f.target()).append("\"; fi\n");
        }
        // deepest directories first; a kit-owned directory (named sigkit-...) is removed with its content,
        // any other directory the kit created (e.g. an inbox/<user>/) only when empty.
        dirs.sort(Comparator.comparingInt((CleanupItem d) -> d.target().length()).reversed());
        for (CleanupItem d : dirs) {
            String q = Shell.quote(d.target());
            boolean kitOwned = d.target().substring(d.target().lastIndexOf('/') + 1).startsWith("sigkit-");
            sb.append("if [ -d ").append(q).append(" ]; then ")
                    .append(kitOwned ? "rm -rf -- " : "rmdir -- ").append(q).append(" 2>/dev/null; if [ -d ").append(q)
                    .append(" ]; then echo \"present ").append(d.target()).append("\"; else echo \"removed ")
                    .append(d.target()).append("\"; fi; else echo \"absent ").append(d.target()).append("\"; fi\n");
        }
        return sb.toString();
    }

    private void record(Sections sections, List<CleanupItem> pending) {
        for (String line : sections.lines("processes")) {
            int space = line.indexOf(' ');
            if (space > 0) {
                String pid = line.substring(0, space);
                boolean ended = sections.lines("process-status").contains("ended " + pid);
                manifest.resolved(CleanupItem.Kind.PROCESS, "pid " + pid + ": " + line.substring(space + 1).strip(),
                        ended, ended ? "still running at cleanup; ended by the kit" : "still running: could not be ended");
            }
        }
        for (CleanupItem item : pending) {
            if (item.kind() == CleanupItem.Kind.PROCESS) {
                continue;
            }
            String status = statusOf(sections, item.target());
            switch (status) {
                case "removed" -> manifest.resolved(item.kind(), item.target(), true, "removed by the kit");
                case "absent" -> manifest.resolved(item.kind(), item.target(), true,
                        "already gone at cleanup (moved or deleted on the payload)");
                case "present" -> manifest.resolved(item.kind(), item.target(), false,
                        item.kind() == CleanupItem.Kind.DIRECTORY
                                ? "not removed: the directory is not empty (the payload put files in it)"
                                : "could not be removed");
                default -> manifest.resolved(item.kind(), item.target(), false, "cleanup did not report on it");
            }
        }
    }

    private static String statusOf(Sections sections, String target) {
        for (String line : sections.lines("files")) {
            int space = line.indexOf(' ');
            if (space > 0 && line.substring(space + 1).equals(target)) {
                return line.substring(0, space);
            }
        }
        return "unknown";
    }
}
