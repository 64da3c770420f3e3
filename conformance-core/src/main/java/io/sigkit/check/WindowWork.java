package io.sigkit.check;

import io.sigkit.probe.IncompleteOutputException;
import io.sigkit.probe.ProcessListing;
import io.sigkit.probe.RemoteProcess;
import io.sigkit.probe.RemoteScript;
import io.sigkit.probe.Sections;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The work one start signal creates on the payload, told apart from everything else by watching processes from the
 * signal on: a listing just before the signal says what already ran; the listings taken right after it attribute to
 * the window every new process of the signaling user that is not the kit's own (whatever its command line says, so a
 * worker that no longer names payload_exec or the window is still the window's work); later listings follow those
 * processes (by PID and start time), their descendants (by parent PID) and payload_exec processes whose arguments name
 * the window. One window is attributed at a time: the kit starts no other window until a window's work was captured.
 *
 * <p>What it cannot see: work handed to a process that was already running (a resident daemon) creates no new
 * process, so such a window shows no work, and the checks say NOT_VERIFIED (or warn) instead of guessing.
 */
public final class WindowWork {
    /** The section with the listing shell's own PID ({@code $$}); its session and ancestors are the kit's. */
    static final String SHELL_SECTION = "shell";
    /** The section with the signaling user's numeric user ID. */
    static final String UID_SECTION = "uid";

    /**
     * One listing of the payload's processes.
     *
     * @param at when the kit had it (the listing was taken shortly before)
     * @param shellPid the PID of the shell that made the listing (its session is the kit's)
     * @param processes every process
     */
    public record Look(Instant at, long shellPid, List<RemoteProcess> processes) {
        public Look {
            processes = List.copyOf(processes);
        }

        /** The listing in section {@code section} of a script built with {@link #addShell} and {@link #addLook}. */
        public static Look from(RemoteScript.Output output, String section, Instant at) {
            Sections s = output.require();
            String shell = s.first(SHELL_SECTION);
            if (!shell.matches("\\d{1,10}")) {
                throw new IncompleteOutputException(output.purpose() + ": the listing shell's PID is missing");
            }
            return new Look(at, Long.parseLong(shell), ProcessListing.from(output, section));
        }

        RemoteProcess byPid(long pid) {
            for (RemoteProcess p : processes) {
                if (p.pid() == pid) {
                    return p;
                }
            }
            return null;
        }
    }

    /** Adds the sections every look needs: the shell's PID and the user ID (once per script). */
    public static RemoteScript.Builder addShell(RemoteScript.Builder b) {
        return b.section(SHELL_SECTION, "echo $$", 32).section(UID_SECTION, "id -u", 32);
    }

    /** Adds one listing as section {@code name}. */
    public static RemoteScript.Builder addLook(RemoteScript.Builder b, String name) {
        return ProcessListing.add(b, name);
    }

    /** The signaling user's ID as the script printed it. */
    public static long uid(RemoteScript.Output output) {
        String uid = output.require().first(UID_SECTION);
        if (!uid.matches("\\d{1,10}")) {
            throw new IncompleteOutputException(output.purpose() + ": 'id -u' printed no user ID");
        }
        return Long.parseLong(uid);
    }

    private final long windowId;
    private final long uid;
    private final String scratch;
    private final Set<String> before;
    private final Map<String, RemoteProcess> attributed = new LinkedHashMap<>();

    private WindowWork(long windowId, long uid, String scratch, Look before) {
        this.windowId = windowId;
        this.uid = uid;
        this.scratch = scratch;
        this.before = before.processes().stream().map(WindowWork::identity).collect(Collectors.toSet());
    }

    /**
     * Starts watching a window.
     *
     * @param windowId the window whose start signal follows
     * @param uid the signaling user's ID
     * @param scratch the run's scratch directory (a process whose arguments hold it is the kit's)
     * @param before the listing taken just before the start signal
     */
    public static WindowWork since(long windowId, long uid, String scratch, Look before) {
        return new WindowWork(windowId, uid, scratch, before);
    }

    /**
     * A listing taken right after the start signal, before any other window was started: every new process of the
     * signaling user that is not the kit's becomes the window's, with what the later listings also attribute.
     *
     * @return the window's processes running in this listing
     */
    public List<RemoteProcess> capture(Look look) {
        Set<String> kits = kitProcesses(look);
        for (RemoteProcess p : look.processes()) {
            String id = identity(p);
            // a process whose command line reads empty is exiting (its memory already gone): whose it was cannot be
            // told, so it is nobody's work (the start's own payload_exec, caught as it exits, is not the window's work)
            if (!p.zombie() && !p.argv().isEmpty() && p.uid() == uid && p.uid() >= 0 && !before.contains(id)
                    && !kits.contains(id)) {
                attributed.putIfAbsent(id, p);
            }
        }
        return follow(look, kits);
    }

    /**
     * A later listing (other windows may run by then): the processes already attributed that still run, their new
     * descendants, and payload_exec processes whose arguments name the window.
     *
     * @return the window's processes running in this listing
     */
    public List<RemoteProcess> follow(Look look) {
        return follow(look, kitProcesses(look));
    }

    private List<RemoteProcess> follow(Look look, Set<String> kits) {
        for (RemoteProcess p : look.processes()) {
            if (!p.zombie() && !kits.contains(identity(p)) && p.isPayloadExecFor(windowId) && !p.argv().contains("-e")) {
                attributed.putIfAbsent(identity(p), p);
            }
        }
        boolean grew = true;
        while (grew) {
            grew = false;
            for (RemoteProcess p : look.processes()) {
                String id = identity(p);
                if (attributed.containsKey(id) || p.zombie() || kits.contains(id) || before.contains(id)) {
                    continue;
                }
                RemoteProcess parent = look.byPid(p.ppid());
                if (parent != null && attributed.containsKey(identity(parent))) {
                    attributed.put(id, p);
                    grew = true;
                }
            }
        }
        List<RemoteProcess> running = new ArrayList<>();
        for (RemoteProcess p : look.processes()) {
            if (!p.zombie() && attributed.containsKey(identity(p))) {
                running.add(p);
            }
        }
        return running;
    }

    /** Every process attributed to the window so far, in the order first seen. */
    public List<RemoteProcess> seen() {
        return List.copyOf(attributed.values());
    }

    /** Whether any process of the window was seen. */
    public boolean anySeen() {
        return !attributed.isEmpty();
    }

    /** The window this follows. */
    public long windowId() {
        return windowId;
    }

    /**
     * The kit's own processes in a listing: the listing shell and its ancestors (the SSH server's process for the
     * kit's connection), what the shell or a diagnostic wrapper (a process whose arguments hold the run's scratch
     * directory) started — except payload_exec and what it started —, an SFTP server of the kit's connection, and the
     * service manager's per-user instance that a login may start.
     */
    Set<String> kitProcesses(Look look) {
        RemoteProcess shell = look.byPid(look.shellPid());
        if (shell == null) {
            throw new IncompleteOutputException("the listing does not hold the shell that made it (pid "
                    + look.shellPid() + ")");
        }
        Set<String> kits = new HashSet<>();
        Set<Long> ancestors = new HashSet<>();
        for (RemoteProcess a = shell; a != null && a.pid() > 1 && ancestors.add(a.pid()); a = look.byPid(a.ppid())) {
            kits.add(identity(a));
        }
        for (RemoteProcess p : look.processes()) {
            if (holdsScratch(p) || startedByKit(p, look)
                    || (ancestors.contains(p.ppid()) && !p.argv().isEmpty() && p.argv().get(0).endsWith("sftp-server"))
                    || isUserServiceManager(p)) {
                kits.add(identity(p));
            }
        }
        return kits;
    }

    /** Whether the process descends from the listing shell or a wrapper with no payload_exec in between. */
    private boolean startedByKit(RemoteProcess p, Look look) {
        Set<Long> visited = new HashSet<>();
        for (RemoteProcess q = p; q != null && q.pid() > 1 && visited.add(q.pid()); q = look.byPid(q.ppid())) {
            if (q.pid() == look.shellPid() || (q != p && holdsScratch(q))) {
                return q != p;
            }
            if (namesPayloadExec(q)) {
                return false;
            }
        }
        return false;
    }

    private boolean holdsScratch(RemoteProcess p) {
        for (String a : p.argv()) {
            if (a.contains(scratch)) {
                return true;
            }
        }
        return false;
    }

    private static boolean namesPayloadExec(RemoteProcess p) {
        for (String a : p.argv()) {
            if (a.equals("payload_exec") || a.endsWith("/payload_exec")) {
                return true;
            }
        }
        return false;
    }

    private static boolean isUserServiceManager(RemoteProcess p) {
        List<String> a = p.argv();
        return !a.isEmpty() && (a.get(0).equals("(sd-pam)") || (a.get(0).endsWith("systemd") && a.contains("--user")));
    }

    /** PID and start time: one process, even when PIDs are reused. */
    static String identity(RemoteProcess p) {
        return p.pid() + "/" + p.startTicks();
    }

    /** {@code pid 812 (/usr/bin/python3 /usr/bin/payload_exec -u …)}, for messages; at most three. */
    public static String describe(Collection<RemoteProcess> processes) {
        List<String> parts = new ArrayList<>();
        int n = 0;
        for (RemoteProcess p : processes) {
            if (n++ == 3) {
                parts.add("…");
                break;
            }
            String cmd = p.commandLine();
            parts.add("pid " + p.pid() + ": " + (cmd.length() > 120 ? cmd.substring(0, 120) + " …" : cmd));
        }
        return String.join("; ", parts);
    }

    /** {@code 812, 815} */
    public static String pids(Collection<RemoteProcess> processes) {
        return processes.stream().map(p -> Long.toString(p.pid())).collect(Collectors.joining(", "));
    }

    /** Whether one of the processes names the window in payload_exec's arguments. */
    public boolean namesWindow(Collection<RemoteProcess> processes) {
        return processes.stream().anyMatch(p -> p.isPayloadExecFor(windowId));
    }
}
