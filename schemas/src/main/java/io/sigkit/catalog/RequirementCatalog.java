package io.sigkit.catalog;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.sigkit.schemas.SchemaId;
import io.sigkit.schemas.SchemaValidator;
import io.sigkit.schemas.ValidationReport;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The requirements the kit certifies, read from the catalog data file {@value #RESOURCE} after validating it
 * against catalog.schema.json.
 */
public final class RequirementCatalog {

    /** Classpath resource of the Signaling API v1.0 catalog. */
    public static final String RESOURCE = SchemaId.RESOURCE_FOLDER + "signaling-api-v1.catalog.json";

    /** The profile of the Signaling API requirements themselves, which every run checks. */
    public static final String DEFAULT_PROFILE = "default";

    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    private static volatile RequirementCatalog loaded;

    private final String version;
    private final String specVersion;
    private final List<Requirement> requirements;
    private final Map<String, List<Requirement>> profiles;
    private final Map<String, String> profileOfId;
    private final Map<String, Requirement> byId;
    private final Set<String> knownTags;
    private final Map<Tier, String> enablingFlags;
    private final WindowIdRange ordinaryWindowIds;
    private final WindowIdRange wideWindowIds;
    private final Map<String, String> groups;
    private final ChartHint timingChart;

    private RequirementCatalog(String version, String specVersion, List<Requirement> requirements,
                               Map<String, List<Requirement>> profiles, Set<String> knownTags,
                               Map<Tier, String> enablingFlags, WindowIdRange ordinaryWindowIds, WindowIdRange wideWindowIds,
                               Map<String, String> groups, ChartHint timingChart) {
        this.version = version;
        this.specVersion = specVersion;
        this.requirements = List.copyOf(requirements);
        Map<String, List<Requirement>> own = new LinkedHashMap<>();
        own.put(DEFAULT_PROFILE, this.requirements);
        profiles.forEach((name, added) -> own.put(name, List.copyOf(added)));
        this.profiles = Collections.unmodifiableMap(own);
        Map<String, Requirement> index = new LinkedHashMap<>();
        Map<String, String> profileIndex = new LinkedHashMap<>();
        this.profiles.forEach((name, added) -> added.forEach(requirement -> {
            index.put(requirement.id(), requirement);
            profileIndex.put(requirement.id(), name);
        }));
        this.byId = Collections.unmodifiableMap(index);
        this.profileOfId = Collections.unmodifiableMap(profileIndex);
        this.knownTags = Collections.unmodifiableSet(new LinkedHashSet<>(knownTags));
        this.enablingFlags = Collections.unmodifiableMap(new EnumMap<>(enablingFlags));
        this.ordinaryWindowIds = ordinaryWindowIds;
        this.wideWindowIds = wideWindowIds;
        this.groups = Collections.unmodifiableMap(new LinkedHashMap<>(groups));
        this.timingChart = timingChart;
    }

    /**
     * The Signaling API v1.0 catalog shipped with the kit (read once, then shared).
     *
     * @throws IllegalStateException when the catalog resource is missing or does not satisfy its schema, listing
     *                               every error with its line and column
     */
    public static RequirementCatalog load() {
        RequirementCatalog catalog = loaded;
        if (catalog == null) {
            synchronized (RequirementCatalog.class) {
                catalog = loaded;
                if (catalog == null) {
                    catalog = parse(readResource(), RESOURCE);
                    loaded = catalog;
                }
            }
        }
        return catalog;
    }

    /** Parses and validates catalog text; {@code source} names it in errors. */
    static RequirementCatalog parse(String text, String source) {
        ValidationReport report = SchemaValidator.of(SchemaId.CATALOG).validateText(text, source);
        if (!report.valid()) {
            throw new IllegalStateException("requirement catalog " + source + " does not satisfy " + SchemaId.CATALOG.id()
                    + ":" + System.lineSeparator() + report.describe());
        }
        JsonNode root;
        try {
            root = MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("requirement catalog " + source + " is not JSON: " + e.getOriginalMessage());
        }
        List<Requirement> requirements = new ArrayList<>();
        Set<String> ids = new LinkedHashSet<>();
        for (JsonNode entry : root.get("requirements")) {
            Requirement requirement = requirement(entry);
            if (!ids.add(requirement.id())) {
                throw new IllegalStateException("requirement catalog " + source + " lists " + requirement.id() + " twice");
            }
            requirements.add(requirement);
        }
        Map<String, List<Requirement>> profiles = new LinkedHashMap<>();
        for (JsonNode profile : root.path("profiles")) {
            String name = profile.get("name").textValue();
            List<Requirement> added = new ArrayList<>();
            for (JsonNode entry : profile.get("requirements")) {
                Requirement requirement = requirement(entry);
                if (!ids.add(requirement.id())) {
                    throw new IllegalStateException("requirement catalog " + source + " lists " + requirement.id() + " twice");
                }
                added.add(requirement);
            }
            if (profiles.put(name, added) != null) {
                throw new IllegalStateException("requirement catalog " + source + " defines profile '" + name + "' twice");
            }
        }
        Map<Tier, String> flags = new EnumMap<>(Tier.class);
        for (JsonNode tier : root.get("tiers")) {
            if (tier.hasNonNull("enabledBy")) {
                flags.put(Tier.fromJsonName(tier.get("tier").textValue()), tier.get("enabledBy").textValue());
            }
        }
        Map<String, String> groups = new LinkedHashMap<>();
        for (JsonNode group : root.get("groups")) {
            if (groups.put(group.get("group").textValue(), group.get("title").textValue()) != null) {
                throw new IllegalStateException("requirement catalog " + source + " lists group "
                        + group.get("group").textValue() + " twice");
            }
        }
        List<Requirement> everyProfile = new ArrayList<>(requirements);
        profiles.values().forEach(everyProfile::addAll);
        for (Requirement requirement : everyProfile) {
            if (!groups.containsKey(requirement.group())) {
                throw new IllegalStateException("requirement catalog " + source + ": " + requirement.id() + " is in group "
                        + requirement.group() + ", which is not in \"groups\" (add it with the heading reports give it)");
            }
        }
        ChartHint chart = null;
        JsonNode chartNode = root.get("timingChart");
        if (chartNode != null) {
            chart = new ChartHint(chartNode.get("requirement").textValue(), chartNode.get("samples").textValue(),
                    chartNode.get("caption").textValue());
            if (!ids.contains(chart.requirementId())) {
                throw new IllegalStateException("requirement catalog " + source + ": timingChart names "
                        + chart.requirementId() + ", which is not in the catalog");
            }
        }
        JsonNode ranges = root.get("reservedWindowIds");
        try {
            return new RequirementCatalog(root.get("catalogVersion").textValue(), root.get("specVersion").textValue(),
                    requirements, profiles, schemaTags(), flags, range(ranges.get("ordinary")), range(ranges.get("wide")),
                    groups, chart);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("requirement catalog " + source + ": " + e.getMessage(), e);
        }
    }

    /** The catalog's own version, e.g. {@code 1.0.0}. */
    public String version() {
        return version;
    }

    /** The version of the Signaling API it certifies: {@code 1.0}. */
    public String specVersion() {
        return specVersion;
    }

    /** Every requirement of the default profile (the Signaling API), in catalog order (the order of REQUIREMENTS.md). */
    public List<Requirement> requirements() {
        return requirements;
    }

    /**
     * The requirements a run of the profile checks, in catalog order: those of the default profile, then the profile's
     * own ({@code delivery}: the SIG-DLV requirements).
     *
     * @throws IllegalArgumentException naming the profile and the known ones when the catalog does not define it
     */
    public List<Requirement> requirements(String profile) {
        if (requireProfile(profile).equals(DEFAULT_PROFILE)) {
            return requirements;
        }
        List<Requirement> all = new ArrayList<>(requirements);
        all.addAll(profiles.get(profile));
        return List.copyOf(all);
    }

    /** The profiles a run may select, the default one first. */
    public Set<String> profileNames() {
        return profiles.keySet();
    }

    /**
     * The profile's name, when the catalog defines it.
     *
     * @throws IllegalArgumentException naming the profile and the known ones otherwise
     */
    public String requireProfile(String profile) {
        Objects.requireNonNull(profile, "profile");
        if (!profiles.containsKey(profile)) {
            throw new IllegalArgumentException("unknown profile '" + profile + "'; known profiles: "
                    + String.join(", ", profiles.keySet()));
        }
        return profile;
    }

    /** The profile that adds the requirement ({@value #DEFAULT_PROFILE} for the Signaling API's own), if it exists. */
    public Optional<String> profileOf(String id) {
        Objects.requireNonNull(id, "id");
        return Optional.ofNullable(profileOfId.get(id));
    }

    /** The requirement with this ID (of any profile), if the catalog has it. */
    public Optional<Requirement> find(String id) {
        Objects.requireNonNull(id, "id");
        return Optional.ofNullable(byId.get(id));
    }

    /**
     * The requirement with this ID.
     *
     * @throws IllegalArgumentException naming the ID when the catalog does not have it
     */
    public Requirement get(String id) {
        return find(id).orElseThrow(() -> new IllegalArgumentException("no requirement '" + id + "' in catalog " + version
                + " (IDs look like SIG-CONF-002)"));
    }

    /**
     * The requirements carrying a tag, of every profile, in catalog order.
     *
     * @throws IllegalArgumentException naming the tag and the known tags when the catalog schema does not define it
     */
    public List<Requirement> withTag(String tag) {
        Objects.requireNonNull(tag, "tag");
        if (!knownTags.contains(tag)) {
            throw new IllegalArgumentException("unknown tag '" + tag + "'; known tags: " + String.join(", ", knownTags));
        }
        return byId.values().stream().filter(requirement -> requirement.hasTag(tag)).toList();
    }

    /** Every tag the catalog schema defines, in schema order. */
    public Set<String> knownTags() {
        return knownTags;
    }

    /** The option that enables a tier, or empty for the tiers that are always on. */
    public Optional<String> enablingFlag(Tier tier) {
        Objects.requireNonNull(tier, "tier");
        return Optional.ofNullable(enablingFlags.get(tier));
    }

    /** Window IDs of the kit's ordinary test windows (they fit a signed 32-bit integer). */
    public WindowIdRange ordinaryWindowIds() {
        return ordinaryWindowIds;
    }

    /** Window IDs of the kit's wide-ID test windows (above 2^53, below 2^63-1), used by SIG-CONF-004. */
    public WindowIdRange wideWindowIds() {
        return wideWindowIds;
    }

    /**
     * The requirement groups in report order, each with its heading: {@code SIG-CONF} → {@code Configure signal}. Every
     * requirement's {@link Requirement#group() group} is here.
     */
    public Map<String, String> groups() {
        return groups;
    }

    /** The requirement whose timings report.html charts against their budget, if the catalog names one. */
    public Optional<ChartHint> timingChart() {
        return Optional.ofNullable(timingChart);
    }

    @Override
    public String toString() {
        return "RequirementCatalog[" + version + ", Signaling API " + specVersion + ", " + requirements.size() + " requirements]";
    }

    private static Requirement requirement(JsonNode entry) {
        Set<String> tags = new LinkedHashSet<>();
        entry.get("tags").forEach(tag -> tags.add(tag.textValue()));
        List<String> hints = new ArrayList<>();
        entry.get("hints").forEach(hint -> hints.add(hint.textValue()));
        JsonNode specWords = entry.get("specWords");
        return new Requirement(
                entry.get("id").textValue(),
                Level.valueOf(entry.get("level").textValue()),
                entry.get("title").textValue(),
                entry.get("section").textValue(),
                specWords.isNull() ? null : specWords.textValue(),
                entry.get("howChecked").textValue(),
                entry.get("evidence").textValue(),
                Tier.fromJsonName(entry.get("tier").textValue()),
                tags,
                hints,
                entry.path("alsoMeasured").asBoolean(false));
    }

    private static WindowIdRange range(JsonNode range) {
        return new WindowIdRange(range.get("first").longValue(), range.get("last").longValue());
    }

    private static Set<String> schemaTags() {
        Set<String> tags = new LinkedHashSet<>();
        SchemaValidator.of(SchemaId.CATALOG).schemaDocument().path("$defs").path("tag").path("enum")
                .forEach(tag -> tags.add(tag.textValue()));
        return tags;
    }

    private static String readResource() {
        try (InputStream in = RequirementCatalog.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("requirement catalog " + RESOURCE + " is missing from the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read requirement catalog " + RESOURCE, e);
        }
    }
}
