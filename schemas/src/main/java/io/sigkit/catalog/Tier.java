package io.sigkit.catalog;

import java.util.Arrays;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * What the kit may do to the payload to check a requirement.
 */
public enum Tier {
    /** Probes that change nothing. Always on. */
    READ_ONLY("read-only"),
    /** Writing window configs and inbox files and issuing signals as the bus does, then removing it all. Always on. */
    BUS_EQUIVALENT("bus-equivalent"),
    /** Setting the clock to the payload's own current time. Opt-in. */
    REVERSIBLE("reversible"),
    /** Shutting the payload down. Opt-in, never on by default. */
    DESTRUCTIVE("destructive");

    private final String jsonName;

    Tier(String jsonName) {
        this.jsonName = jsonName;
    }

    /** The tier's name in the catalog and the report, e.g. {@code bus-equivalent}. */
    public String jsonName() {
        return jsonName;
    }

    /**
     * The tier of a catalog or report name.
     *
     * @throws IllegalArgumentException naming the value and the known names
     */
    public static Tier fromJsonName(String jsonName) {
        Objects.requireNonNull(jsonName, "jsonName");
        return Arrays.stream(values())
                .filter(tier -> tier.jsonName.equals(jsonName))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown tier '" + jsonName + "'; known tiers: "
                        + Arrays.stream(values()).map(Tier::jsonName).collect(Collectors.joining(", "))));
    }
}
