package io.sigkit.catalog;

import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * One requirement of the catalog: what the kit certifies, how, and what to check when it fails.
 *
 * @param id           stable ID, e.g. {@code SIG-CONF-002}
 * @param level        how it weighs in the verdict
 * @param title        short statement, used in display names
 * @param section      the spec section it comes from
 * @param specWords    the spec's own words, quoted exactly; null where the requirement is derived
 * @param howChecked   how the kit checks it
 * @param evidence     what the kit collects and reports
 * @param tier         what the kit must be allowed to do to check it
 * @param tags         areas it belongs to (environment, filesystem, privilege, config, configure, start, end, time,
 *                     timing), sorted
 * @param hints        "if this fails, check..." hints for the payload developer, most likely cause first
 * @param alsoMeasured whether it is also reported as a measurement whatever its verdict (SIG-TIME-001)
 */
public record Requirement(String id, Level level, String title, String section, String specWords, String howChecked,
                          String evidence, Tier tier, Set<String> tags, List<String> hints, boolean alsoMeasured) {

    private static final Pattern ID = Pattern.compile("SIG-[A-Z]+-[0-9]{3}");

    /** The tag of a requirement a user declared in a probes file (sigkit certify --probes). */
    public static final String USER_TAG = "user";

    /**
     * The IDs of users' own requirements (probes files): an upper-case prefix other than SIG, an area and three digits,
     * joined by '-' ({@code ACME-FS-001}).
     */
    public static final Pattern USER_ID = Pattern.compile("(?!SIG-)[A-Z][A-Z0-9]{1,15}(-[A-Z0-9]{1,16}){1,3}-[0-9]{3}");

    public Requirement {
        Objects.requireNonNull(id, "id");
        boolean user = tags != null && tags.contains(USER_TAG) && USER_ID.matcher(id).matches();
        if (!ID.matcher(id).matches() && !user) {
            throw new IllegalArgumentException("requirement ID '" + id + "' does not read SIG-<AREA>-<three digits>");
        }
        Objects.requireNonNull(level, () -> id + ": level");
        requireText(id, "title", title);
        requireText(id, "section", section);
        if (specWords != null) {
            requireText(id, "specWords", specWords);
        }
        requireText(id, "howChecked", howChecked);
        requireText(id, "evidence", evidence);
        Objects.requireNonNull(tier, () -> id + ": tier");
        tags = Collections.unmodifiableSet(new TreeSet<>(Objects.requireNonNull(tags, () -> id + ": tags")));
        if (tags.isEmpty()) {
            throw new IllegalArgumentException(id + ": a requirement has at least one tag");
        }
        hints = List.copyOf(Objects.requireNonNull(hints, () -> id + ": hints"));
        if (hints.isEmpty()) {
            throw new IllegalArgumentException(id + ": a requirement has at least one hint");
        }
        hints.forEach(hint -> requireText(id, "hint", hint));
    }

    /** Reads {@code SIG-CONF-002 [REQUIRED] configure completes within 15 seconds}. */
    public String displayName() {
        return id + " [" + level + "] " + title;
    }

    /** The group it belongs to: its ID without the number ({@code SIG-CONF-002} is in {@code SIG-CONF}). */
    public String group() {
        return id.substring(0, id.lastIndexOf('-'));
    }

    /** Whether the requirement carries the tag. */
    public boolean hasTag(String tag) {
        return tags.contains(tag);
    }

    /** The spec's own words, when the spec states the requirement. */
    public Optional<String> specWordsIfStated() {
        return Optional.ofNullable(specWords);
    }

    private static void requireText(String id, String field, String value) {
        Objects.requireNonNull(value, () -> id + ": " + field);
        if (value.isBlank()) {
            throw new IllegalArgumentException(id + ": " + field + " is blank");
        }
    }
}
