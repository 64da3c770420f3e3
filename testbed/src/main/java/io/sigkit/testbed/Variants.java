package io.sigkit.testbed;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/** The testbed's variants, broken and conformant, as listed in testbed/payloads/variants.json. */
public final class Variants {

    private static final ObjectMapper JSON = new ObjectMapper();

    private Variants() {
    }

    /** Every variant, in the file's order. */
    public static List<Variant> all() {
        return read(Testbed.home().resolve("payloads").resolve("variants.json"));
    }

    /** The variant called {@code name}; fails naming the known ones when there is none. */
    public static Variant named(String name) {
        List<Variant> all = all();
        return all.stream()
                .filter(variant -> variant.name().equals(name))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown variant '" + name + "'; known variants: "
                        + all.stream().map(Variant::name).collect(Collectors.joining(", "))));
    }

    /** Reads a variants.json file; fails naming the file and the entry at fault. */
    static List<Variant> read(Path file) {
        JsonNode root;
        try {
            root = JSON.readTree(Files.readString(file));
        } catch (IOException e) {
            throw new TestbedException("cannot read " + file + ": " + e.getMessage(), e);
        }
        JsonNode entries = root == null ? null : root.get("variants");
        if (entries == null || !entries.isArray()) {
            throw new TestbedException(file + ": no \"variants\" array");
        }
        List<Variant> variants = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (int i = 0; i < entries.size(); i++) {
            JsonNode entry = entries.get(i);
            try {
                List<String> upOptions = new ArrayList<>();
                JsonNode options = entry.get("upOptions");
                if (options != null && !options.isNull()) {
                    if (!options.isArray()) {
                        throw new IllegalArgumentException("upOptions is not an array");
                    }
                    options.forEach(option -> upOptions.add(textOf(option, "upOptions[]")));
                }
                JsonNode kindNode = entry.get("kind");
                Variant variant;
                if (kindNode == null) {
                    variant = new Variant(field(entry, "name"), field(entry, "requirement"),
                            field(entry, "level"), field(entry, "description"), upOptions,
                            field(entry, "expectedOutcome"));
                } else if ("conformant".equals(textOf(kindNode, "kind"))) {
                    for (String absent : List.of("requirement", "level", "expectedOutcome")) {
                        if (entry.has(absent)) {
                            throw new IllegalArgumentException("a conformant variant has no '" + absent + "'");
                        }
                    }
                    variant = new Variant(field(entry, "name"), null, null, field(entry, "description"), upOptions,
                            null, Variant.Kind.CONFORMANT);
                } else {
                    throw new IllegalArgumentException("kind '" + kindNode.asText() + "' is not conformant (or absent)");
                }
                if (!names.add(variant.name())) {
                    throw new IllegalArgumentException("variant " + variant.name() + " is listed twice");
                }
                variants.add(variant);
            } catch (IllegalArgumentException e) {
                throw new TestbedException(file + ": variants[" + i + "]: " + e.getMessage(), e);
            }
        }
        return List.copyOf(variants);
    }

    private static String field(JsonNode entry, String name) {
        return textOf(entry.get(name), name);
    }

    private static String textOf(JsonNode node, String name) {
        if (node == null || !node.isTextual()) {
            throw new IllegalArgumentException("'" + name + "' is missing or not a string");
        }
        return node.asText();
    }
}
