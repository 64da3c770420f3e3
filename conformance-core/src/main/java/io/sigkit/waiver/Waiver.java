package io.sigkit.waiver;

import java.time.LocalDate;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * One agreed deviation: a requirement whose FAIL is accepted, why, by whom, until when, and optionally for which
 * payload_exec build only.
 *
 * @param id the waived requirement's ID, e.g. {@code SIG-CFG-003}
 * @param reason why the deviation is accepted
 * @param approvedBy who accepted it
 * @param expires the last day (UTC) it applies
 * @param payloadExecSha256 the SHA-256 (lowercase hex) of the one payload_exec build it applies to, or {@code null}
 */
public record Waiver(String id, String reason, String approvedBy, LocalDate expires, String payloadExecSha256) {

    public Waiver {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(approvedBy, "approvedBy");
        Objects.requireNonNull(expires, "expires");
        if (payloadExecSha256 != null) {
            payloadExecSha256 = payloadExecSha256.toLowerCase(Locale.ROOT);
            if (!payloadExecSha256.matches("[0-9a-f]{64}")) {
                throw new IllegalArgumentException(id + ": payloadExecSha256 must be 64 hex digits");
            }
        }
    }

    /** Whether the waiver no longer applies on {@code day} (UTC): it applies through its expiry date. */
    public boolean expiredOn(LocalDate day) {
        return day.isAfter(expires);
    }

    /** The payload_exec build the waiver is bound to, if any. */
    public Optional<String> boundTo() {
        return Optional.ofNullable(payloadExecSha256);
    }

    /** {@code "until 2027-01-31, approved by J. Doe: reason"}: how reports name the waiver next to a result. */
    public String describe() {
        return "approved by " + approvedBy + ", until " + expires
                + (payloadExecSha256 == null ? "" : ", for payload_exec " + payloadExecSha256.substring(0, 12) + "…")
                + ": " + reason;
    }
}
