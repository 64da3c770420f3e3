package io.sigkit.probe;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sigkit.schemas.SchemaId;
import io.sigkit.schemas.SchemaValidator;
import io.sigkit.schemas.ValidationReport;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A probes.v1 document: the filesystem and permission probes the facts probe script is generated from. The catalog's
 * own document ({@link #catalog()}) backs the SIG-FS and SIG-PRIV checks; a user's document ({@link #readUserFile})
 * adds checks under the user's own requirement IDs.
 *
 * @param source where the document came from, for messages
 * @param paths the path probes, in order
 * @param sudo the sudo rights to ask about, in order
 */
public record ProbeDocument(String source, List<PathProbe> paths, List<SudoProbe> sudo) {

    /** Classpath resource of the catalog's probes. */
    public static final String CATALOG_RESOURCE = SchemaId.RESOURCE_FOLDER + "signaling-api-v1.probes.json";

    /** Largest probes file read. */
    static final int MAX_FILE_BYTES = 1024 * 1024;

    /**
     * The rule for the requirement IDs of a user's probes: the probes.v1 pattern, and a prefix other than {@code SIG}
     * (the catalog's), so that a user's check can never be taken for, or replace, a catalog requirement.
     */
    public static final Pattern USER_REQUIREMENT_ID = Pattern.compile("[A-Z][A-Z0-9]{1,15}(-[A-Z0-9]{1,16}){1,3}-[0-9]{3}");

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static ProbeDocument catalog;

    public ProbeDocument {
        Objects.requireNonNull(source, "source");
        paths = List.copyOf(paths);
        sudo = List.copyOf(sudo);
        Set<String> ids = new HashSet<>();
        for (PathProbe p : paths) {
            if (!ids.add(p.id())) {
                throw new IllegalArgumentException(source + ": probe id '" + p.id() + "' appears twice");
            }
        }
        Set<String> sudoIds = new HashSet<>();
        for (SudoProbe s : sudo) {
            if (!sudoIds.add(s.id())) {
                throw new IllegalArgumentException(source + ": sudo probe id '" + s.id() + "' appears twice");
            }
        }
    }

    /** What a path must be. */
    public enum Kind {
        FILE, DIRECTORY, ANY;

        /** The word of the probes.v1 document. */
        public String word() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** What the signaling user must be able to do with a path. */
    public enum Access {
        READ, WRITE, EXECUTE, CREATE_ENTRY;

        /** The word of the probes.v1 document. */
        public String word() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }

        static Access of(String word) {
            return valueOf(word.toUpperCase(Locale.ROOT).replace('-', '_'));
        }
    }

    /**
     * One path probe (see probes.v1's {@code pathProbe}).
     *
     * @param modeForbids bits that must be clear, or -1
     * @param modeRequires bits that must be set, or -1
     */
    public record PathProbe(String id, String requirement, String title, String level, String path, Kind kind,
                            boolean followLinks, String owner, String group, int modeForbids, int modeRequires,
                            Set<Access> access, boolean sha256, boolean shebang, boolean mount) {
        public PathProbe {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(path, "path");
            Objects.requireNonNull(kind, "kind");
            access = Set.copyOf(access);
        }
    }

    /**
     * One sudo right to ask about (see probes.v1's {@code sudoProbe}).
     *
     * @param expectAllowed whether a user probe needs the command allowed (else refused)
     */
    public record SudoProbe(String id, String requirement, String title, String level, List<String> command,
                            boolean expectAllowed) {
        public SudoProbe {
            Objects.requireNonNull(id, "id");
            command = List.copyOf(command);
            if (command.isEmpty()) {
                throw new IllegalArgumentException("sudo probe '" + id + "' has no command");
            }
        }

        /** The command line as a person types it: words with shell characters single-quoted. */
        public String line() {
            List<String> words = new ArrayList<>();
            for (String w : command) {
                words.add(w.matches("[A-Za-z0-9@%+=:,./_-]+") ? w : io.sigkit.transport.ShellQuote.quote(w));
            }
            return String.join(" ", words);
        }
    }

    /** The catalog's probes (the resource {@value #CATALOG_RESOURCE}), read and validated once. */
    public static synchronized ProbeDocument catalog() {
        if (catalog == null) {
            try (InputStream in = ProbeDocument.class.getClassLoader().getResourceAsStream(CATALOG_RESOURCE)) {
                if (in == null) {
                    throw new IllegalStateException("the catalog's probes " + CATALOG_RESOURCE + " are not on the classpath");
                }
                catalog = parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), CATALOG_RESOURCE);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return catalog;
    }

    /**
     * Reads a user's probes file: valid against probes.v1, every probe naming a requirement ID of the user's own
     * ({@link #USER_REQUIREMENT_ID}, not SIG-), and no probe id the catalog's document uses.
     *
     * @throws IllegalArgumentException one line naming the file and what is wrong with it
     */
    public static ProbeDocument readUserFile(Path file) {
        byte[] bytes;
        try (InputStream in = Files.newInputStream(file)) {
            bytes = in.readNBytes(MAX_FILE_BYTES + 1);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read probes file " + file + ": "
                    + (e instanceof java.nio.file.NoSuchFileException ? "no such file" : e.getClass().getSimpleName()), e);
        }
        if (bytes.length > MAX_FILE_BYTES) {
            throw new IllegalArgumentException("probes file " + file + " is larger than 1 MiB");
        }
        ProbeDocument doc = parse(new String(bytes, StandardCharsets.UTF_8), file.toString());
        List<String> problems = userProblems(doc);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("probes file " + file + ": " + String.join("; ", problems));
        }
        return doc;
    }

    /** What makes a valid probes.v1 document unfit as a user's probes file (empty when fit). */
    public static List<String> userProblems(ProbeDocument doc) {
        List<String> problems = new ArrayList<>();
        Set<String> catalogIds = new HashSet<>();
        catalog().paths().forEach(p -> catalogIds.add(p.id()));
        catalog().sudo().forEach(p -> catalogIds.add(p.id()));
        Set<String> requirements = new HashSet<>();
        for (PathProbe p : doc.paths()) {
            check(problems, "paths", p.id(), p.requirement(), catalogIds, requirements);
        }
        for (SudoProbe s : doc.sudo()) {
            check(problems, "sudo", s.id(), s.requirement(), catalogIds, requirements);
        }
        if (doc.paths().isEmpty() && doc.sudo().isEmpty()) {
            problems.add("it declares no probe");
        }
        return problems;
    }

    private static void check(List<String> problems, String list, String id, String requirement, Set<String> catalogIds,
                              Set<String> requirements) {
        if (catalogIds.contains(id)) {
            problems.add(list + " probe '" + id + "': the catalog's probes use that id; choose another");
        }
        if (requirement == null) {
            problems.add(list + " probe '" + id + "' names no requirement: a user's probe is reported under an ID of"
                    + " the user's own, e.g. ACME-FS-001");
        } else if (requirement.startsWith("SIG-") || !USER_REQUIREMENT_ID.matcher(requirement).matches()) {
            problems.add(list + " probe '" + id + "': requirement '" + requirement + "' is not a user requirement ID"
                    + " (an upper-case prefix other than SIG, an area and three digits, joined by '-': ACME-FS-001)");
        } else if (!requirements.add(requirement)) {
            problems.add(list + " probe '" + id + "': requirement '" + requirement + "' is named by two probes");
        }
    }

    /**
     * Parses and validates probes.v1 text.
     *
     * @throws IllegalArgumentException naming the source and every schema error
     */
    public static ProbeDocument parse(String json, String source) {
        ValidationReport report = SchemaValidator.of(SchemaId.PROBES_V1).validateText(json, source);
        if (!report.valid()) {
            throw new IllegalArgumentException("probes file " + source + " is not a valid probes.v1 document: "
                    + report.errors().stream().map(e -> (e.line() > 0 ? e.line() + ":" + e.column() + " " : "")
                    + e.pointer() + ": " + e.message()).reduce((a, b) -> a + "; " + b).orElse(""));
        }
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (IOException e) {
            throw new IllegalArgumentException("probes file " + source + " is not JSON: " + e.getMessage(), e);
        }
        List<PathProbe> paths = new ArrayList<>();
        for (JsonNode p : root.path("paths")) {
            Set<Access> access = new LinkedHashSet<>();
            p.path("access").forEach(a -> access.add(Access.of(a.asText())));
            paths.add(new PathProbe(p.get("id").asText(), text(p, "requirement"), text(p, "title"), text(p, "level"),
                    p.get("path").asText(), Kind.valueOf(p.get("kind").asText().toUpperCase(Locale.ROOT)),
                    p.path("followLinks").asBoolean(true), text(p, "owner"), text(p, "group"),
                    octal(p, "modeForbids"), octal(p, "modeRequires"), access, p.path("sha256").asBoolean(false),
                    p.path("shebang").asBoolean(false), p.path("mount").asBoolean(false)));
        }
        List<SudoProbe> sudo = new ArrayList<>();
        for (JsonNode s : root.path("sudo")) {
            List<String> command = new ArrayList<>();
            s.get("command").forEach(w -> command.add(w.asText()));
            sudo.add(new SudoProbe(s.get("id").asText(), text(s, "requirement"), text(s, "title"), text(s, "level"),
                    command, !"refused".equals(text(s, "expect"))));
        }
        return new ProbeDocument(source, paths, sudo);
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    private static int octal(JsonNode node, String field) {
        String v = text(node, field);
        return v == null ? -1 : Integer.parseInt(v, 8);
    }

    /** The path probe with this id. */
    public java.util.Optional<PathProbe> path(String id) {
        return paths.stream().filter(p -> p.id().equals(id)).findFirst();
    }

    /** The sudo probe with this id. */
    public java.util.Optional<SudoProbe> sudoProbe(String id) {
        return sudo.stream().filter(p -> p.id().equals(id)).findFirst();
    }
}
