package io.sigkit.cli;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sigkit.catalog.RequirementCatalog;
import io.sigkit.waiver.WaiverFileException;
import io.sigkit.waiver.Waivers;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Reads and checks the files named on the command line, failing with one line that names the file. */
final class Inputs {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private Inputs() {
    }

    static void requireReadableFileIfSet(Path file, String what) {
        if (file != null) {
            requireReadableFile(file, what);
        }
    }

    static void requireReadableFile(Path file, String what) {
        if (!Files.exists(file)) {
            throw CliError.usage("cannot read " + what + " " + file + ": no such file");
        }
        if (Files.isDirectory(file)) {
            throw CliError.usage("cannot read " + what + " " + file + ": it is a directory");
        }
        if (!Files.isReadable(file)) {
            throw CliError.usage("cannot read " + what + " " + file + ": permission denied");
        }
    }

    static byte[] readBytes(Path file, String what) {
        requireReadableFile(file, what);
        try {
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw CliError.usage("cannot read " + what + " " + file + ": no such file");
        } catch (AccessDeniedException e) {
            throw CliError.usage("cannot read " + what + " " + file + ": permission denied");
        } catch (IOException e) {
            throw CliError.usage("cannot read " + what + " " + file + ": " + ExitCodes.summary(e));
        }
    }

    /** Reads a waivers file (JSON or YAML, waivers.v1), failing with one line naming the file and what is wrong. */
    static Waivers waivers(Path file, RequirementCatalog catalog) {
        try {
            return Waivers.load(file, catalog);
        } catch (WaiverFileException e) {
            throw CliError.usage(e.getMessage());
        }
    }

    /**
     * Reads a file that must hold one JSON object (the tasking parameters), failing with {@code file:line:col} when
     * it is not JSON or not an object.
     */
    static ObjectNode jsonObject(Path file, String what) {
        byte[] bytes = readBytes(file, what);
        JsonNode node;
        JsonLocation root;
        try (JsonParser parser = JSON.createParser(bytes)) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                throw CliError.usage(file + ":1:1: " + what + " is empty; expected a JSON object such as {\"mode\": \"survey\"}");
            }
            root = parser.currentTokenLocation();
            node = JSON.readTree(parser);
            if (parser.nextToken() != null) {
                JsonLocation extra = parser.currentTokenLocation();
                throw CliError.usage(file + ":" + extra.getLineNr() + ":" + extra.getColumnNr() + ": " + what
                        + " has more after its JSON value; expected one JSON object");
            }
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String where = at == null || at.getLineNr() < 1 ? file.toString()
                    : file + ":" + at.getLineNr() + ":" + Math.max(1, at.getColumnNr());
            throw CliError.usage(where + ": " + what + " is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw CliError.usage("cannot read " + what + " " + file + ": " + ExitCodes.summary(e));
        }
        if (!node.isObject()) {
            throw CliError.usage(file + ":" + root.getLineNr() + ":" + root.getColumnNr() + ": " + what
                    + " must be a JSON object ({...}), found " + node.getNodeType().name().toLowerCase(java.util.Locale.ROOT));
        }
        return (ObjectNode) node;
    }
}
