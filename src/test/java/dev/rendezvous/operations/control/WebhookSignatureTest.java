package dev.rendezvous.operations.control;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class WebhookSignatureTest {

    @Test
    void theHeaderIsTheTimeAndTheHexHmacSha256OfTimeDotBody() {
        // the expected value from openssl: printf '%s' '1700000000.{"type":"room-started"}' | openssl dgst -sha256 -hmac '<secret>'
        assertEquals("t=1700000000,v1=50862e012fb209b70e169176fc45dba8e8e7a29b15720e3fe4375b485b59fc76",
                new WebhookSignature("rendezvous-webhook-secret").header(1_700_000_000L, "{\"type\":\"room-started\"}"));
    }
}
