package io.sigkit.probe;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses the output of the kit's remote scripts: sections introduced by a marker line {@code @@sigkit:<name>},
 * each holding the raw lines that follow. Defensive by design: unknown sections are kept, missing ones read as
 * empty, stray lines before the first marker are ignored.
 */
public final class Sections {
    public static final String MARKER = "@@sigkit:";

    private final Map<String, List<String>> sections;

    private Sections(Map<String, List<String>> sections) {
        this.sections = sections;
    }

    public static Sections parse(String output) {
        Map<String, List<String>> map = new LinkedHashMap<>();
        List<String> current = null;
        for (String raw : (output == null ? "" : output).split("\n", -1)) {
            String line = raw.endsWith("\r") ? raw.substring(0, raw.length() - 1) : raw;
            if (line.startsWith(MARKER)) {
                current = map.computeIfAbsent(line.substring(MARKER.length()).trim(), k -> new ArrayList<>());
            } else if (current != null) {
                current.add(line);
            }
        }
        map.replaceAll((k, v) -> trimTrailingEmpty(v));
        return new Sections(map);
    }

    /** The shell line that starts a section. */
    public static String marker(String name) {
        return "echo '" + MARKER + name + "'";
    }

    public boolean has(String name) {
        return sections.containsKey(name);
    }

    public List<String> lines(String name) {
        return sections.getOrDefault(name, List.of());
    }

    /** The first line of a section, trimmed; empty when absent. */
    public String first(String name) {
        List<String> lines = lines(name);
        return lines.isEmpty() ? "" : lines.get(0).trim();
    }

    /** The whole section joined by newlines. */
    public String text(String name) {
        return String.join("\n", lines(name));
    }

    public Map<String, List<String>> asMap() {
        return Map.copyOf(sections);
    }

    private static List<String> trimTrailingEmpty(List<String> lines) {
        int end = lines.size();
        while (end > 0 && lines.get(end - 1).isEmpty()) {
            end--;
        }
        return List.copyOf(lines.subList(0, end));
    }
}
