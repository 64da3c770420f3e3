package io.sigkit.testbed;

import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A variant payload of the testbed (testbed/payloads/variants.json): a {@link Kind#BROKEN broken} one is the reference
 * with one realistic flaw, violating exactly one requirement (its expected outcome FAIL; a few, expected PASS, are
 * conformant payloads the kit once failed on that requirement); a {@link Kind#HOSTILE hostile} one ({@code hostile-*})
 * attacks the kit instead (hostile output, planted names, …); a {@link Kind#CONFORMANT conformant} one is unusual (a
 * slow configure, work handed to a resident daemon) but violates nothing. Hostile and conformant variants have no
 * requirement, level or expected outcome: the kit must fail no requirement for them.
 *
 * @param name            kebab-case, as in {@code payload-sandbox up --variant NAME}
 * @param requirement     the one requirement ID it is about, e.g. {@code SIG-CONF-001}; null for hostile and conformant
 * @param level           that requirement's level, REQUIRED or RECOMMENDED; null for hostile and conformant
 * @param description     what is wrong (or unusual), in the words of a payload developer
 * @param upOptions       extra {@code payload-sandbox up} options the variant needs, e.g. {@code --no-sudo}
 * @param expectedOutcome what the kit must report for that requirement (FAIL, or PASS); null for hostile and conformant
 * @param kind            broken, hostile (attacks the kit) or conformant (must not fail)
 */
public record Variant(String name, String requirement, String level, String description, List<String> upOptions,
        String expectedOutcome, Kind kind) {

    /** What a variant is for. */
    public enum Kind {
        /** Violates one requirement: the kit must report it as FAIL (variants.json entries without "kind"). */
        BROKEN,
        /** Attacks the kit, not the API ({@code "kind": "hostile"}, named {@code hostile-*}). */
        HOSTILE,
        /** Violates none, in a way the kit once mistook for a violation ({@code "kind": "conformant"}). */
        CONFORMANT
    }

    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,63}");
    private static final Pattern REQUIREMENT = Pattern.compile("SIG-[A-Z]+-\\d{3}");
    private static final Set<String> LEVELS = Set.of("REQUIRED", "RECOMMENDED", "INFO");

    /** A broken variant. */
    public Variant(String name, String requirement, String level, String description, List<String> upOptions,
            String expectedOutcome) {
        this(name, requirement, level, description, upOptions, expectedOutcome, Kind.BROKEN);
    }

    /** Validates every field. */
    public Variant {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(kind, "kind");
        upOptions = List.copyOf(Objects.requireNonNull(upOptions, "upOptions"));
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("variant name '" + name + "' is not kebab-case");
        }
        if (description.isBlank()) {
            throw new IllegalArgumentException("variant " + name + ": empty description");
        }
        if (kind == Kind.CONFORMANT) {
            if (requirement != null || level != null || expectedOutcome != null) {
                throw new IllegalArgumentException("conformant variant " + name
                        + ": has no requirement, level or expectedOutcome");
            }
        } else if (kind == Kind.HOSTILE) {
            if (!name.startsWith("hostile-") || requirement != null || level != null || expectedOutcome != null) {
                throw new IllegalArgumentException("hostile variant " + name + ": must be named hostile-* and have no"
                        + " requirement, level or expectedOutcome");
            }
        } else {
            validateBroken(name, requirement, level, expectedOutcome);
        }
    }

    private static void validateBroken(String name, String requirement, String level, String expectedOutcome) {
        Objects.requireNonNull(requirement, "requirement");
        Objects.requireNonNull(level, "level");
        Objects.requireNonNull(expectedOutcome, "expectedOutcome");
        if (!REQUIREMENT.matcher(requirement).matches()) {
            throw new IllegalArgumentException("variant " + name + ": requirement '" + requirement
                    + "' is not a requirement ID like SIG-CONF-001");
        }
        if (!LEVELS.contains(level)) {
            throw new IllegalArgumentException("variant " + name + ": level '" + level + "' is not one of " + LEVELS);
        }
        if (expectedOutcome.isBlank()) {
            throw new IllegalArgumentException("variant " + name + ": empty expectedOutcome");
        }
    }

    /** Whether it attacks the kit rather than violating a requirement. */
    public boolean hostile() {
        return kind == Kind.HOSTILE;
    }

    /** Whether it violates no requirement (the kit must fail none for it). */
    public boolean conformant() {
        return kind == Kind.CONFORMANT;
    }

    /** The spec that starts this variant with the reference's defaults (its upOptions apply). */
    public PayloadSpec spec() {
        return PayloadSpec.reference().withVariant(name);
    }
}
