package io.sigkit.cleanup;

import java.util.Objects;

/**
 * One thing the kit created on the payload (or found left by an earlier, crashed run) and what became of it.
 *
 * @param kind what it is
 * @param target a path, or a process description ({@code pid 123: /usr/bin/payload_exec -u john -w 2100000001 ...})
 * @param origin {@code "this run"} or {@code "earlier run"} (a kit-made leftover recognised by its name)
 * @param removed whether the kit removed it (or saw it gone)
 * @param note what happened, in words (e.g. "moved out of the inbox by payload_exec before cleanup")
 */
public record CleanupItem(Kind kind, String target, String origin, boolean removed, String note) {
    public CleanupItem {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(origin, "origin");
        note = note == null ? "" : note;
    }

    /** The kinds of things the kit creates on a payload. */
    public enum Kind { WINDOW_CONFIG, FILE, DIRECTORY, PROCESS }
}
