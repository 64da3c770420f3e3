package io.sigkit.testbed;

import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A broken payload of the testbed: the reference with one realistic flaw, violating exactly one requirement
 * (testbed/payloads/variants.json).
 *
 * @param name            kebab-case, as in {@code payload-sandbox up --variant NAME}
 * @param requirement     the one requirement ID it violates, e.g. {@code SIG-CONF-001}
 * @param level           that requirement's level, REQUIRED or RECOMMENDED
 * @param description     what is wrong, in the words of a payload developer
 * @param upOptions       extra {@code payload-sandbox up} options the variant needs, e.g. {@code --no-sudo}
 * @param expectedOutcome what the kit must report for that requirement (FAIL)
 */
public record Variant(String name, String requirement, String level, String description, List<String> upOptions,
        String expectedOutcome) {

    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,63}");
    private static final Pattern REQUIREMENT = Pattern.compile("SIG-[A-Z]+-\\d{3}");
    private static final Set<String> LEVELS = Set.of("REQUIRED", "RECOMMENDED", "INFO");

    /** Validates every field. */
    public Variant {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(requirement, "requirement");
        Objects.requireNonNull(level, "level");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(expectedOutcome, "expectedOutcome");
        upOptions = List.copyOf(Objects.requireNonNull(upOptions, "upOptions"));
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("variant name '" + name + "' is not kebab-case");
        }
        if (!REQUIREMENT.matcher(requirement).matches()) {
            throw new IllegalArgumentException("variant " + name + ": requirement '" + requirement
                    + "' is not a requirement ID like SIG-CONF-001");
        }
        if (!LEVELS.contains(level)) {
            throw new IllegalArgumentException("variant " + name + ": level '" + level + "' is not one of " + LEVELS);
        }
        if (description.isBlank()) {
            throw new IllegalArgumentException("variant " + name + ": empty description");
        }
        if (expectedOutcome.isBlank()) {
            throw new IllegalArgumentException("variant " + name + ": empty expectedOutcome");
        }
    }

    /** The spec that starts this variant with the reference's defaults (its upOptions apply). */
    public PayloadSpec spec() {
        return PayloadSpec.reference().withVariant(name);
    }
}
