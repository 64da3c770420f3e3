package io.sigkit.schemas;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.path.NodePath;
import com.networknt.schema.serialization.node.TokenStreamLocationAware;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Validates JSON documents against one of sigkit's schemas, reporting each error with its JSON pointer, the failing
 * keyword, a message and, when the document was read from text, its line and column.
 *
 * <p>Instances are immutable and thread-safe; {@link #of(SchemaId)} returns a shared one per schema.
 */
public final class SchemaValidator {

    private static final Map<SchemaId, SchemaValidator> VALIDATORS = new ConcurrentHashMap<>();

    /** Keywords whose error names a property that exists: the pointer then designates that property. */
    private static final Set<String> PROPERTY_KEYWORDS = Set.of("additionalProperties", "unevaluatedProperties");

    private final SchemaId schemaId;
    private final Schema schema;

    private SchemaValidator(SchemaId schemaId, Schema schema) {
        this.schemaId = schemaId;
        this.schema = schema;
    }

    /** The validator of one schema. */
    public static SchemaValidator of(SchemaId schemaId) {
        Objects.requireNonNull(schemaId, "schemaId");
        return VALIDATORS.computeIfAbsent(schemaId, id -> new SchemaValidator(id, Schemas.schema(id)));
    }

    /** Which schema this validator applies. */
    public SchemaId schemaId() {
        return schemaId;
    }

    /** A copy of the schema document itself, e.g. to read its annotations. */
    public JsonNode schemaDocument() {
        return Schemas.document(schemaId).deepCopy();
    }

    /**
     * Validates a tree. Line and column are reported when the tree was read by this class (see
     * {@link #validateText}); for trees built or parsed elsewhere they are -1.
     *
     * @param node       the document
     * @param sourceName how errors name the document
     */
    public ValidationReport validate(JsonNode node, String sourceName) {
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(sourceName, "sourceName");
        if (node.isMissingNode()) {
            return new ValidationReport(sourceName, List.of(new ValidationError(
                    sourceName, "", ValidationError.SYNTAX, "no JSON value", -1, -1)));
        }
        List<ValidationError> errors = new ArrayList<>();
        for (Error error : schema.validate(node)) {
            errors.add(toValidationError(error, node, sourceName));
        }
        errors.sort(Comparator.comparingInt((ValidationError e) -> e.line() > 0 ? e.line() : Integer.MAX_VALUE)
                .thenComparingInt(e -> e.column() > 0 ? e.column() : Integer.MAX_VALUE));
        return new ValidationReport(sourceName, errors);
    }

    /**
     * Reads and validates a file of UTF-8 JSON text. A file that cannot be read gives one error with keyword
     * {@code io} naming the file; text that is not JSON gives one error with keyword {@code syntax} and its line and
     * column. Nothing is thrown for bad input.
     */
    public ValidationReport validate(Path file) {
        Objects.requireNonNull(file, "file");
        return validateParsed(JsonText.read(file), file.toString());
    }

    /** Parses and validates JSON text, as {@link #validate(Path)} does for a file's content. */
    public ValidationReport validateText(String json, String sourceName) {
        Objects.requireNonNull(json, "json");
        Objects.requireNonNull(sourceName, "sourceName");
        return validateParsed(JsonText.parse(json, sourceName), sourceName);
    }

    @Override
    public String toString() {
        return "SchemaValidator[" + schemaId.id() + "]";
    }

    /** Validates one of sigkit's schema documents against the draft 2020-12 meta-schema. */
    static ValidationReport validateAgainstMetaSchema(SchemaId schemaId) {
        String source = schemaId.resourceName();
        JsonText.Parsed parsed = JsonText.parse(Schemas.text(schemaId), source);
        if (parsed.error() != null) {
            return new ValidationReport(source, List.of(parsed.error()));
        }
        List<ValidationError> errors = new ArrayList<>();
        for (Error error : Schemas.metaSchema().validate(parsed.node())) {
            errors.add(toValidationError(error, parsed.node(), source));
        }
        return new ValidationReport(source, errors);
    }

    private ValidationReport validateParsed(JsonText.Parsed parsed, String sourceName) {
        if (parsed.error() != null) {
            return new ValidationReport(sourceName, List.of(parsed.error()));
        }
        return validate(parsed.node(), sourceName);
    }

    private static ValidationError toValidationError(Error error, JsonNode root, String source) {
        StringBuilder pointer = new StringBuilder();
        JsonNode target = root;
        NodePath path = error.getInstanceLocation();
        for (int i = 0; i < path.getNameCount(); i++) {
            Object element = path.getElement(i);
            if (element instanceof Integer index) {
                pointer.append('/').append(index);
                target = target == null ? null : target.get(index);
            } else {
                String name = String.valueOf(element);
                pointer.append('/').append(escape(name));
                target = target == null ? null : target.get(name);
            }
        }
        String property = error.getProperty();
        if (property != null && PROPERTY_KEYWORDS.contains(error.getKeyword()) && target != null && target.has(property)) {
            pointer.append('/').append(escape(property));
            target = target.get(property);
        }
        JsonLocation location = target instanceof TokenStreamLocationAware aware ? aware.tokenStreamLocation() : null;
        int line = location != null && location.getLineNr() > 0 ? location.getLineNr() : -1;
        int column = line > 0 && location.getColumnNr() > 0 ? location.getColumnNr() : -1;
        String keyword = error.getKeyword() == null ? "schema" : error.getKeyword();
        return new ValidationError(source, pointer.toString(), keyword, error.getMessage(), line, column);
    }

    /** Escapes a JSON pointer reference token (RFC 6901). */
    private static String escape(String name) {
        return name.replace("~", "~0").replace("/", "~1");
    }
}
