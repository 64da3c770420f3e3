package io.sigkit.cleanup;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Records everything the kit creates on the payload, so that it can all be removed at the end of a run — also after
 * a failure or an interrupt — and reported. Thread-safe: a shutdown hook may read it while a run is recording.
 */
public final class CleanupManifest {
    private final Map<String, CleanupItem> items = new LinkedHashMap<>();

    /**
     * Records a creation. Recording a pending target again keeps the first record; a target that was already removed
     * and is created again becomes pending again.
     */
    public synchronized void created(CleanupItem.Kind kind, String target) {
        CleanupItem old = items.get(key(kind, target));
        if (old == null || old.removed()) {
            items.put(key(kind, target), new CleanupItem(kind, target, "this run", false, "created"));
        }
    }

    /** Records a kit-made leftover of an earlier run, found on the payload. */
    public synchronized void leftover(CleanupItem.Kind kind, String target) {
        items.putIfAbsent(key(kind, target), new CleanupItem(kind, target, "earlier run", false, "left by an earlier run"));
    }

    /** Records the fate of a recorded item. Unknown targets are added, so nothing is ever silently dropped. */
    public synchronized void resolved(CleanupItem.Kind kind, String target, boolean removed, String note) {
        CleanupItem old = items.get(key(kind, target));
        String origin = old == null ? "this run" : old.origin();
        items.put(key(kind, target), new CleanupItem(kind, target, origin, removed, note));
    }

    /** Adds an item as it is (e.g. from the manifest of a recovery), replacing a record of the same target. */
    public synchronized void add(CleanupItem item) {
        items.put(key(item.kind(), item.target()), item);
    }

    /** Adds every item of another manifest. */
    public void addAll(CleanupManifest other) {
        for (CleanupItem item : other.items()) {
            add(item);
        }
    }

    public synchronized boolean contains(CleanupItem.Kind kind, String target) {
        return items.containsKey(key(kind, target));
    }

    /** Items not yet removed, in creation order. */
    public synchronized List<CleanupItem> pending() {
        List<CleanupItem> pending = new ArrayList<>();
        for (CleanupItem item : items.values()) {
            if (!item.removed()) {
                pending.add(item);
            }
        }
        return pending;
    }

    public synchronized List<CleanupItem> items() {
        return List.copyOf(items.values());
    }

    /** True when every recorded item was removed. */
    public synchronized boolean complete() {
        return items.values().stream().allMatch(CleanupItem::removed);
    }

    private static String key(CleanupItem.Kind kind, String target) {
        return kind + ":" + target;
    }
}
