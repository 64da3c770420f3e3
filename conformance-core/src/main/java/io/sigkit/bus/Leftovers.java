package io.sigkit.bus;

import io.sigkit.cleanup.CleanupItem;
import io.sigkit.cleanup.CleanupManifest;
import io.sigkit.cleanup.RunRecord;
import io.sigkit.transport.PayloadConnection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What earlier runs left on the payload, recognised by their owner records only (see {@link RunRecord}): the items of
 * a run whose heartbeat is older than its lease are removed; a live run's items, a record that is not the kit's, and
 * anything that merely looks kit-made are left alone and reported. The entries are listed by the facts probe
 * ({@link io.sigkit.probe.OtherRuns}).
 */
public final class Leftovers {
    private Leftovers() {
    }

    /**
     * Removes the items of stale runs: their payload_exec processes (by window, re-checked), the files their records
     * name, the directories they created (when empty) and their scratch directories.
     *
     * @return a manifest of what was found and removed (items already absent are not listed)
     */
    public static CleanupManifest recover(PayloadConnection connection, List<RunRecord> stale) {
        CleanupManifest found = new CleanupManifest();
        Set<Long> windows = new LinkedHashSet<>();
        for (RunRecord r : stale) {
            windows.addAll(r.windows());
            for (String p : r.paths()) {
                found.leftover(p.startsWith("/signaling/window_configs/") ? CleanupItem.Kind.WINDOW_CONFIG
                        : CleanupItem.Kind.FILE, p);
            }
            for (String d : r.directories()) {
                found.leftover(CleanupItem.Kind.DIRECTORY, d);
            }
            found.leftover(CleanupItem.Kind.DIRECTORY, r.scratch());
        }
        new Cleanup(connection, found).run(windows);
        CleanupManifest kept = new CleanupManifest();
        for (CleanupItem item : found.items()) {
            if (!(item.removed() && item.note().startsWith("already gone"))) {
                kept.add(item);
            }
        }
        return kept;
    }
}
