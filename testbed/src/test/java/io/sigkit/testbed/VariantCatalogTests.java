package io.sigkit.testbed;

import static org.assertj.core.api.Assertions.assertThat;

import io.sigkit.catalog.Requirement;
import io.sigkit.catalog.RequirementCatalog;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * variants.json against the requirement catalog: every requirement a variant names is the catalog's, at the catalog's
 * level, and every requirement of the catalog is either violated by a broken variant (BrokenVariantsTests proves its
 * FAIL path on a real payload) or listed under withoutVariant with the reason (its FAIL path is unit-tested).
 */
class VariantCatalogTests {

    private static final RequirementCatalog CATALOG = RequirementCatalog.load();

    @Test
    void every_requirement_a_variant_names_is_in_the_catalog_at_its_level() {
        // GIVEN the testbed's variants
        for (Variant v : Variants.all()) {
            // THEN its requirement is the catalog's, with the catalog's level, and so is every one of its alsoFails
            if (v.requirement() != null) {
                Requirement r = CATALOG.find(v.requirement()).orElse(null);
                assertThat(r).as("%s: requirement %s is not in the catalog", v.name(), v.requirement()).isNotNull();
                assertThat(v.level()).as("%s: level of %s", v.name(), v.requirement()).isEqualTo(r.level());
            }
            for (Variant.AlsoFails also : v.alsoFails()) {
                assertThat(CATALOG.find(also.requirement())).as("%s: alsoFails %s", v.name(), also.requirement())
                        .isPresent();
            }
        }
    }

    @Test
    void every_requirement_is_violated_by_a_broken_variant_or_listed_without_one_with_the_reason() {
        // GIVEN the catalog, the requirements broken variants violate, and those listed without a variant
        Set<String> catalog = CATALOG.profileNames().stream().flatMap(p -> CATALOG.requirements(p).stream())
                .map(Requirement::id).collect(Collectors.toCollection(TreeSet::new));
        Set<String> violated = Variants.all().stream().filter(Variant::broken).map(Variant::requirement)
                .collect(Collectors.toSet());
        Set<String> without = Variants.withoutVariant().keySet();

        // THEN together they are the catalog, with no requirement in both and no reason left blank
        Set<String> covered = new HashSet<>(violated);
        covered.addAll(without);
        assertThat(covered).as("requirements violated by a variant or listed without one").isEqualTo(catalog);
        assertThat(without).as("listed without a variant, yet violated by one").doesNotContainAnyElementsOf(violated);
        assertThat(Variants.withoutVariant().values()).allSatisfy(why -> assertThat(why).isNotBlank());
        assertThat(List.copyOf(without)).as("withoutVariant names catalog requirements").allMatch(catalog::contains);
    }
}
