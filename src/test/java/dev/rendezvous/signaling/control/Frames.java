package dev.rendezvous.signaling.control;

import java.util.List;
import java.util.SplittableRandom;

/**
 * Text frames for the fuzz test, from one seeded random source: envelopes built from the protocol's own grammar
 * (every action; its fields with right and wrong values; duplicate keys, every kind of escape, odd numbers, nesting),
 * the same mutated (cut short, spliced, deleted, repeated, trailing content), and random text. Peer ids appear as
 * {@link #ID_TOKENS}, for the test to replace with the ids its connections were given.
 */
final class Frames {

    static final List<String> ID_TOKENS = List.of("%ID0%", "%ID1%", "%ID2%");

    private static final String[] ACTIONS = {"hello", "start", "join", "leave", "offer", "answer", "candidate",
            "iceCandidate", "end-of-candidates", "renegotiate", "hangup", "message", "ping", "ack"};
    private static final String[] ROOMS = {"fz", "other", "a.b_c-d", "", "has space", "x".repeat(65), "x".repeat(64),
            "ümlaut", "../etc", "\\u0000"};
    private static final String[] DISPLAY_NAMES = {"Ann", "  ", "", "Zoë", "\\ud83d\\ude00", "A\\u0000B", "line\\nbreak",
            "\\u202eevil", "\\ud800", "n".repeat(65)};
    private static final String[] PROTOCOLS = {"1", "0", "2", "\"1\"", "1.5", "1e999999", "-1", "null", "99999999999"};
    private static final String[] SEQS = {"0", "1", "3", "-1", "99999999999999999999", "1.5", "\"2\"", "null", "9007199254740993"};
    private static final String[] TOKENS = {"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "", "short", "x".repeat(200),
            "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!"};
    /** What a hello may carry as its token: JWT-shaped or not (the fuzzed server has access control off). */
    private static final String[] JWTS = {"eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1In0.c2ln", "a.b.c", "", "..", "x".repeat(300)};
    private static final String[] IDS = {"AAAAAAAAAAAAAAAAAAAAAA", "not/an id", "", "x".repeat(65)};
    private static final String[] FIELDS = {"description", "offer", "answer", "from", "x", "sdp", "candidate"};
    private static final String[] NUMBERS = {"0", "-0", "42", "-7", "3.14", "1e999999", "-1e-999999",
            "123456789012345678901234567890", "9007199254740993"};
    private static final String[] ESCAPES = {"\\u0000", "\\ud800", "\\udc00x", "\\ud83d\\ude00", "\\\"", "\\\\", "\\/",
            "\\b\\f\\n\\r\\t", "\\u00e9", "é", "\ud83d\ude00"};
    private static final String[] KEYS = {"a", "b", "to", "payload", "k", ""};

    private final SplittableRandom random;

    Frames(long seed) {
        this.random = new SplittableRandom(seed);
    }

    /** The next frame: 6 in 10 well-formed envelopes, 3 mutated ones, 1 random text. */
    String next() {
        var dice = random.nextInt(10);
        if (dice < 6) {
            return envelope();
        }
        return dice < 9 ? mutate(envelope()) : randomText(120);
    }

    /** Which of {@code connections} sends the next frame. */
    int sender(int connections) {
        return random.nextInt(connections);
    }

    private String envelope() {
        var out = new StringBuilder("{");
        if (random.nextInt(14) != 0) {
            field(out, "action", random.nextInt(14) != 0 ? quoted(pick(ACTIONS)) : random.nextBoolean() ? quoted(alpha(12)) : value(1));
        }
        switch (random.nextInt(4)) {
            case 0 -> field(out, "txn", quoted(alpha(8)));
            case 1 -> field(out, "txn", random.nextInt(4) == 0 ? quoted("t".repeat(65)) : value(1));
            default -> { }
        }
        var data = random.nextInt(13);
        if (data < 10) {
            field(out, "data", data());
        } else if (data == 10) {
            field(out, "data", value(1));
        }
        switch (random.nextInt(5)) {
            case 0 -> field(out, "from", id());
            case 1 -> field(out, "action", value(2)); // a duplicate key
            case 2 -> field(out, "zzz", value(2));
            default -> { }
        }
        return out.append('}').toString();
    }

    private String data() {
        var out = new StringBuilder("{");
        for (var i = random.nextInt(6); i > 0; i--) {
            switch (random.nextInt(12)) {
                case 11 -> field(out, "token", random.nextInt(4) != 0 ? quoted(pick(JWTS)) : value(1));
                case 9 -> field(out, "seq", pick(SEQS));
                case 10 -> field(out, "resume", random.nextInt(6) == 0 ? value(1)
                        : "{\"token\":" + (random.nextBoolean() ? quoted(pick(TOKENS)) : value(1)) + ",\"lastSeq\":" + pick(SEQS) + "}");
                case 0 -> field(out, "room", random.nextInt(8) != 0 ? quoted(pick(ROOMS)) : value(1));
                case 1 -> field(out, "displayName", random.nextInt(8) != 0 ? quoted(pick(DISPLAY_NAMES)) : value(1));
                case 2 -> field(out, "protocol", pick(PROTOCOLS));
                case 3 -> field(out, "to", id());
                case 4 -> field(out, "remoteId", id());
                case 5, 6 -> field(out, "payload", value(3));
                default -> field(out, pick(FIELDS), value(2));
            }
        }
        return out.append('}').toString();
    }

    private String id() {
        return switch (random.nextInt(4)) {
            case 0, 1 -> quoted(pick(ID_TOKENS.toArray(String[]::new)));
            case 2 -> quoted(pick(IDS));
            default -> value(1);
        };
    }

    /** Any JSON value, nested at most {@code depth} deep. */
    private String value(int depth) {
        var kind = random.nextInt(depth > 0 ? 5 : 3);
        return switch (kind) {
            case 0 -> random.nextBoolean() ? pick(NUMBERS) : pick(new String[]{"null", "true", "false"});
            case 1 -> escaped(randomText(12));
            case 2 -> "\"" + pick(ESCAPES) + "\"";
            case 3 -> {
                var out = new StringBuilder("[");
                for (var i = random.nextInt(5); i > 0; i--) {
                    out.append(value(depth - 1)).append(i > 1 ? "," : "");
                }
                yield out.append(']').toString();
            }
            default -> {
                var out = new StringBuilder("{");
                for (var i = random.nextInt(5); i > 0; i--) {
                    field(out, pick(KEYS), value(depth - 1));
                }
                yield out.append('}').toString();
            }
        };
    }

    private String mutate(String frame) {
        var at = random.nextInt(frame.length() + 1);
        var to = Math.min(frame.length(), at + 1 + random.nextInt(8));
        var noise = randomText(1 + random.nextInt(4));
        return switch (random.nextInt(7)) {
            case 0 -> frame.substring(0, at); // cut short
            case 1 -> frame.substring(0, at) + noise + frame.substring(at); // insert
            case 2 -> frame.substring(0, Math.min(at, frame.length())) + frame.substring(to); // delete
            case 3 -> frame.substring(0, Math.min(at, frame.length())) + noise + frame.substring(to); // replace
            case 4 -> frame + frame.substring(at); // trailing content
            case 5 -> frame.substring(0, Math.min(at, frame.length())) + frame.substring(Math.min(at, frame.length()), to).repeat(3)
                    + frame.substring(to); // repeat a run
            default -> frame.replace('"', '\''); // the tests' own shorthand quotes
        };
    }

    /** Random characters of any kind: ASCII, control characters, any plane, lone surrogates. */
    private String randomText(int maxLength) {
        var length = random.nextInt(maxLength + 1);
        var out = new StringBuilder(length);
        for (var i = 0; i < length; i++) {
            out.append(switch (random.nextInt(4)) {
                case 0 -> (char) random.nextInt(0x20);
                case 1, 2 -> (char) (0x20 + random.nextInt(0x5F));
                default -> (char) random.nextInt(Character.MAX_VALUE + 1);
            });
        }
        return out.toString();
    }

    private String alpha(int maxLength) {
        var length = random.nextInt(maxLength + 1);
        var out = new StringBuilder(length);
        for (var i = 0; i < length; i++) {
            out.append((char) ('a' + random.nextInt(26)));
        }
        return out.toString();
    }

    private String pick(String[] choices) {
        return choices[random.nextInt(choices.length)];
    }

    private static void field(StringBuilder object, String name, String value) {
        if (object.length() > 1) {
            object.append(',');
        }
        object.append(quoted(name)).append(':').append(value);
    }

    private static String quoted(String text) {
        return "\"" + text + "\"";
    }

    /** {@code text} as a JSON string: quotes, backslashes and control characters escaped, anything else as it is. */
    private static String escaped(String text) {
        var out = new StringBuilder("\"");
        for (var c : text.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                default -> out.append(c < 0x20 ? String.format("\\u%04x", (int) c) : String.valueOf(c));
            }
        }
        return out.append('"').toString();
    }
}
