package io.sigkit.catalog;

/**
 * An inclusive range of window IDs reserved for the kit's own test windows.
 *
 * @param first the lowest ID of the range
 * @param last  the highest ID of the range
 */
public record WindowIdRange(long first, long last) {

    public WindowIdRange {
        if (first < 0) {
            throw new IllegalArgumentException("window IDs are non-negative, got first = " + first);
        }
        if (last < first) {
            throw new IllegalArgumentException("empty window ID range " + first + ".." + last);
        }
    }

    /** Whether the ID lies in the range. */
    public boolean contains(long windowId) {
        return windowId >= first && windowId <= last;
    }

    /** How many IDs the range holds. */
    public long size() {
        return last - first + 1;
    }

    @Override
    public String toString() {
        return first + ".." + last;
    }
}
