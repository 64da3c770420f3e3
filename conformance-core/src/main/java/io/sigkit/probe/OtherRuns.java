package io.sigkit.probe;

import io.sigkit.cleanup.RunRecord;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The entries {@code /tmp/sigkit-*} on the payload and the owner records of the runs that made them (see
 * {@link RunRecord}), as listed by the facts probe: how a run tells a crashed run's leftovers from a live run's items.
 */
public final class OtherRuns {
    private OtherRuns() {
    }

    /** Cap of one owner record, in bytes. */
    static final int RECORD_CAP = 16 * 1024;

    /**
     * Shell code listing the entries {@code /tmp/sigkit-*}: per entry, the separator {@code \n@<nonce>\n}, a line
     * {@code own|foreign <owner record mtime or ->}, the entry's path and a NUL byte, then (for a directory of the
     * signaling user's holding a regular owner file of its own) the record's first bytes. Needs {@code $N}.
     */
    public static final String LIST_CODE = "for d in /tmp/sigkit-*; do [ -e \"$d\" ] || [ -L \"$d\" ] || continue; m=-; k=foreign;"
            + " o=\"$d/owner\"; if [ -d \"$d\" ] && [ ! -L \"$d\" ] && [ -O \"$d\" ]; then k=own;"
            + " if [ -f \"$o\" ] && [ ! -L \"$o\" ] && [ -O \"$o\" ]; then m=$(stat -c %Y \"$o\" 2>/dev/null) || m=-; fi; fi;"
            + " printf '\\n@%s\\n%s %s\\n%s\\000' \"$N\" \"$k\" \"$m\" \"$d\";"
            + " if [ \"$m\" != - ]; then head -c " + (RECORD_CAP + 1) + " \"$o\" 2>/dev/null; fi; done";

    /**
     * An entry {@code /tmp/sigkit-*} seen on the payload.
     *
     * @param path its path (payload-controlled: shown escaped, never used in a command)
     * @param record its owner record, when it is a valid one of the kit's
     * @param ageSeconds seconds since the record's last heartbeat, or -1
     */
    public record Entry(String path, Optional<RunRecord> record, long ageSeconds) {
        /** A valid record whose heartbeat is older than its lease: its run is gone. */
        public boolean stale() {
            return record.isPresent() && ageSeconds > record.get().leaseSeconds();
        }

        /** Why the entry is left alone, or empty when it is a stale run's to remove. */
        public String leftAloneBecause() {
            if (record.isEmpty()) {
                return "no valid owner record of the kit's (not made by this kit version, or not the signaling user's)";
            }
            return stale() ? "" : "its run is alive (heartbeat " + ageSeconds + " s ago, lease "
                    + record.get().leaseSeconds() + " s)";
        }
    }

    /** Parses the listing made by {@link #LIST_CODE}; {@code now} is the payload's clock in seconds. */
    public static List<Entry> parse(byte[] section, String nonce, long now) {
        List<Entry> entries = new ArrayList<>();
        for (byte[] rec : Sections.records(section, nonce, "listing of /tmp/sigkit-*")) {
            int nl = Sections.indexOf(rec, new byte[] {'\n'}, 0);
            int nul = Sections.indexOf(rec, new byte[] {0}, Math.max(nl, 0));
            if (nl < 0 || nul < 0) {
                throw new IncompleteOutputException("a malformed entry in the listing of /tmp/sigkit-*");
            }
            String[] head = new String(rec, 0, nl, StandardCharsets.US_ASCII).split(" ");
            String path = new String(rec, nl + 1, nul - nl - 1, StandardCharsets.UTF_8);
            byte[] content = Arrays.copyOfRange(rec, nul + 1, rec.length);
            Optional<RunRecord> record = Optional.empty();
            long age = -1;
            if (head.length == 2 && head[0].equals("own") && head[1].matches("\\d{1,19}") && content.length <= RECORD_CAP) {
                record = RunRecord.parse(path, content);
                age = now - Long.parseLong(head[1]);
            }
            entries.add(new Entry(path, record, age));
        }
        return entries;
    }


    /** A script that only lists the other runs (sections {@code now} and {@code runs}, as in the facts probe). */
    public static RemoteScript script() {
        return RemoteScript.builder().section("now", "date +%s").section("runs", LIST_CODE, 2 * 1024 * 1024).build();
    }

    /**
     * The entries from the output of {@link #script()} or of the facts probe.
     *
     * @throws IncompleteOutputException when the listing was cut, forged or is malformed
     */
    public static List<Entry> from(RemoteScript.Output output) {
        Sections s = output.require();
        String now = s.first("now");
        if (!now.matches("\\d{1,19}")) {
            throw new IncompleteOutputException(output.purpose() + ": the payload's clock could not be read");
        }
        return parse(s.bytes("runs"), output.nonce(), Long.parseLong(now));
    }
}
