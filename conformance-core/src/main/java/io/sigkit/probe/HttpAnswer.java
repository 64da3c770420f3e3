package io.sigkit.probe;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An HTTP/1.x answer as read from the wire (status line, headers, body), parsed from bytes the payload sent: never
 * trusted, always bounded by what the kit read. {@code Transfer-Encoding: chunked} is decoded; with
 * {@code Content-Length} the body is that many bytes and an answer that ends earlier is {@linkplain #complete()
 * incomplete}.
 *
 * @param statusCode the status code, e.g. 200
 * @param statusLine the status line as sent (without its line end)
 * @param headers header names in lower case to their first value
 * @param body the body bytes
 * @param complete false when the answer ended before the length its headers announced
 */
public record HttpAnswer(int statusCode, String statusLine, Map<String, String> headers, byte[] body, boolean complete) {

    private static final Pattern STATUS = Pattern.compile("HTTP/1\\.[01] ([0-9]{3})(?: .*)?");

    public HttpAnswer {
        Objects.requireNonNull(statusLine, "statusLine");
        headers = Collections.unmodifiableMap(new LinkedHashMap<>(headers));
        body = body.clone();
    }

    @Override
    public byte[] body() {
        return body.clone();
    }

    /** The body as UTF-8 text (malformed bytes replaced). */
    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }

    /** A header's value (name case-insensitive). */
    public Optional<String> header(String name) {
        return Optional.ofNullable(headers.get(name.toLowerCase(Locale.ROOT)));
    }

    /**
     * Parses an answer.
     *
     * @throws IllegalArgumentException saying why the bytes are not an HTTP/1.x answer
     */
    public static HttpAnswer parse(byte[] raw) {
        int end = indexOf(raw, "\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        int bodyStart = end + 4;
        if (end < 0) {
            end = indexOf(raw, "\n\n".getBytes(StandardCharsets.US_ASCII));
            bodyStart = end + 2;
        }
        if (raw.length == 0) {
            throw new IllegalArgumentException("no bytes at all");
        }
        String head = new String(raw, 0, end < 0 ? raw.length : end, StandardCharsets.ISO_8859_1);
        String[] lines = head.split("\r?\n", -1);
        Matcher status = STATUS.matcher(lines[0]);
        if (!status.matches()) {
            throw new IllegalArgumentException("not an HTTP/1.x status line: '" + excerpt(lines[0]) + "'");
        }
        if (end < 0) {
            throw new IllegalArgumentException("the headers never ended (no empty line after '" + excerpt(lines[0]) + "')");
        }
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                headers.putIfAbsent(lines[i].substring(0, colon).strip().toLowerCase(Locale.ROOT),
                        lines[i].substring(colon + 1).strip());
            }
        }
        byte[] body = Arrays.copyOfRange(raw, bodyStart, raw.length);
        boolean complete = true;
        if ("chunked".equalsIgnoreCase(headers.getOrDefault("transfer-encoding", ""))) {
            ByteArrayOutputStream decoded = new ByteArrayOutputStream();
            complete = dechunk(body, decoded);
            body = decoded.toByteArray();
        } else if (headers.containsKey("content-length")) {
            long length;
            try {
                length = Long.parseLong(headers.get("content-length"));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("Content-Length '" + excerpt(headers.get("content-length"))
                        + "' is not a number");
            }
            if (length < 0) {
                throw new IllegalArgumentException("Content-Length " + length + " is negative");
            }
            complete = body.length >= length;
            body = Arrays.copyOf(body, (int) Math.min(body.length, length));
        }
        return new HttpAnswer(Integer.parseInt(status.group(1)), lines[0], headers, body, complete);
    }

    /** Decodes a chunked body; false when it ended before its last chunk. */
    private static boolean dechunk(byte[] in, ByteArrayOutputStream out) {
        int at = 0;
        while (true) {
            int lineEnd = indexOf(in, new byte[] {'\r', '\n'}, at);
            if (lineEnd < 0) {
                return false;
            }
            String size = new String(in, at, lineEnd - at, StandardCharsets.ISO_8859_1);
            int semicolon = size.indexOf(';');
            int n;
            try {
                n = Integer.parseInt((semicolon >= 0 ? size.substring(0, semicolon) : size).strip(), 16);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("a chunk size '" + excerpt(size) + "' is not hexadecimal");
            }
            if (n < 0) {
                throw new IllegalArgumentException("a negative chunk size");
            }
            at = lineEnd + 2;
            if (n == 0) {
                return true;
            }
            if (at + n > in.length) {
                out.write(in, at, in.length - at);
                return false;
            }
            out.write(in, at, n);
            at += n + 2;
        }
    }

    /** At most 120 characters of payload text, for messages (the reports escape control characters). */
    static String excerpt(String text) {
        return text.length() <= 120 ? text : text.substring(0, 120) + "…";
    }

    private static int indexOf(byte[] data, byte[] needle) {
        return indexOf(data, needle, 0);
    }

    private static int indexOf(byte[] data, byte[] needle, int from) {
        outer:
        for (int i = Math.max(0, from); i <= data.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (data[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HttpAnswer a && statusCode == a.statusCode && complete == a.complete
                && statusLine.equals(a.statusLine) && headers.equals(a.headers) && Arrays.equals(body, a.body);
    }

    @Override
    public int hashCode() {
        return Objects.hash(statusCode, statusLine, headers, Arrays.hashCode(body), complete);
    }

    @Override
    public String toString() {
        return "HttpAnswer[" + excerpt(statusLine) + ", " + body.length + " body bytes" + (complete ? "" : ", incomplete") + "]";
    }
}
