package io.sigkit.bus;

import io.sigkit.probe.RemoteProcess;
import java.util.List;

/**
 * The shell code that ends processes the kit chose from a listing, safely: just before each signal, the payload
 * re-checks that the PID still names the same process (its start time) and that its command line is still
 * payload_exec for the kit's window; a process that changed is left alone. {@code sudo -n kill} is tried only for a
 * process that ran as root (a payload_exec the payload raised itself) and never for another user's process.
 * Prints one line per target: {@code <index> ended|alive|gone|changed}. Needs {@code $S} (0x01) from the
 * {@link io.sigkit.probe.RemoteScript} preamble.
 */
public final class ProcessEnd {
    private ProcessEnd() {
    }

    /** A process to end, and the window whose payload_exec it must still be. */
    public record Target(RemoteProcess process, long windowId) {
    }

    static final String FUNCTIONS = ""
            // sigkit_same PID START: the PID still names the process that started at START (and it is not a zombie)
            + "sigkit_same() { s=''; { read -r s < \"/proc/$1/stat\"; } 2>/dev/null || return 1; set -f;"
            + " set -- \"$2\" ${s##*) }; set +f; [ \"$2\" != Z ] && [ \"${21}\" = \"$1\" ]; }\n"
            // sigkit_win PID WINDOW: its command line is payload_exec with -w WINDOW
            + "sigkit_win() { c=$(tr '\\000' '\\001' < \"/proc/$1/cmdline\" 2>/dev/null) || return 1;"
            + " case \"$c\" in *payload_exec\"$S\"*) ;; *) return 1 ;; esac;"
            + " case \"$c\" in *\"$S-w$S$2$S\"*|*\"$S-w$2$S\"*) return 0 ;; esac; return 1; }\n"
            // sigkit_sig SIGNAL PID START WINDOW ROOT: signal it if it is still the same window's process
            + "sigkit_sig() { sigkit_same \"$2\" \"$3\" && sigkit_win \"$2\" \"$4\" || return 1;"
            + " kill -\"$1\" \"$2\" 2>/dev/null || { [ \"$5\" = 1 ] && sudo -n kill -\"$1\" \"$2\" 2>/dev/null; }; }\n";

    /** Shell code ending the targets (TERM, up to 2 s, then KILL), printing the outcome of each. */
    public static String code(List<Target> targets) {
        StringBuilder sb = new StringBuilder(FUNCTIONS);
        if (targets.isEmpty()) {
            return sb.append(":").toString();
        }
        StringBuilder pre = new StringBuilder();
        for (int i = 0; i < targets.size(); i++) {
            Target t = targets.get(i);
            RemoteProcess p = t.process();
            String args = p.pid() + " " + p.startTicks() + " " + Long.toUnsignedString(t.windowId()) + " "
                    + (p.uid() == 0 ? 1 : 0);
            // before any signal: is it still there, and still the window's payload_exec?
            // (an exiting process shows an empty command line for a moment: "changed" only if it is still there after)
            pre.append("if ! sigkit_same ").append(p.pid()).append(' ').append(p.startTicks()).append("; then r").append(i)
                    .append("=gone; elif ! sigkit_win ").append(p.pid()).append(' ')
                    .append(Long.toUnsignedString(t.windowId())).append("; then sleep 0.1; if sigkit_same ").append(p.pid())
                    .append(' ').append(p.startTicks()).append("; then r").append(i).append("=changed; else r").append(i)
                    .append("=gone; fi; else r").append(i).append("=live; sigkit_sig TERM ").append(args).append("; fi\n");
        }
        sb.append(pre);
        sb.append("n=0; while [ $n -lt 10 ]; do a=0;");
        for (int i = 0; i < targets.size(); i++) {
            RemoteProcess p = targets.get(i).process();
            sb.append(" [ $r").append(i).append(" = live ] && sigkit_same ").append(p.pid()).append(' ')
                    .append(p.startTicks()).append(" && a=1;");
        }
        sb.append(" [ $a = 0 ] && break; sleep 0.2; n=$((n+1)); done\n");
        for (int i = 0; i < targets.size(); i++) {
            Target t = targets.get(i);
            RemoteProcess p = t.process();
            String args = p.pid() + " " + p.startTicks() + " " + Long.toUnsignedString(t.windowId()) + " "
                    + (p.uid() == 0 ? 1 : 0);
            sb.append("[ $r").append(i).append(" = live ] && sigkit_sig KILL ").append(args).append('\n');
        }
        sb.append("sleep 0.1\n");
        for (int i = 0; i < targets.size(); i++) {
            RemoteProcess p = targets.get(i).process();
            // a process that exited while it was checked (its command line empties before it becomes a zombie) looked
            // "changed": if it is gone now, it is gone
            sb.append("if [ $r").append(i).append(" = changed ] && ! sigkit_same ").append(p.pid()).append(' ')
                    .append(p.startTicks()).append("; then r").append(i).append("=gone; fi\n");
            sb.append("if [ $r").append(i).append(" != live ]; then echo \"").append(i).append(" $r").append(i)
                    .append("\"; elif sigkit_same ").append(p.pid()).append(' ').append(p.startTicks())
                    .append("; then echo '").append(i).append(" alive'; else echo '").append(i).append(" ended'; fi\n");
        }
        return sb.toString();
    }
}
