package io.sigkit.catalog;

import io.sigkit.schemas.SharedSpec;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads requirement IDs (and levels) from REQUIREMENTS.md, or IDs from the in-repo copy of its ID list. */
final class RequirementsFile {

    /** A table row of REQUIREMENTS.md: {@code | SIG-CONF-002 | REQUIRED | ...}. */
    private static final Pattern ROW = Pattern.compile("^\\|\\s*(SIG-[A-Z]+-[0-9]{3})\\s*\\|\\s*([^|]+?)\\s*\\|");

    static final String COPY = "requirement-ids.txt";

    private RequirementsFile() {
    }

    /** The live REQUIREMENTS.md, or null when the shared folder is absent. */
    static Path live() {
        return SharedSpec.file("REQUIREMENTS.md");
    }

    /** ID to level as written (e.g. "INFO + RECOMMENDED"), in file order. */
    static Map<String, String> levels(Path requirementsMd) {
        Map<String, String> levels = new LinkedHashMap<>();
        try {
            for (String line : Files.readAllLines(requirementsMd, StandardCharsets.UTF_8)) {
                Matcher row = ROW.matcher(line);
                if (row.find() && levels.put(row.group(1), row.group(2)) != null) {
                    throw new AssertionError(requirementsMd + " lists " + row.group(1) + " twice");
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return levels;
    }

    /** The IDs of the in-repo copy, in order. */
    static List<String> copiedIds() {
        try (InputStream in = RequirementsFile.class.getClassLoader().getResourceAsStream(COPY)) {
            if (in == null) {
                throw new AssertionError("test resource " + COPY + " is missing");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
                    .map(String::strip)
                    .filter(line -> !line.isEmpty() && !line.startsWith("#"))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The IDs the catalog must hold: the live file's when present, else the copy's. */
    static List<String> expectedIds() {
        Path live = live();
        return live != null ? List.copyOf(levels(live).keySet()) : copiedIds();
    }
}
