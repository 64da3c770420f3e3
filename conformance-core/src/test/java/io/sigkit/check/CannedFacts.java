package io.sigkit.check;

import io.sigkit.probe.PayloadFacts;
import io.sigkit.probe.RemoteScript;
import io.sigkit.probe.Sections;
import io.sigkit.transport.ExecResult;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Facts as the facts probe would report them, built from section contents without a payload: the sections are
 * framed and hex-encoded exactly as a {@link RemoteScript} prints them and parsed by the real parser.
 */
final class CannedFacts {
    private final Map<String, byte[]> sections = new LinkedHashMap<>();

    static CannedFacts of() {
        return new CannedFacts().put("uid", "1000\n").put("user", "sigapi\n");
    }

    CannedFacts put(String section, String text) {
        return put(section, text.getBytes(StandardCharsets.UTF_8));
    }

    CannedFacts put(String section, byte[] bytes) {
        sections.put(section, bytes.clone());
        return this;
    }

    PayloadFacts facts() {
        String nonce = RemoteScript.newNonce();
        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        for (Map.Entry<String, byte[]> e : sections.entrySet()) {
            raw.writeBytes(("\n" + Sections.MARKER + nonce + ":" + e.getKey() + "\n").getBytes(StandardCharsets.US_ASCII));
            raw.writeBytes(e.getValue());
        }
        raw.writeBytes(("\n" + Sections.MARKER + nonce + ":.end\n").getBytes(StandardCharsets.US_ASCII));
        String stdout = "\n" + nonce + ":begin\n" + HexFormat.of().formatHex(raw.toByteArray()) + "\n" + nonce + ":end\n";
        ExecResult exec = new ExecResult(1, "canned facts", 0, null, stdout, "", false, false, Duration.ofMillis(5),
                Duration.ofMillis(5), false);
        return PayloadFacts.of(new RemoteScript.Output("canned facts", nonce, exec, Sections.parse(stdout, nonce, Map.of())));
    }
}
