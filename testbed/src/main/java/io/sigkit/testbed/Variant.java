package io.sigkit.testbed;

import io.sigkit.catalog.Level;
import io.sigkit.catalog.Tier;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A variant payload of the testbed and what the kit must conclude about it, as listed in
 * testbed/payloads/variants.json (format: testbed/payloads/variants-contract.md and the variants.v1 schema).
 *
 * <ul>
 * <li>{@link Kind#BROKEN broken}: the reference with one realistic flaw that violates {@code requirement}; the kit must
 * FAIL it with a message naming the cause ({@code messageContains}), and may fail, or skip as blocked, only the
 * requirements of {@code alsoFails} besides.</li>
 * <li>{@link Kind#CONFORMANT conformant}: unusual but violating nothing. With a requirement, one the kit once
 * misjudged and must PASS; without one, the kit must fail nothing.</li>
 * <li>{@link Kind#HOSTILE hostile} ({@code hostile-*}): attacks the kit, not the API; no requirement.</li>
 * </ul>
 *
 * @param name            kebab-case, as in {@code payload-sandbox up --variant NAME}
 * @param kind            broken, conformant or hostile
 * @param requirement     the requirement it is about, e.g. {@code SIG-CONF-001}; null for hostile variants and
 *                        conformant ones that name none
 * @param level           that requirement's level; null without a requirement
 * @param expectedOutcome what the kit must report for that requirement: FAIL if broken, PASS if conformant; null
 *                        without a requirement
 * @param description     what is wrong (or unusual), in the words of a payload developer
 * @param upOptions       extra {@code payload-sandbox up} options the variant needs, e.g. {@code --no-sudo}
 * @param tiers           the opt-in tiers (reversible, destructive) its certification enables, for a flaw that shows
 *                        only there
 * @param alsoFails       requirements the flaw honestly breaks too (broken variants only)
 * @param messageContains words naming the cause that the FAIL message must hold (broken variants: at least one)
 */
public record Variant(String name, Kind kind, String requirement, Level level, ExpectedOutcome expectedOutcome,
        String description, List<String> upOptions, Set<Tier> tiers, List<AlsoFails> alsoFails,
        List<String> messageContains) {

    /** What a variant is for. */
    public enum Kind {
        /** Violates one requirement: the kit must FAIL it. */
        BROKEN,
        /** Violates none, in a way the kit once mistook for a violation. */
        CONFORMANT,
        /** Attacks the kit, not the API (named {@code hostile-*}). */
        HOSTILE
    }

    /** What the kit must report for a variant's requirement. */
    public enum ExpectedOutcome {
        /** A broken variant's requirement. */
        FAIL,
        /** A conformant variant's requirement, one the kit once failed. */
        PASS
    }

    /**
     * A requirement a broken variant may fail (or skip as blocked) besides its own.
     *
     * @param requirement its ID
     * @param why         why the one flaw breaks it too
     */
    public record AlsoFails(String requirement, String why) {

        /** Validates both fields. */
        public AlsoFails {
            requireId(requirement, "alsoFails");
            if (Objects.requireNonNull(why, "why").isBlank()) {
                throw new IllegalArgumentException("alsoFails " + requirement + ": empty why");
            }
        }
    }

    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,63}");
    private static final Pattern REQUIREMENT = Pattern.compile("SIG-[A-Z]+-\\d{3}");

    /** Validates every field and their agreement with the kind. */
    public Variant {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(description, "description");
        upOptions = List.copyOf(Objects.requireNonNull(upOptions, "upOptions"));
        tiers = Set.copyOf(Objects.requireNonNull(tiers, "tiers"));
        alsoFails = List.copyOf(Objects.requireNonNull(alsoFails, "alsoFails"));
        messageContains = List.copyOf(Objects.requireNonNull(messageContains, "messageContains"));
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("variant name '" + name + "' is not kebab-case");
        }
        if (description.isBlank()) {
            throw new IllegalArgumentException("variant " + name + ": empty description");
        }
        if (tiers.contains(Tier.READ_ONLY) || tiers.contains(Tier.BUS_EQUIVALENT)) {
            throw new IllegalArgumentException("variant " + name + ": only the opt-in tiers (reversible, destructive)"
                    + " are enabled per variant");
        }
        if (requirement != null) {
            requireId(requirement, "variant " + name + ": requirement");
        }
        if ((requirement == null) != (level == null) || (requirement == null) != (expectedOutcome == null)) {
            throw new IllegalArgumentException("variant " + name + ": a requirement comes with its level and expected"
                    + " outcome, and neither without one");
        }
        switch (kind) {
            case BROKEN -> {
                if (requirement == null || expectedOutcome != ExpectedOutcome.FAIL || messageContains.isEmpty()
                        || messageContains.stream().anyMatch(String::isBlank)) {
                    throw new IllegalArgumentException("broken variant " + name + ": needs a requirement, expected"
                            + " outcome FAIL and the cause words of its message (messageContains)");
                }
                if (alsoFails.stream().anyMatch(a -> a.requirement().equals(requirement))) {
                    throw new IllegalArgumentException("broken variant " + name + ": alsoFails names its own"
                            + " requirement");
                }
            }
            case CONFORMANT -> {
                if (expectedOutcome == ExpectedOutcome.FAIL || !alsoFails.isEmpty() || !messageContains.isEmpty()) {
                    throw new IllegalArgumentException("conformant variant " + name + ": fails nothing (no expected"
                            + " outcome FAIL, alsoFails or messageContains)");
                }
            }
            case HOSTILE -> {
                if (!name.startsWith("hostile-") || requirement != null || !alsoFails.isEmpty()
                        || !messageContains.isEmpty()) {
                    throw new IllegalArgumentException("hostile variant " + name + ": must be named hostile-* and have"
                            + " no requirement, alsoFails or messageContains");
                }
            }
            default -> throw new AssertionError(kind);
        }
    }

    private static void requireId(String id, String what) {
        if (id == null || !REQUIREMENT.matcher(id).matches()) {
            throw new IllegalArgumentException(what + " '" + id + "' is not a requirement ID like SIG-CONF-001");
        }
    }

    /** Whether it violates its requirement (the kit must FAIL it). */
    public boolean broken() {
        return kind == Kind.BROKEN;
    }

    /** Whether it attacks the kit rather than violating a requirement. */
    public boolean hostile() {
        return kind == Kind.HOSTILE;
    }

    /** Whether it violates no requirement (with a requirement: one the kit must PASS). */
    public boolean conformant() {
        return kind == Kind.CONFORMANT;
    }

    /** The requirements the kit may fail, or skip as blocked, for it: its own (if broken) and its alsoFails. */
    public Set<String> mayFail() {
        Set<String> ids = new HashSet<>();
        if (broken()) {
            ids.add(requirement);
        }
        alsoFails.forEach(a -> ids.add(a.requirement()));
        return Set.copyOf(ids);
    }

    /** The spec that starts this variant with the reference's defaults (its upOptions apply). */
    public PayloadSpec spec() {
        return PayloadSpec.reference().withVariant(name);
    }
}
