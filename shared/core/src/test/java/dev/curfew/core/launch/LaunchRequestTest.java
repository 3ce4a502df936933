package dev.curfew.core.launch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.curfew.core.policy.LaunchLimits;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LaunchRequestTest {
    static final LaunchLimits LIMITS = new LaunchLimits(List.of("t3.micro", "t3.small"), 4, 2, List.of(),
            new BigDecimal("0.05"), LaunchLimits.DEFAULT_AMI);
    static final List<String> REGIONS = List.of("eu-west-1", "us-east-1");

    static LaunchRequest parse(String json) {
        return LaunchRequest.from(JsonBody.parse(json), LIMITS, REGIONS, "eu-west-1");
    }

    @Test
    void aGoodRequestPasses() {
        assertThat(parse("{\"instanceType\": \"t3.small\", \"hours\": 3, \"keyName\": \"alice key\"}"))
                .isEqualTo(new LaunchRequest("t3.small", 3, "alice key", "eu-west-1"));
        assertThat(parse("{\"instanceType\": \"t3.micro\", \"hours\": 4.0, \"keyName\": \"k\", \"region\": "
                + "\"us-east-1\"}")).isEqualTo(new LaunchRequest("t3.micro", 4, "k", "us-east-1"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        // body                                                                                     | status | code
        "{\"instanceType\":\"t3.micro\",\"hours\":1,\"keyName\":\"k\",\"owner\":\"bob\"}             | 403 | owner-in-body",
        "{\"instanceType\":\"t3.micro\",\"hours\":1,\"keyName\":\"k\",\"curfew:owner\":\"bob\"}      | 403 | owner-in-body",
        "{\"instanceType\":\"t3.micro\",\"hours\":1,\"keyName\":\"k\",\"Owner\":\"bob\"}             | 403 | owner-in-body",
        "{\"instanceType\":\"t3.micro\",\"hours\":1,\"keyName\":\"k\",\"createdBy\":\"x\"}           | 403 | owner-in-body",
        "{\"instanceType\":\"t3.micro\",\"hours\":1,\"keyName\":\"k\",\"tags\":{\"curfew:owner\":\"bob\"}} | 403 | owner-in-body",
        "{\"instanceType\":\"t3.micro\",\"hours\":1,\"keyName\":\"k\",\"requestContext\":{}}         | 403 | owner-in-body",
        "{\"instanceType\":\"t3.micro\",\"hours\":1,\"keyName\":\"k\",\"user\":\"bob\"}              | 403 | owner-in-body",
        "{\"instanceType\":\"t3.micro\",\"hours\":1,\"keyName\":\"k\",\"accountId\":\"1\"}           | 403 | owner-in-body",
        "{\"instanceType\":\"p4d.24xlarge\",\"hours\":1,\"keyName\":\"k\"}                           | 400 | type-not-allowed",
        "{\"instanceType\":\"T3.MICRO\",\"hours\":1,\"keyName\":\"k\"}                               | 400 | type-not-allowed",
        "{\"instanceType\":\"t3.micro\",\"hours\":5,\"keyName\":\"k\"}                               | 400 | too-many-hours",
        "{\"instanceType\":\"t3.micro\",\"hours\":1000000,\"keyName\":\"k\"}                         | 400 | too-many-hours",
        "{\"instanceType\":\"t3.micro\",\"hours\":0,\"keyName\":\"k\"}                               | 400 | bad-hours",
        "{\"instanceType\":\"t3.micro\",\"hours\":-1,\"keyName\":\"k\"}                              | 400 | bad-hours",
        "{\"instanceType\":\"t3.micro\",\"hours\":1.5,\"keyName\":\"k\"}                             | 400 | bad-hours",
        "{\"instanceType\":\"t3.micro\",\"hours\":\"2\",\"keyName\":\"k\"}                           | 400 | wrong-type",
        "{\"instanceType\":\"t3.micro\",\"hours\":true,\"keyName\":\"k\"}                            | 400 | wrong-type",
        "{\"instanceType\":[\"t3.micro\"],\"hours\":1,\"keyName\":\"k\"}                             | 400 | wrong-type",
        "{\"instanceType\":\"t3.micro\",\"hours\":1,\"keyName\":\"\"}                                | 400 | wrong-type",
        "{\"instanceType\":\"t3.micro\",\"hours\":1,\"keyName\":\" k\"}                              | 400 | bad-key-name",
        "{\"instanceType\":\"t3.micro\",\"hours\":1,\"keyName\":\"k\\u0000\"}                        | 400 | bad-key-name",
        "{\"instanceType\":\"t3.micro\",\"hours\":1}                                                 | 400 | missing-field",
        "{}                                                                                          | 400 | missing-field",
        "{\"instanceType\":\"t3.micro\",\"hours\":1,\"keyName\":\"k\",\"region\":\"ap-south-1\"}     | 400 | region-not-allowed",
        "{\"instanceType\":\"t3.micro\",\"hours\":1,\"keyName\":\"k\",\"region\":\"mars-1\"}         | 400 | bad-region",
        "{\"instanceType\":\"t3.micro\",\"hours\":1,\"keyName\":\"k\",\"count\":10}                  | 400 | unknown-field",
        "{\"instanceType\":\"t3.micro\",\"hours\":1,\"keyName\":\"k\",\"imageId\":\"ami-1\"}         | 400 | unknown-field",
        "[\"t3.micro\", 1, \"k\"]                                                                    | 400 | not-an-object",
        "\"t3.micro\"                                                                                | 400 | not-an-object",
    })
    void badRequestsAreRefusedWithTheirStatusAndAClearMessage(String body, int status, String code) {
        Refusal r = catchThrowableOfType(() -> parse(body.strip()), Refusal.class);
        assertThat(r).as(body).isNotNull();
        assertThat(r.status()).as(r.getMessage()).isEqualTo(status);
        assertThat(r.code()).as(r.getMessage()).isEqualTo(code);
        assertThat(r.getMessage()).isNotBlank();
    }

    @Test
    void messagesNameTheAllowedValues() {
        Refusal type = catchThrowableOfType(() -> parse("{\"instanceType\":\"m5.large\",\"hours\":1,\"keyName\":\"k\"}"),
                Refusal.class);
        assertThat(type.getMessage()).isEqualTo("instance type \"m5.large\" is not allowed in this course; choose one "
                + "of t3.micro, t3.small");
        assertThat(type.details()).containsEntry("allowedTypes", List.of("t3.micro", "t3.small"));

        Refusal hours = catchThrowableOfType(() -> parse("{\"instanceType\":\"t3.micro\",\"hours\":9,\"keyName\":\"k\"}"),
                Refusal.class);
        assertThat(hours.getMessage()).isEqualTo("hours 9 is more than this course allows (at most 4)");

        Refusal region = catchThrowableOfType(() -> parse(
                "{\"instanceType\":\"t3.micro\",\"hours\":1,\"keyName\":\"k\",\"region\":\"ap-south-1\"}"),
                Refusal.class);
        assertThat(region.getMessage()).isEqualTo("region ap-south-1 is not open to students; choose one of "
                + "eu-west-1, us-east-1");

        Refusal owner = catchThrowableOfType(() -> parse(
                "{\"instanceType\":\"t3.micro\",\"hours\":1,\"keyName\":\"k\",\"owner\":\"bob\"}"), Refusal.class);
        assertThat(owner.getMessage()).contains("field \"owner\" is refused").contains("signed the request");

        Refusal missing = catchThrowableOfType(() -> parse("{\"hours\": 1}"), Refusal.class);
        assertThat(missing.getMessage()).startsWith("missing fields \"instanceType\", \"keyName\"");
    }

    @Test
    void hugeNumbersAreRefusedShortAndFast() {
        assertTimeoutPreemptively(Duration.ofSeconds(2), () -> {
            Refusal big = catchThrowableOfType(() -> parse(
                    "{\"instanceType\":\"t3.micro\",\"hours\":1e999999999,\"keyName\":\"k\"}"), Refusal.class);
            assertThat(big.code()).isEqualTo("too-many-hours");
            assertThat(big.getMessage()).isEqualTo("hours 1E+999999999 is more than this course allows (at most 4)");

            Refusal tiny = catchThrowableOfType(() -> parse(
                    "{\"instanceType\":\"t3.micro\",\"hours\":1e-999999999,\"keyName\":\"k\"}"), Refusal.class);
            assertThat(tiny.getMessage()).isEqualTo("hours: 1E-999999999 is not a whole number of hours between 1 and 4");

            Refusal negative = catchThrowableOfType(() -> parse(
                    "{\"instanceType\":\"t3.micro\",\"hours\":-9.99999e999999999,\"keyName\":\"k\"}"),
                    Refusal.class);
            assertThat(negative.code()).isEqualTo("bad-hours");
            assertThat(negative.getMessage()).isEqualTo("hours: -9.99999E+999999999 is not a whole number of hours "
                    + "between 1 and 4");

            Refusal half = catchThrowableOfType(() -> parse(
                    "{\"instanceType\":\"t3.micro\",\"hours\":2.5,\"keyName\":\"k\"}"), Refusal.class);
            assertThat(half.getMessage()).isEqualTo("hours: 2.5 is not a whole number of hours between 1 and 4");
        });
    }

    @Test
    void theOwnerCheckComesFirst() {
        // a body that both names an owner and breaks a limit is refused as a forgery, not as a mistake
        Refusal r = catchThrowableOfType(() -> parse("{\"instanceType\":\"x1.32xlarge\",\"hours\":99,"
                + "\"owner\":\"bob\"}"), Refusal.class);
        assertThat(r.status()).isEqualTo(403);
    }
}
