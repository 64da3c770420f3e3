package io.sigkit.probe;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A process seen on the payload through {@code /proc}: its PID and argument vector.
 *
 * @param pid the process ID
 * @param argv the arguments as the kernel keeps them in {@code /proc/<pid>/cmdline}
 */
public record RemoteProcess(long pid, List<String> argv) {
    /** The shell snippet that lists every process as {@code <pid> <args joined by \001>}; POSIX sh, no ps needed. */
    public static final String LIST_SCRIPT =
            "for p in /proc/[0-9]*; do c=$(tr '\\000' '\\001' 2>/dev/null < \"$p/cmdline\") || continue; "
                    + "[ -n \"$c\" ] && echo \"${p#/proc/} $c\"; done";

    public RemoteProcess {
        argv = List.copyOf(Objects.requireNonNull(argv, "argv"));
    }

    /** Parses the output of {@link #LIST_SCRIPT}; malformed lines are skipped. */
    public static List<RemoteProcess> parseList(List<String> lines) {
        List<RemoteProcess> processes = new ArrayList<>();
        for (String line : lines) {
            int space = line.indexOf(' ');
            if (space <= 0) {
                continue;
            }
            try {
                long pid = Long.parseLong(line.substring(0, space));
                String args = line.substring(space + 1);
                if (args.endsWith("\u0001")) {
                    args = args.substring(0, args.length() - 1);
                }
                processes.add(new RemoteProcess(pid, List.of(args.split("\u0001", -1))));
            } catch (NumberFormatException e) {
                // not a process line: ignore
            }
        }
        return processes;
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
        String id = Long.toString(windowId);
        for (int i = 0; i + 1 < argv.size(); i++) {
            if (argv.get(i).equals("-w") && argv.get(i + 1).equals(id)) {
                return true;
            }
        }
        return argv.contains("-w" + id);
    }

    /** The command line, space-joined, for messages and evidence. */
    public String commandLine() {
        return String.join(" ", argv);
    }
}
