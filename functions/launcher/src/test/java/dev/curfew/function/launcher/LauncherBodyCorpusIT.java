package dev.curfew.function.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.curfew.aws.AwsClients;
import dev.curfew.aws.testing.MotoServer;
import dev.curfew.core.launch.JsonBody;
import io.micronaut.json.JsonMapper;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.statistics.Statistics;
import software.amazon.awssdk.services.ec2.model.Filter;

/**
 * A generated corpus of request bodies through the deployed launcher handler, against the emulator: deep nesting,
 * huge numbers and exponent forms, escapes (invalid {@code \}u sequences, lone surrogates), duplicate keys, raw
 * control characters, bodies around the 16 KiB limit and of 1 MB, non-UTF-8 bytes, base64 bodies (a Function URL
 * sets {@code isBase64Encoded} for binary content types), empty and missing bodies, arrays, literals, and random
 * edits of a good body.
 *
 * <p>Every answer is a 2xx or a 4xx, never a 5xx and never an exception; its body is a JSON object, with an
 * {@code error} and a {@code message} when it is a 4xx; only an accepted body launches, exactly one instance: the
 * instances and security groups the account holds (read through the SDK after every request that made a call other
 * than a read, and every 100 tries) are exactly those of the 201 answers.
 */
class LauncherBodyCorpusIT {
    static final String EU = "eu-west-1";
    static final String GOOD = "{\"instanceType\": \"t3.micro\", \"hours\": 2, \"keyName\": \"alice-key\"}";
    static AwsClients clients;
    static LauncherHandler handler;
    static JsonMapper json;
    static String event;

    /** One body as Lambda hands it over: the text, and whether it is base64 (then {@code text} is the encoding). */
    record Body(String kind, String text, boolean base64) {
        @Override
        public String toString() {
            String t = text == null ? "null" : text.length() > 300 ? text.substring(0, 300) + "... (" + text.length()
                    + " characters)" : text;
            return kind + (base64 ? " (base64)" : "") + ": " + t;
        }
    }

    @BeforeContainer
    static void start() throws Exception {
        MotoServer moto = MotoServer.get();
        moto.reset();
        clients = new AwsClients(moto.settings(EU));
        // no wait for a public address moto does not give: the corpus is about bodies
        handler = Launchers.handler(moto, Map.of("curfew.launcher.address-wait-seconds", "0"));
        json = handler.getApplicationContext().getBean(JsonMapper.class);
        clients.ec2(EU).createKeyPair(b -> b.keyName("alice-key"));
        event = new String(java.nio.file.Files.readAllBytes(Events.dir().resolve("launcher-launch.json")),
                StandardCharsets.UTF_8);
    }

    @AfterContainer
    static void stop() {
        handler.close();
        clients.close();
    }

    /** Calls that change nothing: a request that made only these cannot have created anything. */
    static final java.util.regex.Pattern READ = java.util.regex.Pattern.compile("[a-z0-9]+:(Describe|Get|List)\\w+");
    static final java.util.concurrent.atomic.AtomicInteger TRIES = new java.util.concurrent.atomic.AtomicInteger();
    static int launched;
    static long groupsAtStart = -1;

    @Property(tries = 2000, shrinking = ShrinkingMode.BOUNDED)
    @SuppressWarnings("unchecked")
    void everyBodyIsAnsweredWithA2xxOr4xxAndOnlyAGoodOneLaunches(@ForAll("bodies") Body body) throws Exception {
        if (groupsAtStart < 0) {
            groupsAtStart = groups();
        }
        APIGatewayV2HTTPEvent e = json.readValue(event.getBytes(StandardCharsets.UTF_8), APIGatewayV2HTTPEvent.class);
        e.setBody(body.text());
        e.setIsBase64Encoded(body.base64());

        long t0 = System.nanoTime();
        APIGatewayV2HTTPResponse r = handler.handleRequest(e, null);
        Duration took = Duration.ofNanos(System.nanoTime() - t0);
        Map<String, Long> calls = handler.service.clients().counter().snapshot();

        Statistics.label("status").collect(r.getStatusCode());
        Statistics.label("kind").collect(body.kind());
        assertThat(r.getStatusCode()).as(r.getBody()).isBetween(200, 499);
        assertThat(took).as("answered in").isLessThan(Duration.ofSeconds(10));
        assertThat(r.getBody()).hasSizeLessThan(8 * 1024);
        Object parsed = JsonBody.parse(r.getBody());
        assertThat(parsed).as(r.getBody()).isInstanceOf(Map.class);
        Map<String, Object> out = (Map<String, Object>) parsed;
        boolean wrote = calls.keySet().stream().anyMatch(c -> !READ.matcher(c).matches());
        if (r.getStatusCode() >= 400) {
            assertThat(out.get("error")).as(r.getBody()).isInstanceOf(String.class);
            assertThat((String) out.get("error")).isNotBlank();
            assertThat(out.get("message")).as(r.getBody()).isInstanceOf(String.class);
        } else {
            assertThat(r.getStatusCode()).as(r.getBody()).isEqualTo(201);
            assertThat(liveInstances()).containsExactly((String) out.get("instanceId"));
            launched++;
            // keep alice under the per-student cap for the tries that follow
            clients.ec2(EU).terminateInstances(b -> b.instanceIds((String) out.get("instanceId")));
        }
        // what the account holds, read through the SDK: after any request that called AWS to change something, and
        // every 100 tries anyway (a request that made read calls only cannot have created anything)
        if (wrote || TRIES.incrementAndGet() % 100 == 0) {
            assertThat(allInstances()).as("instances ever launched, after " + r.getBody()).isEqualTo(launched);
            assertThat(liveInstances()).as("nothing left running after " + r.getBody()).isEmpty();
            assertThat(groups()).as("security groups, after " + r.getBody()).isEqualTo(groupsAtStart + launched);
        }
    }

    static List<String> liveInstances() {
        List<String> ids = new ArrayList<>();
        clients.ec2(EU).describeInstances(b -> b.maxResults(1000).filters(Filter.builder()
                .name("instance-state-name").values("pending", "running").build())).reservations()
                .forEach(res -> res.instances().forEach(i -> ids.add(i.instanceId())));
        return ids;
    }

    static long allInstances() {
        return clients.ec2(EU).describeInstances(b -> b.maxResults(1000)).reservations().stream()
                .mapToLong(res -> res.instances().size()).sum();
    }

    static long groups() {
        return clients.ec2(EU).describeSecurityGroups().securityGroups().size();
    }

    // ---------------------------------------------------------------- the corpus

    @Provide
    Arbitrary<Body> bodies() {
        // a good body launches (about 0.3 s on the emulator): few of them, most of the corpus is what is refused
        Arbitrary<Body> plain = Arbitraries.frequencyOf(
                Tuple.of(1, good()),
                Tuple.of(8, numbers()),
                Tuple.of(4, nesting()),
                Tuple.of(8, escapes()),
                Tuple.of(4, duplicates()),
                Tuple.of(4, controlCharacters()),
                Tuple.of(2, sizes()),
                Tuple.of(2, empties()),
                Tuple.of(3, topLevel()),
                Tuple.of(4, wrongTypes()),
                Tuple.of(8, edits()),
                Tuple.of(4, noise()));
        return Arbitraries.frequencyOf(
                Tuple.of(16, plain),
                Tuple.of(3, plain.map(LauncherBodyCorpusIT::asBase64)),
                Tuple.of(2, nonUtf8()),
                Tuple.of(1, brokenBase64()));
    }

    static Body asBase64(Body b) {
        if (b.text() == null) {
            return new Body(b.kind(), null, true);
        }
        return new Body(b.kind(), Base64.getEncoder().encodeToString(b.text().getBytes(StandardCharsets.UTF_8)),
                true);
    }

    static String request(String type, String hours, String key) {
        return "{\"instanceType\": " + type + ", \"hours\": " + hours + ", \"keyName\": " + key + "}";
    }

    static Arbitrary<String> space() {
        return Arbitraries.of("", " ", "\n", "\t", "\r\n", "  \n  ");
    }

    static Arbitrary<Body> good() {
        return Combinators.combine(Arbitraries.of("t3.micro", "t3.small"), Arbitraries.integers().between(1, 4),
                        space(), space(), Arbitraries.of("2", "2.0", "2e0", "20e-1", "0.2E1"))
                .as((type, hours, a, b, two) -> new Body("good", a + "{" + b + "\"keyName\"" + a + ":\"alice-key\","
                        + "\"hours\":" + b + (hours == 2 ? two : String.valueOf(hours)) + ",\"instanceType\":\""
                        + type + "\"" + a + "}" + b, false))
                .withoutEdgeCases(); // its many combinations would crowd the edge cases of everything else
    }

    /** Numbers of every form JSON has, and many it has not: huge, tiny, long, exponent forms, signs, specials. */
    static Arbitrary<Body> numbers() {
        Arbitrary<String> digits = Arbitraries.strings().withCharRange('0', '9').ofMinLength(1).ofMaxLength(60);
        Arbitrary<String> exponent = Combinators.combine(Arbitraries.of("e", "E", "e+", "e-", "E-", "E+", ""),
                        Arbitraries.strings().withCharRange('0', '9').ofMinLength(0).ofMaxLength(14))
                .as((e, d) -> e + d);
        Arbitrary<String> generated = Combinators.combine(Arbitraries.of("", "-", "+", "--"), digits,
                        Arbitraries.of("", ".", ".5", ".000000000000000000000000001"), exponent)
                .as((sign, d, frac, exp) -> sign + d + frac + exp);
        Arbitrary<String> special = Arbitraries.of("1e999999999", "1e9999999999", "-1e999999999", "1e-999999999",
                "1E+2147483647", "1e2147483648", "1e-2147483649", "9.99999e999999999", "0e999999999", "4e0",
                "4.000000000000000000000000000000000000000", "-0", "0", "0.0", "01", "00", "1.", ".5", "+1", "1e",
                "1e+", "NaN", "Infinity", "-Infinity", "0x10", "1_000", "١", "1,5", "4 ", " 4", "2147483648",
                "-2147483649", "9223372036854775808", "1" + "0".repeat(39), "1" + "0".repeat(40), "0." + "0".repeat(38)
                        + "1");
        return Arbitraries.oneOf(generated, special)
                .map(n -> new Body("numbers", request("\"t3.micro\"", n, "\"alice-key\""), false));
    }

    static Arbitrary<Body> nesting() {
        Arbitrary<Integer> depth = Arbitraries.integers().between(1, 20_000).withDistribution(
                net.jqwik.api.RandomDistribution.biased());
        return Combinators.combine(depth, Arbitraries.of("[", "{\"a\":", "[{\"hours\":"), Arbitraries.of(true, false),
                        Arbitraries.of("whole", "hours", "keyName"))
                .as((n, open, closed, where) -> {
                    String close = open.equals("[") ? "]" : open.equals("{\"a\":") ? "}" : "}]";
                    String v = open.repeat(n) + "1" + (closed ? close.repeat(n) : close.repeat(n / 2));
                    String text = switch (where) {
                        case "whole" -> v;
                        case "hours" -> request("\"t3.micro\"", v, "\"alice-key\"");
                        default -> request("\"t3.micro\"", "2", v);
                    };
                    return new Body("nesting", text, false);
                });
    }

    /** A string value built of escapes, good and bad, and raw characters JSON or UTF-16 forbid. */
    static Arbitrary<Body> escapes() {
        Arbitrary<String> hex4 = Arbitraries.strings().withChars("0123456789abcdefABCDEF").ofLength(4);
        Arbitrary<String> surrogate = Combinators.combine(Arbitraries.of("d8", "db", "dc", "df", "D8", "DF"),
                Arbitraries.strings().withChars("0123456789abcdef").ofLength(2)).as((a, b) -> "\\u" + a + b);
        Arbitrary<String> piece = Arbitraries.oneOf(
                Arbitraries.of("\\n", "\\t", "\\\"", "\\\\", "\\/", "\\b", "\\f", "\\r", "a", "key", " ", "é", "😀",
                        "\\ud83d\\ude00", "\\u0000", "\\u001f", "\\u007f", "\\u2028", "\\ufeff", "\\uffff"),
                hex4.map(h -> "\\u" + h),
                surrogate,
                Arbitraries.of("\\u", "\\u1", "\\u12", "\\u123", "\\u12g4", "\\uzzzz", "\\U0041", "\\x41", "\\a",
                        "\\0", "\\'", "\\", "\\\n", "\\u{41}"),
                Arbitraries.chars().range('\ud800', '\udfff').map(String::valueOf),
                Arbitraries.chars().range('\u0000', '\u001f').map(String::valueOf));
        return Combinators.combine(piece.list().ofMinSize(1).ofMaxSize(12), Arbitraries.of("keyName", "instanceType",
                        "name"))
                .as((pieces, field) -> {
                    String s = "\"" + String.join("", pieces) + "\"";
                    String text = switch (field) {
                        case "keyName" -> request("\"t3.micro\"", "2", s);
                        case "instanceType" -> request(s, "2", "\"alice-key\"");
                        default -> "{" + s + ": 1, \"instanceType\": \"t3.micro\", \"hours\": 2, \"keyName\": "
                                + "\"alice-key\"}";
                    };
                    return new Body("escapes", text, false);
                });
    }

    static Arbitrary<Body> duplicates() {
        return Combinators.combine(Arbitraries.of("hours", "keyName", "instanceType", "region", "x"),
                        Arbitraries.of("1", "400", "\"alice-key\"", "\"t3.micro\"", "null", "{}", "[]"),
                        Arbitraries.of(true, false))
                .as((field, value, nested) -> {
                    String dup = "\"" + field + "\": " + value + ", \"" + field + "\": " + value;
                    String text = nested
                            ? "{\"instanceType\": \"t3.micro\", \"hours\": 2, \"keyName\": \"alice-key\", \"x\": {"
                                    + dup + "}}"
                            : "{" + dup + ", \"instanceType\": \"t3.micro\", \"hours\": 2, \"keyName\": \"alice-key\"}";
                    return new Body("duplicate keys", text, false);
                });
    }

    static Arbitrary<Body> controlCharacters() {
        return Combinators.combine(Arbitraries.chars().range('\u0000', '\u001f').list().ofMinSize(1).ofMaxSize(5),
                        Arbitraries.integers().between(0, GOOD.length()))
                .as((chars, at) -> {
                    StringBuilder b = new StringBuilder(GOOD);
                    chars.forEach(c -> b.insert(Math.min(at, b.length()), c.charValue()));
                    return new Body("control characters", b.toString(), false);
                });
    }

    /** Around the 16 KiB limit, in ASCII and in multi-byte characters, and 1 MB. */
    static Arbitrary<Body> sizes() {
        Arbitrary<Integer> near = Arbitraries.integers().between(16 * 1024 - 200, 16 * 1024 + 200);
        return Arbitraries.oneOf(
                Combinators.combine(near, Arbitraries.of("x", "é", "😀", "\\u0041"))
                        .as((n, unit) -> new Body("near 16 KiB", request("\"t3.micro\"", "2",
                                "\"" + unit.repeat(Math.max(1, (n - 60) / unit.length())) + "\""), false)),
                Arbitraries.of("x", "[", "1").map(unit -> new Body("1 MB", unit.equals("x")
                        ? request("\"t3.micro\"", "2", "\"" + "x".repeat(1 << 20) + "\"")
                        : unit.repeat(1 << 20), false)));
    }

    static Arbitrary<Body> empties() {
        return Arbitraries.of("", " ", "\n", "\t\r\n ", "\ufeff", "\u0000").injectNull(0.2)
                .map(t -> new Body("empty", t, false));
    }

    static Arbitrary<Body> topLevel() {
        return Arbitraries.of("[]", "[" + GOOD + "]", "null", "true", "false", "0", "2", "-1", "\"t3.micro\"",
                        "\"\"", "{}", GOOD + GOOD, GOOD + " " + GOOD, GOOD + ",", GOOD + "]", "[" + GOOD, "{\"\": 1}",
                        "[[[]]]", "{\"instanceType\": \"t3.micro\"}")
                .map(t -> new Body("top level", t, false));
    }

    static Arbitrary<Body> wrongTypes() {
        Arbitrary<String> value = Arbitraries.of("null", "true", "false", "0", "-1", "2", "2.5", "\"2\"", "\"\"",
                "\" \"", "[]", "[\"t3.micro\"]", "{}", "{\"a\": 1}", "\"t3.micro\"", "\"alice-key\"", "[[[[1]]]]",
                "\"eu-west-1\"", "\"us-east-1\"", "\"EU-WEST-1\"", "\"p4d.24xlarge\"", "\"no-such-key\"");
        return Combinators.combine(value, value, value, value.injectNull(0.5), Arbitraries.of("", "owner", "tags",
                        "count", "userArn", "imageId", "Region"))
                .as((type, hours, key, region, extra) -> {
                    StringBuilder b = new StringBuilder("{\"instanceType\": " + type + ", \"hours\": " + hours
                            + ", \"keyName\": " + key);
                    if (region != null) {
                        b.append(", \"region\": ").append(region);
                    }
                    if (!extra.isEmpty()) {
                        b.append(", \"").append(extra).append("\": \"bob\"");
                    }
                    return new Body("wrong types", b.append('}').toString(), false);
                });
    }

    /** A good body with characters inserted, deleted or replaced at random places. */
    static Arbitrary<Body> edits() {
        Arbitrary<Character> ch = Arbitraries.oneOf(Arbitraries.of('{', '}', '[', ']', '"', ',', ':', '\\', ' ', '0',
                '9', 'e', '-', '+', '.', 'n', 't', 'u'), Arbitraries.chars());
        Arbitrary<int[]> edit = Combinators.combine(Arbitraries.integers().between(0, 2),
                        Arbitraries.integers().between(0, 200), ch.map(c -> (int) c))
                .as((kind, at, c) -> new int[] {kind, at, c});
        return edit.list().ofMinSize(1).ofMaxSize(6).map(edits -> {
            StringBuilder b = new StringBuilder(GOOD);
            for (int[] e : edits) {
                int at = e[1] % (b.length() + 1);
                switch (e[0]) {
                    case 0 -> b.insert(at, (char) e[2]);
                    case 1 -> {
                        if (at < b.length()) {
                            b.deleteCharAt(at);
                        }
                    }
                    default -> {
                        if (at < b.length()) {
                            b.setCharAt(at, (char) e[2]);
                        }
                    }
                }
            }
            return new Body("edits", b.toString(), false);
        });
    }

    static Arbitrary<Body> noise() {
        return Arbitraries.strings().withChars("{}[]\":,\\ 0123456789eE.-+truefalsnl").ofMinLength(0).ofMaxLength(80)
                .map(t -> new Body("noise", t, false));
    }

    /** Bytes that are not UTF-8 (invalid, overlong, encoded surrogates, truncated), base64-encoded. */
    static Arbitrary<Body> nonUtf8() {
        Arbitrary<byte[]> bad = Arbitraries.of(new byte[] {(byte) 0xff}, new byte[] {(byte) 0xc3, 0x28},
                new byte[] {(byte) 0xc0, (byte) 0xaf}, new byte[] {(byte) 0xed, (byte) 0xa0, (byte) 0x80},
                new byte[] {(byte) 0xe2, (byte) 0x82}, new byte[] {(byte) 0xf8, (byte) 0x88, (byte) 0x80, (byte) 0x80,
                        (byte) 0x80}, new byte[] {(byte) 0xfe, (byte) 0xff}, new byte[] {(byte) 0x80});
        return Combinators.combine(bad, Arbitraries.integers().between(0, GOOD.length()),
                        Arbitraries.bytes().array(byte[].class).ofMaxSize(40))
                .as((b, at, random) -> {
                    byte[] good = GOOD.getBytes(StandardCharsets.UTF_8);
                    ByteArrayOutputStream out = new ByteArrayOutputStream();
                    out.write(good, 0, at);
                    out.writeBytes(b);
                    out.writeBytes(random);
                    out.write(good, at, good.length - at);
                    return new Body("non-UTF-8", Base64.getEncoder().encodeToString(out.toByteArray()), true);
                });
    }

    static Arbitrary<Body> brokenBase64() {
        String enc = Base64.getEncoder().encodeToString(GOOD.getBytes(StandardCharsets.UTF_8));
        return Arbitraries.of(enc.substring(1), enc + "=", "!!!!", enc.replace('A', '-'), " " + enc + " ",
                        enc.substring(0, 10) + "\n" + enc.substring(10), GOOD, "", "====")
                .map(t -> new Body("broken base64", t, true));
    }
}
