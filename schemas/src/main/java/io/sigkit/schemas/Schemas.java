package io.sigkit.schemas;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import com.networknt.schema.dialect.Dialect;
import com.networknt.schema.dialect.Dialects;
import com.networknt.schema.keyword.AnnotationKeyword;
import com.networknt.schema.path.PathType;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Holds the one schema registry of the module: draft 2020-12, sigkit's {@code $id}s resolved from this jar's
 * classpath resources (never the network), format assertions on.
 */
final class Schemas {

    /** Annotation keyword of payload-exec-arguments.v1 holding a signal's command template. */
    static final String COMMAND_KEYWORD = "x-sigkit-command";

    /** The draft 2020-12 meta-schema every sigkit schema declares in {@code $schema}. */
    static final String META_SCHEMA_ID = SpecificationVersion.DRAFT_2020_12.getDialectId();

    private static final Dialect DIALECT = Dialect.builder(Dialects.getDraft202012())
            .keyword(new AnnotationKeyword(COMMAND_KEYWORD))
            .build();

    private static final SchemaRegistry REGISTRY = SchemaRegistry.withDialect(DIALECT, builder -> builder
            .schemas(Schemas::schemaTextOrNull)
            .schemaRegistryConfig(SchemaRegistryConfig.builder()
                    .formatAssertionsEnabled(true)
                    .pathType(PathType.JSON_POINTER)
                    .build()));

    private static final Map<SchemaId, JsonNode> DOCUMENTS = new ConcurrentHashMap<>();

    private Schemas() {
    }

    static Dialect dialect() {
        return DIALECT;
    }

    /** The compiled schema, with every {@code $ref} resolved now rather than at first use. */
    static Schema schema(SchemaId id) {
        Schema schema = REGISTRY.getSchema(SchemaLocation.of(id.id()));
        schema.initializeValidators();
        return schema;
    }

    /** The draft 2020-12 meta-schema, from the validator library's bundled copy. */
    static Schema metaSchema() {
        Schema schema = REGISTRY.getSchema(SchemaLocation.of(META_SCHEMA_ID));
        schema.initializeValidators();
        return schema;
    }

    /** The schema document as JSON (shared: callers must not modify it). */
    static JsonNode document(SchemaId id) {
        return DOCUMENTS.computeIfAbsent(id, key -> {
            JsonText.Parsed parsed = JsonText.parse(text(key), key.resourceName());
            if (parsed.error() != null) {
                throw new IllegalStateException("schema resource " + key.resourceName() + " is not JSON: " + parsed.error());
            }
            return parsed.node();
        });
    }

    /** The schema file's text, read from this module's classpath. */
    static String text(SchemaId id) {
        try (InputStream in = Schemas.class.getClassLoader().getResourceAsStream(id.resourceName())) {
            if (in == null) {
                throw new IllegalStateException("schema resource " + id.resourceName() + " is missing from the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read schema resource " + id.resourceName(), e);
        }
    }

    private static String schemaTextOrNull(String iri) {
        return Arrays.stream(SchemaId.values())
                .filter(id -> id.id().equals(iri))
                .findFirst()
                .map(Schemas::text)
                .orElse(null);
    }
}
