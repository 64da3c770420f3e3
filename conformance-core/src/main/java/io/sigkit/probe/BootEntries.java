package io.sigkit.probe;

import io.sigkit.transport.PayloadConnection;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What on the payload would start the OORT agent at boot: entries of its boot configuration whose name contains
 * {@code oort} (any case), listed read-only by one {@link RemoteScript}. Names are read as NUL-separated bytes and stay
 * data; the kit never follows or opens what they name beyond {@code test -e}, {@code test -x} and {@code readlink}.
 *
 * @param init PID 1's name ({@code /proc/1/comm}), e.g. {@code systemd}, {@code init}, {@code sshd}
 * @param entries every entry found
 */
public record BootEntries(String init, List<Entry> entries) {

    /** What kind of boot entry a path is. */
    public enum Kind {
        /** A systemd unit file (not yet saying it is enabled). */
        SYSTEMD_UNIT,
        /** A systemd unit file linked to /dev/null: masked, never started. */
        SYSTEMD_MASKED,
        /** A link in a {@code *.wants} or {@code *.requires} directory to an existing unit: enabled. */
        SYSTEMD_ENABLED,
        /** Such a link whose unit is missing. */
        SYSTEMD_DANGLING,
        /** A SysV init script in /etc/init.d (executable). */
        SYSV_SCRIPT,
        /** A SysV init script that is not executable. */
        SYSV_SCRIPT_NOT_EXECUTABLE,
        /** A start link in /etc/rc2.d to /etc/rc5.d. */
        SYSV_START_LINK,
        /** A monit configuration (the agent's INSTALL.md: /etc/monit/conf.d). */
        MONIT,
        /** A daemontools or runit service ({@code /service/…/run}, {@code /etc/service/…/run}, runsvdir). */
        SUPERVISED_SERVICE,
        /** An OpenRC runlevel entry. */
        OPENRC,
        /** A line of /etc/inittab naming it. */
        INITTAB,
        /** A line of /etc/rc.local naming it. */
        RC_LOCAL;

        /** Whether an entry of this kind starts the agent at boot by itself. */
        public boolean startsAtBoot() {
            return switch (this) {
                case SYSTEMD_ENABLED, SYSV_START_LINK, MONIT, SUPERVISED_SERVICE, OPENRC, INITTAB, RC_LOCAL -> true;
                default -> false;
            };
        }
    }

    /**
     * One entry.
     *
     * @param kind what it is
     * @param path where it is (payload text: shown escaped)
     */
    public record Entry(Kind kind, String path) {
        public Entry {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(path, "path");
        }

        @Override
        public String toString() {
            return kind.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ') + " " + path;
        }
    }

    public BootEntries {
        Objects.requireNonNull(init, "init");
        entries = List.copyOf(entries);
    }

    private static final String OORT = "*[oO][oO][rR][tT]*";

    private static final RemoteScript SCRIPT = RemoteScript.builder()
            .section("init", "cat /proc/1/comm 2>/dev/null", 64)
            .section("entries", String.join("\n",
                    "for d in /etc/systemd/system /run/systemd/system /lib/systemd/system /usr/lib/systemd/system; do",
                    "  for f in \"$d\"/" + OORT + "; do",
                    "    if [ -L \"$f\" ] && [ \"$(readlink \"$f\")\" = /dev/null ]; then printf 'SYSTEMD_MASKED %s\\000' \"$f\";",
                    "    elif [ -f \"$f\" ]; then printf 'SYSTEMD_UNIT %s\\000' \"$f\"; fi",
                    "  done",
                    "  for f in \"$d\"/*.wants/" + OORT + " \"$d\"/*.requires/" + OORT + "; do",
                    "    if [ -e \"$f\" ]; then printf 'SYSTEMD_ENABLED %s\\000' \"$f\";",
                    "    elif [ -L \"$f\" ]; then printf 'SYSTEMD_DANGLING %s\\000' \"$f\"; fi",
                    "  done",
                    "done",
                    "for f in /etc/init.d/" + OORT + "; do",
                    "  if [ -f \"$f\" ] && [ -x \"$f\" ]; then printf 'SYSV_SCRIPT %s\\000' \"$f\";",
                    "  elif [ -f \"$f\" ]; then printf 'SYSV_SCRIPT_NOT_EXECUTABLE %s\\000' \"$f\"; fi",
                    "done",
                    "for f in /etc/rc2.d/S" + OORT + " /etc/rc3.d/S" + OORT + " /etc/rc4.d/S" + OORT + " /etc/rc5.d/S" + OORT + "; do",
                    "  [ -e \"$f\" ] && printf 'SYSV_START_LINK %s\\000' \"$f\"",
                    "done",
                    "for f in /etc/monit/conf.d/" + OORT + " /etc/monit/conf-enabled/" + OORT + " /etc/monit.d/" + OORT + "; do",
                    "  [ -f \"$f\" ] && printf 'MONIT %s\\000' \"$f\"",
                    "done",
                    "for f in /service/" + OORT + "/run /etc/service/" + OORT + "/run /etc/runit/runsvdir/default/" + OORT
                            + "/run /var/service/" + OORT + "/run; do",
                    "  [ -f \"$f\" ] && printf 'SUPERVISED_SERVICE %s\\000' \"$f\"",
                    "done",
                    "for f in /etc/runlevels/*/" + OORT + "; do",
                    "  [ -e \"$f\" ] && printf 'OPENRC %s\\000' \"$f\"",
                    "done",
                    "for f in /etc/inittab /etc/rc.local; do",
                    "  if [ -f \"$f\" ] && grep -qi oort \"$f\" 2>/dev/null; then",
                    "    case $f in */inittab) printf 'INITTAB %s\\000' \"$f\" ;; *) printf 'RC_LOCAL %s\\000' \"$f\" ;; esac",
                    "  fi",
                    "done",
                    "true"), 64 * 1024)
            .build();

    /** The script (for tests under real shells). */
    static RemoteScript script() {
        return SCRIPT;
    }

    /**
     * Lists the entries over the connection.
     *
     * @throws IncompleteOutputException when the output timed out, was cut or holds forged lines
     */
    public static BootEntries probe(PayloadConnection connection) {
        RemoteScript.Output out = SCRIPT.run(connection, Duration.ofSeconds(20), "OORT agent boot entries");
        return of(out.require());
    }

    static BootEntries of(Sections s) {
        List<Entry> entries = new ArrayList<>();
        byte[] raw = s.bytes("entries");
        int start = 0;
        for (int i = 0; i <= raw.length; i++) {
            if (i == raw.length || raw[i] == 0) {
                if (i > start) {
                    String record = new String(raw, start, i - start, StandardCharsets.UTF_8);
                    int space = record.indexOf(' ');
                    if (space > 0) {
                        try {
                            entries.add(new Entry(Kind.valueOf(record.substring(0, space)), record.substring(space + 1)));
                        } catch (IllegalArgumentException e) {
                            // not a kind the script writes: ignore (the sections' framing already rules out forgery)
                        }
                    }
                }
                start = i + 1;
            }
        }
        return new BootEntries(s.text("init").strip(), entries);
    }

    /** The entries that start the agent at boot by themselves. */
    public List<Entry> startingAtBoot() {
        return entries.stream().filter(e -> e.kind().startsAtBoot()).toList();
    }

    /** The entries of the given kinds. */
    public List<Entry> ofKind(Kind... kinds) {
        List<Kind> wanted = List.of(kinds);
        return entries.stream().filter(e -> wanted.contains(e.kind())).toList();
    }
}
