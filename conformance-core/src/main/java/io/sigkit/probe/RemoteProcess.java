package io.sigkit.probe;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A process seen on the payload through {@code /proc}: its identity (PID and start time, which together name one
 * process even when PIDs are reused), its place in the process tree, its owner and its argument vector.
 *
 * @param pid the process ID
 * @param startTicks the start time in clock ticks since boot ({@code /proc/PID/stat} field 22), or -1 when unknown
 * @param ppid the parent's PID, or -1
 * @param pgid the process group, or -1
 * @param sid the session, or -1
 * @param state the state letter ({@code R}, {@code S}, {@code Z}, …), or empty
 * @param uid the real user ID, or -1
 * @param argv the arguments as the kernel keeps them in {@code /proc/<pid>/cmdline}
 * @param argvCut whether the arguments were longer than the listing's cap (only their start was read)
 */
public record RemoteProcess(long pid, long startTicks, long ppid, long pgid, long sid, String state, long uid,
                            List<String> argv, boolean argvCut) {
    /** Clock ticks per second of {@link #startTicks()} (Linux's USER_HZ, 100 on every mainstream architecture). */
    public static final double CLOCK_TICKS_PER_SECOND = 100.0;
    /** How many bytes of each process's command line a listing reads. */
    public static final int ARGV_CAP = 4096;

    public RemoteProcess {
        argv = List.copyOf(Objects.requireNonNull(argv, "argv"));
        Objects.requireNonNull(state, "state");
    }

    /** A process known only by PID and arguments (tests, and callers that do not need the rest). */
    public RemoteProcess(long pid, List<String> argv) {
        this(pid, -1, -1, -1, -1, "", -1, argv, false);
    }

    /**
     * The shell code that lists every process: for each, the record separator {@code \n@<nonce>\n}, a header line
     * {@code <pid> <uid> <the rest of /proc/PID/stat after the command name>}, then the raw bytes of
     * {@code /proc/PID/cmdline} (NUL-separated, at most {@link #ARGV_CAP} + 1 bytes). POSIX sh; needs {@code $N}.
     */
    public static final String LIST_CODE = "for p in /proc/[0-9]*; do s=''; { read -r s < \"$p/stat\"; } 2>/dev/null || continue;"
            // bash reads files in blocks and, after the Uid loop's break, seeks back over what it did not use; when that
            // seek fails (the process has just exited), the rest of that status file stays in its buffer for fd 0 and
            // the next process's stat read returns its lines ("Gid: ..."): a stat line must start with "PID (", else
            // it is read again (at most 64 times, each consuming one stale line)
            + " sk_n=0; while case \"$s\" in \"${p#/proc/} (\"*) false;; *) [ $sk_n -lt 64 ];; esac; do"
            + " sk_n=$((sk_n + 1)); { read -r s < \"$p/stat\"; } 2>/dev/null || break; done;"
            + " u=''; { while read -r k v r; do if [ \"$k\" = Uid: ]; then u=$v; break; fi; done < \"$p/status\"; } 2>/dev/null;"
            // a process that exited between the two reads has no status left: it is not listed (its header would lack
            // the user ID, and one vanished process must not make the whole listing unreadable)
            + " [ -n \"$u\" ] || continue;"
            + " printf '\\n@%s\\n%s %s %s\\n' \"$N\" \"${p#/proc/}\" \"$u\" \"${s##*) }\";"
            + " head -c " + (ARGV_CAP + 1) + " \"$p/cmdline\" 2>/dev/null; done";

    /**
     * Parses a listing made by {@link #LIST_CODE}.
     *
     * @param section the listing's bytes
     * @param nonce the nonce of the call that made it
     * @throws IncompleteOutputException when a record is malformed (it cannot be told from a forged one)
     */
    public static List<RemoteProcess> parseListing(byte[] section, String nonce) {
        List<RemoteProcess> processes = new ArrayList<>();
        for (byte[] record : Sections.records(section, nonce, "process listing")) {
            processes.add(parseRecord(record));
        }
        return processes;
    }

    private static RemoteProcess parseRecord(byte[] record) {
        int nl = Sections.indexOf(record, new byte[] {'\n'}, 0);
        if (nl < 0) {
            throw new IncompleteOutputException("a process record without its header line");
        }
        // "pid uid rest-of-stat": uid is empty when the process ended between reading its stat and its status (a
        // short-lived process during the listing), so the first two fields are split on single spaces
        String header = new String(record, 0, nl, StandardCharsets.US_ASCII);
        int a = header.indexOf(' ');
        int b = a < 0 ? -1 : header.indexOf(' ', a + 1);
        if (b < 0) {
            throw malformed(header);
        }
        String[] rest = header.substring(b + 1).trim().split(" +");
        String[] f = new String[rest.length + 2];
        f[0] = header.substring(0, a);
        f[1] = header.substring(a + 1, b);
        System.arraycopy(rest, 0, f, 2, rest.length);
        // pid uid state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime cutime cstime
        // priority nice threads itrealvalue starttime ...
        if (f.length < 22) {
            throw malformed(header);
        }
        try {
            long pid = Long.parseLong(f[0]);
            long uid = f[1].isEmpty() ? -1 : Long.parseLong(f[1]);
            byte[] cmdline = Arrays.copyOfRange(record, nl + 1, record.length);
            boolean cut = cmdline.length > ARGV_CAP;
            if (cut) {
                cmdline = Arrays.copyOf(cmdline, ARGV_CAP);
            }
            return new RemoteProcess(pid, Long.parseLong(f[21]), Long.parseLong(f[3]), Long.parseLong(f[4]),
                    Long.parseLong(f[5]), f[2], uid, splitArgs(cmdline), cut);
        } catch (NumberFormatException e) {
            throw malformed(header);
        }
    }

    /** The header as read (escaped, at most 160 characters), so that a malformed one can be told apart later. */
    private static IncompleteOutputException malformed(String header) {
        String shown = header.length() > 160 ? header.substring(0, 160) + "…" : header;
        return new IncompleteOutputException("a process record with a malformed header: '"
                + io.sigkit.text.SafeText.escapeLine(shown) + "'");
    }

    private static List<String> splitArgs(byte[] cmdline) {
        List<String> args = new ArrayList<>();
        int from = 0;
        for (int i = 0; i < cmdline.length; i++) {
            if (cmdline[i] == 0) {
                args.add(new String(cmdline, from, i - from, StandardCharsets.UTF_8));
                from = i + 1;
            }
        }
        if (from < cmdline.length) {
            args.add(new String(cmdline, from, cmdline.length - from, StandardCharsets.UTF_8));
        }
        return args;
    }

    /** True when this is {@code payload_exec} (run directly or through its interpreter) for the given window. */
    public boolean isPayloadExecFor(long windowId) {
        boolean isPayloadExec = false;
        for (String arg : argv) {
            if (arg.equals("payload_exec") || arg.endsWith("/payload_exec")) {
                isPayloadExec = true;
                break;
            }
        }
        if (!isPayloadExec) {
            return false;
        }
        String id = Long.toUnsignedString(windowId);
        for (int i = 0; i + 1 < argv.size(); i++) {
            if (argv.get(i).equals("-w") && argv.get(i + 1).equals(id)) {
                return true;
            }
        }
        return argv.contains("-w" + id);
    }

    /** Whether the process is a zombie (it has exited; only its parent's wait is missing). */
    public boolean zombie() {
        return state.equals("Z");
    }

    /** The command line, space-joined, for messages and evidence. */
    public String commandLine() {
        return String.join(" ", argv) + (argvCut ? " …" : "");
    }
}
