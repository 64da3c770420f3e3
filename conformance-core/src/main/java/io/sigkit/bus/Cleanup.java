package io.sigkit.bus;

import io.sigkit.cleanup.CleanupItem;
import io.sigkit.cleanup.CleanupManifest;
import io.sigkit.probe.ProcessListing;
import io.sigkit.probe.RemoteProcess;
import io.sigkit.probe.RemoteScript;
import io.sigkit.probe.Sections;
import io.sigkit.transport.PayloadConnection;
import io.sigkit.transport.ShellQuote;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/**
 * Removes what a {@link CleanupManifest} holds that is not removed yet, and ends the payload_exec processes of the
 * given windows: one exec lists the processes (NUL-safe), the kit picks its windows' payload_exec by argument vector,
 * and a second exec ends them (each re-checked just before the signal, see {@link ProcessEnd}), deletes the files and
 * configs and removes the directories, reporting each item by its index (never by echoing a path). Only the exact
 * paths in the manifest are touched: files with {@code rm -f} (never recursive), directories the kit made only when
 * empty, except the kit's own scratch directory, which is removed with its content once it is shown to be the
 * signaling user's own directory (not a link) and everything else is gone (it holds the run's owner record, which lets
 * a later run finish the job). POSIX sh; runs under bash, dash and busybox ash.
 */
public final class Cleanup {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    /** How long cleanup waits at most for the windows' work to reach its end time before ending it. */
    static final Duration MAX_WAIT = Duration.ofSeconds(30);

    private final PayloadConnection connection;
    private final CleanupManifest manifest;

    public Cleanup(PayloadConnection connection, CleanupManifest manifest) {
        this.connection = connection;
        this.manifest = manifest;
    }

    /**
     * Runs the cleanup.
     *
     * @param windowIds windows whose payload_exec processes are to be ended (none: no process is listed or ended)
     */
    public void run(Collection<Long> windowIds) {
        run(windowIds, java.time.Instant.EPOCH, () -> { });
    }

    /**
     * Runs the cleanup, letting the windows' payload_exec processes work until {@code workUntil} (their end time and
     * grace): when the listing finds one still running before then, the kit waits until then and lists again; when it
     * finds none, there is nothing to wait for.
     *
     * @param onWait told once before such a wait
     */
    public void run(Collection<Long> windowIds, java.time.Instant workUntil, Runnable onWait) {
        Duration wait = Duration.between(java.time.Instant.now(), workUntil);
        if (wait.isNegative()) {
            wait = Duration.ZERO;
        } else if (wait.compareTo(MAX_WAIT) > 0) {
            wait = MAX_WAIT;
        }
        List<ProcessEnd.Target> targets = List.of();
        if (!windowIds.isEmpty()) {
            RemoteScript.Builder listing = RemoteScript.builder();
            if (wait.compareTo(Duration.ZERO) > 0) {
                onWait.run();
                listing.code(waitCode(windowIds, wait));
            }
            targets = targets(ProcessListing.from(ProcessListing.add(listing).build()
                    .run(connection, TIMEOUT.plus(wait), "cleanup: list processes")), windowIds);
            Duration left = Duration.between(java.time.Instant.now(), workUntil);
            if (!targets.isEmpty() && left.compareTo(Duration.ZERO) > 0) {
                // the payload could not wait (no grep): the kit waits, then lists again
                sleep(left.compareTo(MAX_WAIT) > 0 ? MAX_WAIT : left);
                targets = targets(ProcessListing.list(connection, TIMEOUT, "cleanup: list processes again"), windowIds);
            }
        }
        List<CleanupItem> pending = manifest.pending();
        if (targets.isEmpty() && pending.isEmpty()) {
            return;
        }
        RemoteScript.Output out = script(targets, pending).run(connection, TIMEOUT, "cleanup");
        Sections sections = out.requireComplete();
        record(sections, targets, pending);
    }

    /**
     * Shell code that waits on the payload (at most {@code wait}, in steps of 0.2 s) while any process's command line
     * holds one of the windows' IDs: a wait of the kit's own making, never a kill decision (the kit picks what to end
     * from the listing that follows). The IDs are the kit's digits; each is written as a pattern that does not match
     * its own text, so the waiting shell does not find itself.
     */
    static String waitCode(Collection<Long> windowIds, Duration wait) {
        StringBuilder patterns = new StringBuilder();
        for (long id : windowIds) {
            String digits = Long.toUnsignedString(id);
            patterns.append(" -e '").append(digits, 0, digits.length() - 1).append('[')
                    .append(digits.charAt(digits.length() - 1)).append("]'");
        }
        long steps = Math.max(1, wait.toMillis() / 200);
        return "i=0; while [ $i -lt " + steps + " ] && grep -l" + patterns
                + " /proc/[0-9]*/cmdline > /dev/null 2>&1; do sleep 0.2; i=$((i+1)); done";
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The payload_exec processes of the windows among the listed ones (zombies excluded), each with its window. */
    public static List<ProcessEnd.Target> targets(List<RemoteProcess> processes, Collection<Long> windowIds) {
        List<ProcessEnd.Target> targets = new ArrayList<>();
        for (RemoteProcess p : processes) {
            if (p.zombie()) {
                continue;
            }
            for (long id : windowIds) {
                if (p.isPayloadExecFor(id)) {
                    targets.add(new ProcessEnd.Target(p, id));
                    break;
                }
            }
        }
        return targets;
    }

    /** The removal script for the given processes and items. */
    public static RemoteScript script(List<ProcessEnd.Target> targets, List<CleanupItem> items) {
        RemoteScript.Builder b = RemoteScript.builder();
        b.section("processes", ProcessEnd.code(targets), 64 * 1024);
        List<Integer> files = new ArrayList<>();
        List<Integer> dirs = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            switch (items.get(i).kind()) {
                case FILE, WINDOW_CONFIG -> files.add(i);
                case DIRECTORY -> dirs.add(i);
                case PROCESS -> { /* ended above */ }
            }
        }
        StringBuilder sb = new StringBuilder("ok=1\n");
        for (int i : files) {
            String q = ShellQuote.quote(items.get(i).target());
            sb.append("f=").append(q).append("; if [ -e \"$f\" ] || [ -L \"$f\" ]; then rm -f -- \"$f\" 2>/dev/null;"
                    + " if [ -e \"$f\" ] || [ -L \"$f\" ]; then echo '").append(i).append(" present'; ok=0; else echo '")
                    .append(i).append(" removed'; fi; else echo '").append(i).append(" absent'; fi\n");
        }
        // deepest directories first; the kit's scratch directory last
        dirs.sort(Comparator.comparing((Integer i) -> isScratch(items.get(i).target()))
                .thenComparing(i -> -items.get(i).target().length()));
        for (int i : dirs) {
            String target = items.get(i).target();
            String q = ShellQuote.quote(target);
            if (isScratch(target)) {
                sb.append("f=").append(q).append("; if [ -L \"$f\" ]; then echo '").append(i).append(" foreign';")
                        .append(" elif [ ! -e \"$f\" ]; then echo '").append(i).append(" absent';")
                        .append(" elif [ ! -d \"$f\" ] || [ ! -O \"$f\" ]; then echo '").append(i).append(" foreign';")
                        .append(" elif [ $ok = 0 ]; then echo '").append(i).append(" kept';")
                        .append(" else rm -rf -- \"$f\" 2>/dev/null; if [ -e \"$f\" ]; then echo '").append(i)
                        .append(" present'; else echo '").append(i).append(" removed'; fi; fi\n");
            } else {
                sb.append("f=").append(q).append("; if [ -d \"$f\" ] && [ ! -L \"$f\" ]; then rmdir -- \"$f\" 2>/dev/null;"
                        + " if [ -d \"$f\" ]; then echo '").append(i).append(" present'; else echo '").append(i)
                        .append(" removed'; fi; else echo '").append(i).append(" absent'; fi\n");
            }
        }
        b.section("items", sb.toString(), 256 * 1024);
        return b.build();
    }

    /** Whether a path is a run's scratch directory ({@code /tmp/sigkit-<hex run ID>}). */
    static boolean isScratch(String path) {
        return path.matches("/tmp/sigkit-[0-9a-f]{8,32}");
    }

    private void record(Sections sections, List<ProcessEnd.Target> targets, List<CleanupItem> pending) {
        String[] processStatus = statuses(sections.lines("processes"), targets.size());
        for (int i = 0; i < targets.size(); i++) {
            RemoteProcess p = targets.get(i).process();
            String target = "pid " + p.pid() + ": " + p.commandLine();
            switch (processStatus[i]) {
                case "ended" -> manifest.resolved(CleanupItem.Kind.PROCESS, target, true,
                        "still running at cleanup; ended by the kit");
                case "gone" -> manifest.resolved(CleanupItem.Kind.PROCESS, target, true,
                        "still running at cleanup; it exited before the kit signalled it");
                case "changed" -> manifest.resolved(CleanupItem.Kind.PROCESS, target, false,
                        "left alone: by the time the kit would signal it, that PID was no longer the window's payload_exec");
                case "alive" -> manifest.resolved(CleanupItem.Kind.PROCESS, target, false,
                        "still running: could not be ended" + (p.uid() == 0 ? "" : " (it may run as another user)"));
                default -> manifest.resolved(CleanupItem.Kind.PROCESS, target, false, "cleanup did not report on it");
            }
        }
        String[] itemStatus = statuses(sections.lines("items"), pending.size());
        for (int i = 0; i < pending.size(); i++) {
            CleanupItem item = pending.get(i);
            if (item.kind() == CleanupItem.Kind.PROCESS) {
                continue;
            }
            switch (itemStatus[i]) {
                case "removed" -> manifest.resolved(item.kind(), item.target(), true, "removed by the kit");
                case "absent" -> manifest.resolved(item.kind(), item.target(), true,
                        "already gone at cleanup (moved or deleted on the payload)");
                case "present" -> manifest.resolved(item.kind(), item.target(), false,
                        item.kind() == CleanupItem.Kind.DIRECTORY && !isScratch(item.target())
                                ? "not removed: the directory is not empty (the payload, or another run, put files in it)"
                                : "could not be removed");
                case "kept" -> manifest.resolved(item.kind(), item.target(), false,
                        "kept: it holds this run's owner record, so that a later run removes what could not be removed now");
                case "foreign" -> manifest.resolved(item.kind(), item.target(), false,
                        "left alone: it is not a directory of the signaling user's (a link, or another owner)");
                default -> manifest.resolved(item.kind(), item.target(), false, "cleanup did not report on it");
            }
        }
    }

    /** Status words by index from lines {@code <index> <word>}; lines that do not parse are ignored. */
    private static String[] statuses(List<String> lines, int size) {
        String[] status = new String[size];
        java.util.Arrays.fill(status, "");
        for (String line : lines) {
            String[] f = line.trim().split(" ");
            if (f.length == 2 && f[0].matches("\\d{1,6}")) {
                int i = Integer.parseInt(f[0]);
                if (i < size && status[i].isEmpty()) {
                    status[i] = f[1];
                }
            }
        }
        return status;
    }
}
