package com.example.payload;

import io.sigkit.junit.SignalingApiConformanceTests;
import io.sigkit.junit.SignalingConformance;
import io.sigkit.junit.SignalingPayload;
import io.sigkit.testcontainers.SignalingPayloadContainer;

/**
 * Certifies our payload image against the Payload Signaling API v1.0: one test per requirement, named by its ID.
 * The container is started before the first test and removed after the last. Both opt-in tiers run: the container's
 * clock set is recorded (never done to this machine) and its shutdown stops the container.
 */
@SignalingConformance(allowClockSet = true, allowDestructive = true)
class PayloadConformanceTests extends SignalingApiConformanceTests {

    @SignalingPayload
    static SignalingPayloadContainer payload =
            new SignalingPayloadContainer(System.getenv().getOrDefault("PAYLOAD_IMAGE", "localhost/our-payload:dev"))
                    .withLinkControl(); // SIG-START-006: cuts the container's link from the host (needs root)
}
