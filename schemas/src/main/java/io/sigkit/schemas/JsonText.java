package io.sigkit.schemas;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.networknt.schema.serialization.node.LocationJsonNodeFactoryFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * Reads JSON text into a tree whose nodes remember their line and column, and turns every way the text can be
 * unreadable into one {@link ValidationError} instead of an exception.
 */
final class JsonText {

    /** Largest file read; window configs and reports are far smaller, and a runaway file must not exhaust memory. */
    static final int MAX_FILE_BYTES = 64 * 1024 * 1024;

    /**
     * Integers stay exact (int, long or BigInteger, never double); decimals are BigDecimal so that no number is
     * rounded before validation; a key repeated in one object is an error; trailing content is checked by hand.
     */
    private static final JsonMapper MAPPER = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .build();

    private static final Pattern JACKSON_SOURCE = Pattern.compile("\\[Source: [^;\\]]*; ");

    /** A parsed tree, or the single error that prevented parsing. */
    record Parsed(JsonNode node, ValidationError error) {
    }

    private JsonText() {
    }

    static Parsed parse(String text, String source) {
        if (text.startsWith("\uFEFF")) {
            return failed(source, "the text starts with a byte order mark (U+FEFF); JSON text must not (RFC 8259 section 8.1)"
                    + " and parsers such as Python's json.loads reject it", 1, 1);
        }
        try (JsonParser parser = MAPPER.createParser(text)) {
            JsonNodeFactory factory = LocationJsonNodeFactoryFactory.getInstance().getJsonNodeFactory(parser);
            JsonNode node = MAPPER.reader(factory).readTree(parser);
            if (node == null || node.isMissingNode()) {
                return failed(source, "no JSON value: the text is empty or only white space", 1, 1);
            }
            if (parser.nextToken() != null) {
                JsonLocation extra = parser.currentTokenLocation();
                return failed(source, "unexpected content after the end of the JSON value",
                        extra.getLineNr(), extra.getColumnNr());
            }
            return new Parsed(node, null);
        } catch (JsonProcessingException e) {
            JsonLocation location = e.getLocation();
            return failed(source, describe(e),
                    location == null ? -1 : location.getLineNr(), location == null ? -1 : location.getColumnNr());
        } catch (IOException e) {
            return failed(source, "invalid JSON: " + e.getMessage(), -1, -1);
        }
    }

    static Parsed read(Path file) {
        String source = file.toString();
        if (Files.isDirectory(file)) {
            return unreadable(source, "it is a directory");
        }
        if (Files.exists(file) && !Files.isRegularFile(file)) {
            return unreadable(source, "it is not a regular file (a device, FIFO or socket)");
        }
        byte[] bytes;
        try (InputStream in = Files.newInputStream(file)) {
            bytes = in.readNBytes(MAX_FILE_BYTES + 1);
        } catch (NoSuchFileException e) {
            return unreadable(source, "no such file");
        } catch (AccessDeniedException e) {
            return unreadable(source, "permission denied");
        } catch (IOException e) {
            return unreadable(source, e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
        }
        if (bytes.length > MAX_FILE_BYTES) {
            return unreadable(source, "it is larger than " + (MAX_FILE_BYTES / (1024 * 1024)) + " MiB");
        }
        return decode(bytes, source);
    }

    /** Decodes strict UTF-8 (the only encoding JSON allows between systems, RFC 8259 section 8.1), then parses. */
    private static Parsed decode(byte[] bytes, String source) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length + 1);
        CoderResult result = decoder.decode(in, out, true);
        if (!result.isError()) {
            result = decoder.flush(out);
        }
        out.flip();
        if (result.isError()) {
            int line = 1;
            int column = 1;
            for (int i = 0; i < out.limit(); i++) {
                if (out.get(i) == '\n') {
                    line++;
                    column = 1;
                } else {
                    column++;
                }
            }
            return failed(source, String.format("not UTF-8 text: invalid byte 0x%02X at byte offset %d",
                    bytes[in.position()] & 0xFF, in.position()), line, column);
        }
        return parse(out.toString(), source);
    }

    private static String describe(JsonProcessingException e) {
        String original = e.getOriginalMessage() == null ? e.getClass().getSimpleName() : e.getOriginalMessage();
        String firstLine = original.lines().findFirst().orElse(original);
        firstLine = JACKSON_SOURCE.matcher(firstLine).replaceAll("[");
        if (firstLine.startsWith("Duplicate field ")) {
            return "duplicate key " + firstLine.substring("Duplicate field ".length())
                    + " in one object: readers disagree about which value wins, so a key may appear only once";
        }
        return "invalid JSON: " + firstLine;
    }

    private static Parsed unreadable(String source, String why) {
        return new Parsed(null, new ValidationError(source, "", ValidationError.IO, "cannot read " + source + ": " + why, -1, -1));
    }

    private static Parsed failed(String source, String message, int line, int column) {
        return new Parsed(null, new ValidationError(source, "", ValidationError.SYNTAX, message,
                line > 0 ? line : -1, line > 0 && column > 0 ? column : -1));
    }
}
