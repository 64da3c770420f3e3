package io.sigkit.reports.internal;

import java.util.List;
import java.util.Objects;

/**
 * Everything index.html shows for a fleet, already formatted as text; the template only lays it out, and jte escapes
 * every value for the context it lands in.
 *
 * @param title the page title
 * @param status the worst status
 * @param statusClass the CSS class of the banner
 * @param line one sentence: how many targets ended how
 * @param subtitle the inventory and when
 * @param rows one per target, in the inventory's order
 * @param footer the generator line
 */
public record FleetView(String title, String status, String statusClass, String line, String subtitle, List<Row> rows,
                        String footer) {
    public FleetView {
        Objects.requireNonNull(title, "title");
        rows = List.copyOf(rows);
    }

    /**
     * One target.
     *
     * @param name the inventory's name
     * @param target its SSH login
     * @param status how it ended
     * @param statusClass the CSS class of the status
     * @param exitCode its exit code alone
     * @param duration how long it took
     * @param href the link to its report.html, relative, or empty when it has none
     * @param detail the requirements that failed, or why it has no verdict
     */
    public record Row(String name, String target, String status, String statusClass, String exitCode, String duration,
                      String href, String detail) {
    }
}
