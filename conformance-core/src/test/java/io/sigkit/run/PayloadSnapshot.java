package io.sigkit.run;

import io.sigkit.testbed.RunningPayload;
import java.util.List;

/**
 * What a run must leave as it found it on a testbed payload: the {@code /signaling} tree (paths, modes, owners,
 * sizes) and the payload_exec processes.
 */
record PayloadSnapshot(List<String> signalingTree, List<String> payloadExecProcesses) {

    static PayloadSnapshot of(RunningPayload payload) {
        String tree = payload.execShell("find /signaling -printf '%p %m %u:%g %s\\n' | sort").stdout();
        String procs = payload.execShell("for p in /proc/[0-9]*; do c=$(tr '\\000' ' ' 2>/dev/null < $p/cmdline) || continue;"
                + " case \"$c\" in *payload_exec*) case \"$c\" in *'for p in'*) ;; *) echo \"$c\" ;; esac ;; esac; done | sort").stdout();
        return new PayloadSnapshot(lines(tree), lines(procs));
    }

    private static List<String> lines(String s) {
        return s.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
    }
}
