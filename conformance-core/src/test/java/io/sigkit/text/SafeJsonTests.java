package io.sigkit.text;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SafeJsonTests {
    private static final JsonMapper SAFE = JsonMapper.builder(SafeJson.factory()).build();
    private static final JsonMapper PLAIN = JsonMapper.builder().build();

    @Test
    void terminal_controls_are_json_escapes_and_the_text_reads_back_unchanged() throws Exception {
        // GIVEN payload text with C0, DEL, C1 (8-bit CSI) and bidi controls, and ordinary unicode
        String text = SafeTextTests.HOSTILE + " del\u007f csi\u009b2J nel\u0085 lri\u2066 ✓ 漢字 😀 \"q\" \\";

        // WHEN written as JSON, to a String and as UTF-8 bytes
        String json = SAFE.writeValueAsString(Map.of("stderr", text));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        SAFE.writeValue(bytes, Map.of("stderr", text));

        // THEN no control character is written raw, each is a JSON escape, other BMP text stays as it is
        for (String out : new String[] {json, bytes.toString(StandardCharsets.UTF_8)}) {
            assertThat(out.chars().filter(c -> c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == 0x202e || c == 0x2066))
                    .as(out).isEmpty();
            // (upper-case hex, as Jackson writes its own escapes)
            assertThat(out).contains("\\u001B[1A").contains("\\u0007").contains("\\u007F").contains("\\u009B2J")
                    .contains("\\u0085").contains("\\u202Eevil").contains("\\u2066").contains("✓ 漢字 ");
            // AND the text read back is exactly the payload's
            assertThat(PLAIN.readTree(out).get("stderr").asText()).isEqualTo(text);
        }
    }

    @Test
    void ordinary_text_is_written_as_jackson_writes_it() throws Exception {
        Map<String, Object> value = Map.of("message", "configure exited 0 after 42.0 ms — ✓ Grüße \"x\" \\ /", "n", 3);

        assertThat(SAFE.writeValueAsString(value)).isEqualTo(PLAIN.writeValueAsString(value));
    }
}
