package io.sigkit.schemas;

/**
 * Names one of sigkit's JSON Schemas (draft 2020-12), kept as classpath resources with stable {@code $id}s.
 */
public enum SchemaId {
    /** The window configuration file the bus places at /signaling/window_configs/&lt;id&gt;.json. */
    WINDOW_CONFIG_V1("window-config.v1.schema.json"),
    /** The arguments of one payload_exec signal (configure or start), with the command template of each. */
    PAYLOAD_EXEC_ARGUMENTS_V1("payload-exec-arguments.v1.schema.json"),
    /** The requirement catalog. */
    CATALOG("catalog.schema.json"),
    /** The JSON certification report. */
    REPORT_V1("report.v1.schema.json"),
    /** Agreed deviations applied to a certification ({@code --waivers}, {@code sigkit.waivers}). */
    WAIVERS_V1("waivers.v1.schema.json"),
    /** Filesystem and permission probes as data: the catalog's own, and users' probes files. */
    PROBES_V1("probes.v1.schema.json"),
    /** The typed facts the probes gathered on a payload, as recorded in reports. */
    FACTS_V1("facts.v1.schema.json"),
    /** The inventory of a fleet certification ({@code sigkit certify --inventory}). */
    INVENTORY_V1("inventory.v1.schema.json"),
    /** The summary of a fleet certification (fleet.json). */
    FLEET_V1("fleet.v1.schema.json"),
    /** The testbed's variant payloads and what the kit must conclude about each (testbed/payloads/variants.json). */
    VARIANTS_V1("variants.v1.schema.json");

    /** Prefix of every sigkit schema {@code $id}; the rest is the file name. */
    public static final String ID_PREFIX = "https://sigkit.io/schemas/";

    /** Classpath folder holding the schema files. */
    public static final String RESOURCE_FOLDER = "io/sigkit/schemas/";

    private final String fileName;

    SchemaId(String fileName) {
        this.fileName = fileName;
    }

    /** The schema's file name, e.g. {@code window-config.v1.schema.json}. */
    public String fileName() {
        return fileName;
    }

    /** The classpath resource path, e.g. {@code io/sigkit/schemas/window-config.v1.schema.json}. */
    public String resourceName() {
        return RESOURCE_FOLDER + fileName;
    }

    /** The schema's {@code $id}, e.g. {@code https://sigkit.io/schemas/window-config.v1.schema.json}. */
    public String id() {
        return ID_PREFIX + fileName;
    }
}
